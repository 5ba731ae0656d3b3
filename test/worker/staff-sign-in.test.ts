/**
 * Staff sign-in against the built Worker and sqld, as an attacker would try it: parallel wrong guesses
 * for one account, an address hammering an account while its owner signs in from elsewhere, the
 * absolute session lifetime, the cookie following the session, signing out everywhere, a changed
 * password ending sessions, and ended sessions pruned by the scheduled job.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDb } from "../../db/client.ts";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from "../../db/seed.ts";
import { addStaffUser } from "../../db/staff.ts";
import { changeStaffPassword } from "../../functions/services/staff/session.ts";
import { LOGIN_LIMITS } from "../../functions/services/staff/sign-in.ts";
import { report, Tally } from "../support/figures.ts";
import { triggerScheduled, useStack } from "../support/worker.ts";

const stack = useStack();

function login(email: string, password: string, address: string): Promise<Response> {
  return fetch(`${stack.worker.url}/api/admin/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.worker.url, "cf-connecting-ip": address },
    body: JSON.stringify({ email, password }),
  });
}

const cookieOf = (res: Response) => /rma_staff=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0] ?? "";
const hashOf = (cookie: string) => createHash("sha256").update(cookie.slice("rma_staff=".length)).digest("hex");
const queue = (cookie: string) => fetch(`${stack.worker.url}/api/admin/queue`, { headers: { cookie } });

async function account(email: string, password: string): Promise<string> {
  await addStaffUser(createDb({ DATABASE_URL: stack.db.url }).$client, email, password);
  const [row] = await stack.db.query<{ id: string }>("SELECT id FROM staff_users WHERE email = ?", [email]);
  return row?.id ?? "";
}

describe("sign-in cannot be raced", () => {
  it("60 parallel wrong guesses for one account from one address: at most the allowed number are checked, the rest 429", async () => {
    await account("race@alkeria.example", "the-real-password-1");
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login("race@alkeria.example", `guess ${i}`, "203.0.113.10")),
    );
    const tally = new Tally();
    for (const res of answers) tally.record(res.status, await res.clone().json());
    report("60 parallel wrong sign-ins for one account", { answers: tally.summary() });
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_LIMITS.account.limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(60 - LOGIN_LIMITS.account.limit);
    const [row] = await stack.db.query<{ count: number }>("SELECT count FROM rate_limits WHERE key = ?", [
      "login:account-ip:race@alkeria.example:203.0.113.10",
    ]);
    expect(row?.count).toBe(LOGIN_LIMITS.account.limit);
    // The right password from that address is refused too now; the owner elsewhere is not.
    expect((await login("race@alkeria.example", "the-real-password-1", "203.0.113.10")).status).toBe(429);
    expect((await login("race@alkeria.example", "the-real-password-1", "198.51.100.200")).status).toBe(200);
  });

  it("an attacker hammering an account from many addresses does not lock its owner out", async () => {
    await account("owner@alkeria.example", "owners-password-22");
    const attackers = Array.from({ length: 12 }, (_, i) => `192.0.2.${i + 1}`);
    const answers = await Promise.all(
      attackers.flatMap((address) =>
        Array.from({ length: LOGIN_LIMITS.account.limit + 2 }, (_, i) => login("owner@alkeria.example", `bad ${i}`, address)),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(attackers.length * LOGIN_LIMITS.account.limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(attackers.length * 2);
    const refused = (await (await login("owner@alkeria.example", "owners-password-22", attackers[0] ?? "")).json()) as {
      error: { code: string; message: string };
    };
    expect(refused.error.code).toBe("too_many_attempts");
    expect(refused.error.message).toMatch(
      /^Too many failed sign-ins for this account from your network address\. Try again in \d+ minutes?\.$/,
    );
    const owner = await login("owner@alkeria.example", "owners-password-22", "198.51.100.7");
    expect(owner.status).toBe(200);
    expect((await queue(cookieOf(owner))).status).toBe(200);
  });
});

describe("sessions", () => {
  it("end 12 hours after signing in however active they were, and the cookie's lifetime follows the session", async () => {
    const res = await login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, "198.51.100.31");
    const cookie = cookieOf(res);
    expect(res.headers.get("set-cookie")).toMatch(/Max-Age=28800/);
    // Signed in 11 hours ago and active a minute ago: the next request slides the session only to the 12 hours.
    const elevenHoursAgo = new Date(Date.now() - 11 * 3_600_000).toISOString();
    await stack.db.query("UPDATE staff_sessions SET created_at = ? WHERE token_hash = ?", [elevenHoursAgo, hashOf(cookie)]);
    const active = await queue(cookie);
    expect(active.status).toBe(200);
    const maxAge = Number(/Max-Age=(\d+)/.exec(active.headers.get("set-cookie") ?? "")?.[1]);
    expect(maxAge).toBeGreaterThan(3_500);
    expect(maxAge).toBeLessThanOrEqual(3_600);
    const [row] = await stack.db.query<{ expires_at: string }>("SELECT expires_at FROM staff_sessions WHERE token_hash = ?", [
      hashOf(cookie),
    ]);
    expect(Date.parse(row?.expires_at ?? "")).toBeLessThanOrEqual(Date.parse(elevenHoursAgo) + 12 * 3_600_000);
    // Signed in 12 hours and a minute ago, though seen a minute ago with a later idle expiry: refused.
    const longAgo = new Date(Date.now() - (12 * 60 + 1) * 60_000).toISOString();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    await stack.db.query("UPDATE staff_sessions SET created_at = ?, expires_at = ? WHERE token_hash = ?", [
      longAgo,
      later,
      hashOf(cookie),
    ]);
    expect((await queue(cookie)).status).toBe(401);
    const page = await fetch(`${stack.worker.url}/admin`, { headers: { cookie }, redirect: "manual" });
    expect(page.status).toBe(303);
  });

  it("sign out everywhere ends every session of the account, and only its", async () => {
    await account("two-devices@alkeria.example", "two-devices-pass");
    const laptop = cookieOf(await login("two-devices@alkeria.example", "two-devices-pass", "198.51.100.41"));
    const phone = cookieOf(await login("two-devices@alkeria.example", "two-devices-pass", "198.51.100.42"));
    const someoneElse = cookieOf(await login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, "198.51.100.43"));
    const out = await fetch(`${stack.worker.url}/api/admin/session?everywhere=1`, {
      method: "DELETE",
      headers: { cookie: phone, origin: stack.worker.url },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^rma_staff=; .*Max-Age=0/);
    expect((await queue(laptop)).status).toBe(401);
    expect((await queue(phone)).status).toBe(401);
    expect((await queue(someoneElse)).status).toBe(200);
    // The desk's button: the settings page's form posts to /admin/logout?everywhere=1.
    const again = cookieOf(await login("two-devices@alkeria.example", "two-devices-pass", "198.51.100.41"));
    const other = cookieOf(await login("two-devices@alkeria.example", "two-devices-pass", "198.51.100.42"));
    const settings = await (await fetch(`${stack.worker.url}/admin/settings`, { headers: { cookie: again } })).text();
    expect(settings).toContain('action="/admin/logout?everywhere=1"');
    const button = await fetch(`${stack.worker.url}/admin/logout?everywhere=1`, {
      method: "POST",
      headers: { cookie: again, origin: stack.worker.url, "content-type": "application/x-www-form-urlencoded" },
      body: "",
      redirect: "manual",
    });
    expect(button.status).toBe(303);
    expect((await queue(other)).status).toBe(401);
  });

  it("changing a password ends the account's sessions", async () => {
    const id = await account("changer@alkeria.example", "first-password-1");
    const cookie = cookieOf(await login("changer@alkeria.example", "first-password-1", "198.51.100.51"));
    expect((await queue(cookie)).status).toBe(200);
    await changeStaffPassword(createDb({ DATABASE_URL: stack.db.url }), id, "second-password-2");
    expect((await queue(cookie)).status).toBe(401);
    expect((await login("changer@alkeria.example", "first-password-1", "198.51.100.51")).status).toBe(401);
    expect((await login("changer@alkeria.example", "second-password-2", "198.51.100.51")).status).toBe(200);
  });

  it("ended sessions are pruned by the scheduled job", async () => {
    const cookie = cookieOf(await login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, "198.51.100.61"));
    await stack.db.query("UPDATE staff_sessions SET expires_at = '2000-01-01T00:00:00.000Z' WHERE token_hash = ?", [
      hashOf(cookie),
    ]);
    expect((await triggerScheduled(stack.worker)).status).toBe(200);
    await expect
      .poll(async () => (await stack.db.query("SELECT 1 FROM staff_sessions WHERE token_hash = ?", [hashOf(cookie)])).length, {
        timeout: 15_000,
      })
      .toBe(0);
  });
});
