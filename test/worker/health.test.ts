import { describe, expect, it } from "vitest";
import { useStack } from "../support/worker.ts";

const stack = useStack();

describe("the built Worker in workerd, against a real sqld", () => {
  it("answers /api/health after a real query", async () => {
    const res = await fetch(`${stack.worker.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: "ok" });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("answers an unknown API path with 404 in the one error shape", async () => {
    const res = await fetch(`${stack.worker.url}/api/nothing-here`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toContain("/api/nothing-here");
  });

  it("serves the static FAQ from assets with the security headers", async () => {
    const res = await fetch(`${stack.worker.url}/faq`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Frequently asked questions");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  it("answers 503 in the one error shape when sqld is stopped", async () => {
    await stack.db.sqld.stop();
    const res = await fetch(`${stack.worker.url}/api/health`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unavailable");
    expect(body.error.message).toMatch(/database/);
  });
});
