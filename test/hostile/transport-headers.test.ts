/**
 * Headers for a portal on the internet, against the built Worker: a Permissions-Policy denying what the
 * portal does not use on every kind of response; Strict-Transport-Security on the Worker's answers for a
 * public host name and not on local plain HTTP; the staff cookie `__Host-` prefixed (Secure, Path=/, no
 * Domain) where the site is served securely, and only that name accepted there.
 */
import { describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from "../../db/seed.ts";
import { rawRequest } from "../support/http.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack();
const HOST = "rma.alkeria.example";
const PUBLIC_ORIGIN = `http://${HOST}`;

const publicly = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
  rawRequest(stack.worker.url, method, path, { headers: { host: HOST, ...headers }, ...(body === undefined ? {} : { body }) });
const locally = (method: string, path: string) => rawRequest(stack.worker.url, method, path);

describe("Permissions-Policy", () => {
  it("denies camera, microphone, geolocation, payment and the rest on static files, pages, API answers and errors", async () => {
    for (const path of ["/", "/faq", "/rma/new", "/status", "/api/ping", "/api/no-such-thing", "/admin/login"]) {
      const res = await locally("GET", path);
      const policy = res.headers["permissions-policy"] ?? "";
      for (const feature of ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]) {
        expect(policy, `${path}: ${feature}`).toContain(feature);
      }
    }
  });
});

describe("Strict-Transport-Security", () => {
  it("is sent by the Worker for a public host name, and not on local plain HTTP", async () => {
    for (const path of ["/rma/new", "/status", "/api/ping", "/api/no-such-thing", "/admin/login"]) {
      expect((await publicly("GET", path)).headers["strict-transport-security"], path).toBe(
        "max-age=31536000; includeSubDomains",
      );
      expect((await locally("GET", path)).headers["strict-transport-security"], path).toBeUndefined();
    }
  });
});

describe("the staff cookie", () => {
  it("is __Host-rma_staff, Secure, Path=/ and without Domain where the site is not local plain HTTP; only that name works there", async () => {
    const signIn = await publicly(
      "POST",
      "/api/admin/session",
      { "content-type": "application/json", origin: PUBLIC_ORIGIN, "cf-connecting-ip": "198.51.100.70" },
      JSON.stringify({ email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD }),
    );
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers["set-cookie"] ?? "";
    expect(cookie).toMatch(/^__Host-rma_staff=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800; Secure$/);
    expect(cookie).not.toMatch(/Domain=/i);
    const token = /^__Host-rma_staff=([\w-]{43})/.exec(cookie)?.[1] ?? "";
    expect((await publicly("GET", "/api/admin/queue", { cookie: `__Host-rma_staff=${token}` })).status).toBe(200);
    expect((await publicly("GET", "/admin", { cookie: `__Host-rma_staff=${token}` })).status).toBe(200);
    // The unprefixed name (which a subdomain or plain HTTP could set) is not read there.
    expect((await publicly("GET", "/api/admin/queue", { cookie: `rma_staff=${token}` })).status).toBe(401);
    const out = await publicly("DELETE", "/api/admin/session", { cookie: `__Host-rma_staff=${token}`, origin: PUBLIC_ORIGIN });
    expect(out.status).toBe(204);
    expect(out.headers["set-cookie"]).toMatch(/^__Host-rma_staff=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0; Secure$/);
  });

  it("keeps the plain name on local plain HTTP, where a Secure cookie would not be kept", async () => {
    const res = await fetch(`${stack.worker.url}/api/admin/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: stack.worker.url, "cf-connecting-ip": "198.51.100.71" },
      body: JSON.stringify({ email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD }),
    });
    expect(res.headers.get("set-cookie")).toMatch(/^rma_staff=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/);
  });
});
