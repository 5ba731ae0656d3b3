/** Signing in to the staff API, sessions, rate limits on failed sign-ins, and cross-site requests. */
import { describe, expect, it } from "vitest";
import { createDb } from "../../db/client.ts";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from "../../db/seed.ts";
import { addStaffUser } from "../../db/staff.ts";
import { createSession } from "../../functions/services/staff/session.ts";
import { LOGIN_LIMITS } from "../../functions/services/staff/sign-in.ts";
import { useApi } from "../support/app.ts";
import { type ErrorBody, ORIGIN, requestRmas, signIn } from "../support/staff.ts";

const stack = useApi();

const login = (email: string, password: string, address?: string, origin = ORIGIN) =>
  stack.api.json("/api/admin/session", { email, password }, { origin, ...(address ? { "cf-connecting-ip": address } : {}) });

async function errorOf(res: Response, status: number): Promise<ErrorBody["error"]> {
  const body = (await res.json()) as ErrorBody;
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body.error;
}

describe("without a staff session", () => {
  it("answers 401 in the one error shape on every admin route, known or not", async () => {
    for (const [method, path] of [
      ["GET", "/api/admin/queue"],
      ["GET", "/api/admin/session"],
      ["GET", "/api/admin/rmas/RMA-26-000000-A"],
      ["POST", "/api/admin/rmas/RMA-26-000000-A/authorize"],
      ["GET", "/api/admin/registry"],
      ["POST", "/api/admin/registry/import"],
      ["GET", "/api/admin/outbox"],
      ["PUT", "/api/admin/settings"],
      ["GET", "/api/admin/no-such-thing"],
    ] as const) {
      const res = await stack.api.request(path, {
        method,
        headers: { origin: ORIGIN, "content-type": "application/json" },
        ...(method === "GET" ? {} : { body: "{}" }),
      });
      const error = await errorOf(res, 401);
      expect(error.code, `${method} ${path}`).toBe("unauthenticated");
      expect(error.message).toMatch(/Sign in first/);
    }
  });

  it("refuses a forged cookie, a malformed one, and an expired session", async () => {
    const forged = `rma_staff=${"A".repeat(43)}`;
    for (const cookie of [forged, "rma_staff=not-a-token", "rma_staff="]) {
      expect((await stack.api.request("/api/admin/queue", { headers: { cookie } })).status).toBe(401);
    }
    const [admin] = await stack.db.query<{ id: string }>("SELECT id FROM staff_users WHERE email = ?", [DEMO_ADMIN_EMAIL]);
    const nineHoursAgo = new Date(Date.now() - 9 * 3_600_000);
    const token = await createSession(createDb({ DATABASE_URL: stack.db.url }), admin?.id ?? "", nineHoursAgo);
    const res = await stack.api.request("/api/admin/queue", { headers: { cookie: `rma_staff=${token}` } });
    expect((await errorOf(res, 401)).code).toBe("unauthenticated");
    // The same session used within 8 hours works.
    const recent = await createSession(
      createDb({ DATABASE_URL: stack.db.url }),
      admin?.id ?? "",
      new Date(Date.now() - 7 * 3_600_000),
    );
    expect((await stack.api.request("/api/admin/queue", { headers: { cookie: `rma_staff=${recent}` } })).status).toBe(200);
  });
});

describe("signing in and out", () => {
  it("signs in with the right password and sets an HttpOnly, SameSite=Strict session cookie (not Secure on local HTTP)", async () => {
    const res = await login(` ${DEMO_ADMIN_EMAIL.toUpperCase()} `, DEMO_ADMIN_PASSWORD, "198.51.100.1");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ email: DEMO_ADMIN_EMAIL });
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^rma_staff=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    const session = cookie.split(";")[0] ?? "";
    const me = await stack.api.request("/api/admin/session", { headers: { cookie: session } });
    expect(await me.json()).toEqual({ email: DEMO_ADMIN_EMAIL });
  });

  it("refuses a wrong password and an unknown account with the same message", async () => {
    const wrong = await errorOf(await login(DEMO_ADMIN_EMAIL, "not the password", "198.51.100.2"), 401);
    const unknown = await errorOf(await login("nobody@alkeria.example", DEMO_ADMIN_PASSWORD, "198.51.100.2"), 401);
    expect(wrong.code).toBe("invalid_credentials");
    expect(wrong.message).toMatch(/^The email or the password is not right\./);
    expect(unknown.message).toMatch(/^The email or the password is not right\./);
    const missing = await errorOf(
      await stack.api.json("/api/admin/session", { email: DEMO_ADMIN_EMAIL }, { origin: ORIGIN }),
      422,
    );
    expect(missing.fields?.["password"]).toBeTruthy();
  });

  it("signs out: the session is deleted and the cookie cleared", async () => {
    const cookie = await signIn(stack.api);
    const out = await stack.api.request("/api/admin/session", { method: "DELETE", headers: { cookie, origin: ORIGIN } });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^rma_staff=; .*Max-Age=0/);
    expect((await stack.api.request("/api/admin/queue", { headers: { cookie } })).status).toBe(401);
  });
});

describe("rate limits on failed sign-ins", () => {
  it("pauses an account at one address after too many failures, even with the right password, while its owner elsewhere signs in", async () => {
    await addStaffUser(createDb({ DATABASE_URL: stack.db.url }).$client, "clerk@alkeria.example", "a-long-password-1");
    for (let i = 0; i < LOGIN_LIMITS.account.limit; i++) {
      expect((await login("clerk@alkeria.example", `wrong ${i}`, "203.0.113.1")).status).toBe(401);
    }
    const res = await login("Clerk@alkeria.example", "a-long-password-1", "203.0.113.1");
    const error = await errorOf(res, 429);
    expect(error.code).toBe("too_many_attempts");
    expect(error.message).toMatch(
      /Too many failed sign-ins for this account from your network address\. Try again in \d+ minutes?\./,
    );
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    // The owner from another address, and other accounts, are not affected.
    expect((await login("clerk@alkeria.example", "a-long-password-1", "203.0.113.99")).status).toBe(200);
    expect((await login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, "203.0.113.1")).status).toBe(200);
  });

  it("pauses an address after too many failures across accounts, while other addresses still sign in", async () => {
    const address = "192.0.2.77";
    for (let i = 0; i < LOGIN_LIMITS.address.limit; i++) {
      expect((await login(`guess${i}@alkeria.example`, "guess", address)).status).toBe(401);
    }
    const error = await errorOf(await login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, address), 429);
    expect(error.message).toMatch(/from your network address/);
    expect((await login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, "192.0.2.78")).status).toBe(200);
    const [row] = await stack.db.query<{ count: number }>("SELECT count FROM rate_limits WHERE key = ?", [`login:ip:${address}`]);
    expect(row?.count).toBe(LOGIN_LIMITS.address.limit);
  });

  it("forgets an account's failures after a successful sign-in", async () => {
    await addStaffUser(createDb({ DATABASE_URL: stack.db.url }).$client, "desk2@alkeria.example", "another-password-2");
    for (let i = 0; i < LOGIN_LIMITS.account.limit - 1; i++) await login("desk2@alkeria.example", "wrong", "198.51.100.40");
    expect((await login("desk2@alkeria.example", "another-password-2", "198.51.100.40")).status).toBe(200);
    for (let i = 0; i < LOGIN_LIMITS.account.limit - 1; i++) {
      expect((await login("desk2@alkeria.example", "wrong", "198.51.100.41")).status).toBe(401);
    }
  });
});

describe("cross-site requests", () => {
  it("refuses a POST from another site's page even with a valid session, and one without an Origin", async () => {
    const cookie = await signIn(stack.api);
    const { rmaNumbers } = await requestRmas(stack.api, 1);
    const n = rmaNumbers[0] ?? "";
    const attempt = (headers: Record<string, string>) =>
      stack.api.request(`/api/admin/rmas/${n}/authorize`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", ...headers },
        body: JSON.stringify({ version: 1 }),
      });
    const evil = await errorOf(await attempt({ origin: "https://evil.example" }), 403);
    expect(evil.code).toBe("cross_site_forbidden");
    expect((await errorOf(await attempt({}), 403)).code).toBe("cross_site_forbidden");
    expect((await errorOf(await attempt({ origin: "http://localhost:8080" }), 403)).code).toBe("cross_site_forbidden");
    const [rma] = await stack.db.query("SELECT status FROM rmas WHERE rma_number = ?", [n]);
    expect(rma?.["status"]).toBe("requested");
    // Signing in from another site is refused too (login CSRF), and reading needs no Origin.
    expect((await login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, undefined, "https://evil.example")).status).toBe(403);
    expect((await stack.api.request("/api/admin/queue", { headers: { cookie } })).status).toBe(200);
    expect((await attempt({ origin: ORIGIN })).status).toBe(200);
  });
});
