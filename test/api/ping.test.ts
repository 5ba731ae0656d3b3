/** The trivial route the benchmark compares against: the Worker and Hono answering, no database. */
import { describe, expect, it } from "vitest";
import { freePort } from "../../db/sqld.ts";
import { testApp } from "../support/app.ts";

describe("GET /api/ping", () => {
  it("answers ok without touching the database, even when none is reachable", async () => {
    const api = testApp(`http://127.0.0.1:${await freePort()}`);
    const res = await api.request("/api/ping");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(api.trips.total).toBe(0);
  });
});
