import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.ts";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from "../../db/seed.ts";
import { hashPassword } from "../../functions/auth/password.ts";
import { hit, limitKeys, peek, pruneLimits, reset } from "../../functions/auth/rate-limit.ts";
import {
  authenticateStaff,
  clearSessionCookie,
  createSession,
  DUMMY_PASSWORD_HASH,
  deleteSession,
  isSecureOrigin,
  SESSION_IDLE_SECONDS,
  sessionCookie,
  validateSession,
} from "../../functions/services/staff/session.ts";
import { type RoundTrips, startCountedDb } from "../support/app.ts";
import type { TestDatabase } from "../support/database.ts";

let tdb: TestDatabase;
let db: Db;
let trips: RoundTrips;
let adminId: string;

beforeAll(async () => {
  ({ tdb, db, trips } = await startCountedDb());
  const [admin] = await tdb.query<{ id: string }>("SELECT id FROM staff_users WHERE email = ?", [DEMO_ADMIN_EMAIL]);
  if (!admin) throw new Error("the seed has no staff account");
  adminId = admin.id;
});
afterAll(() => tdb?.stop());

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

describe("staff sessions", () => {
  it("stores only the token's hash, expiring 8 hours after creation", async () => {
    const now = at("2026-11-25T09:00:00.000Z");
    const token = await createSession(db, adminId, now);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await tdb.query<{ token_hash: string; expires_at: string; last_seen_at: string }>(
      "SELECT token_hash, expires_at, last_seen_at FROM staff_sessions WHERE user_id = ? AND created_at = ?",
      [adminId, now.toISOString()],
    );
    expect(rows).toHaveLength(1);
    // The SHA-256 of the token (hex), computed here independently: the token itself is not stored.
    expect(rows[0]?.token_hash).toBe(createHash("sha256").update(token, "utf8").digest("hex"));
    expect(rows[0]?.expires_at).toBe("2026-11-25T17:00:00.000Z");
  });

  it("validates a session in one round trip and slides its expiry", async () => {
    const start = at("2026-11-25T09:00:00.000Z");
    const token = await createSession(db, adminId, start);
    const later = new Date(start.getTime() + 7 * HOUR);
    trips.reset();
    // Slid to 8 hours from now, but never past 12 hours after creation.
    expect(await validateSession(db, token, later)).toEqual({
      userId: adminId,
      email: DEMO_ADMIN_EMAIL,
      role: "admin",
      locale: "en",
      expiresAt: new Date(start.getTime() + 12 * HOUR).toISOString(),
    });
    expect(trips.total).toBe(1);
    // 7 h + 4 h after creation: still valid, because the first check moved the expiry (past its first 8 hours).
    expect(await validateSession(db, token, new Date(later.getTime() + 4 * HOUR))).not.toBeNull();
    // 12 hours after creation the session has ended, however active it was.
    expect(await validateSession(db, token, new Date(start.getTime() + 12 * HOUR))).toBeNull();
  });

  it("refuses an expired session", async () => {
    const start = at("2026-11-25T09:00:00.000Z");
    const token = await createSession(db, adminId, start);
    expect(await validateSession(db, token, new Date(start.getTime() + SESSION_IDLE_SECONDS * 1000))).toBeNull();
    expect(await validateSession(db, token, new Date(start.getTime() + 9 * HOUR))).toBeNull();
  });

  it("refuses a deleted session", async () => {
    const now = at("2026-11-25T09:00:00.000Z");
    const token = await createSession(db, adminId, now);
    await deleteSession(db, token);
    expect(await validateSession(db, token, now)).toBeNull();
  });

  it("refuses a wrong or malformed token", async () => {
    const now = at("2026-11-25T09:00:00.000Z");
    const token = await createSession(db, adminId, now);
    const other = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    expect(await validateSession(db, other, now)).toBeNull();
    expect(await validateSession(db, "", now)).toBeNull();
    expect(await validateSession(db, `${token}' OR 1=1 --`, now)).toBeNull();
  });

  it("makes HttpOnly, SameSite=Strict cookies, Secure and __Host- prefixed except on local plain HTTP", () => {
    expect(sessionCookie("tok", { secure: true })).toBe(
      "__Host-rma_staff=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800; Secure",
    );
    expect(sessionCookie("tok", { secure: false })).toBe("rma_staff=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800");
    expect(clearSessionCookie({ secure: true })).toBe("__Host-rma_staff=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure");
    expect(isSecureOrigin("http://localhost:4321/admin")).toBe(false);
    expect(isSecureOrigin("http://127.0.0.1:8787/")).toBe(false);
    expect(isSecureOrigin("http://[::1]:8787/")).toBe(false);
    expect(isSecureOrigin("https://localhost/")).toBe(true);
    expect(isSecureOrigin("https://rma.alkeria.example/")).toBe(true);
    expect(isSecureOrigin("http://rma.alkeria.example/")).toBe(true);
  });
});

describe("staff login", () => {
  it("accepts the right password, whatever the email's case, and records the login", async () => {
    const now = at("2026-11-25T10:00:00.000Z");
    const user = await authenticateStaff(db, ` ${DEMO_ADMIN_EMAIL.toUpperCase()} `, DEMO_ADMIN_PASSWORD, now);
    expect(user).toEqual({ id: adminId, email: DEMO_ADMIN_EMAIL, role: "admin", locale: "en", lastLoginAt: now.toISOString() });
    const [row] = await tdb.query<{ last_login_at: string }>("SELECT last_login_at FROM staff_users WHERE id = ?", [adminId]);
    expect(row?.last_login_at).toBe(now.toISOString());
  });

  it("refuses a wrong password and an unknown email alike", async () => {
    const now = at("2026-11-25T11:00:00.000Z");
    expect(await authenticateStaff(db, DEMO_ADMIN_EMAIL, "wrong-password!", now)).toBeNull();
    expect(await authenticateStaff(db, "nobody@alkeria.example", DEMO_ADMIN_PASSWORD, now)).toBeNull();
    const [row] = await tdb.query<{ last_login_at: string }>("SELECT last_login_at FROM staff_users WHERE id = ?", [adminId]);
    expect(row?.last_login_at).not.toBe(now.toISOString());
  });

  it("checks an unknown email against a hash as costly as a real one", async () => {
    const [, iterations] = (await hashPassword("anything at all")).split("$");
    expect(DUMMY_PASSWORD_HASH.split("$")[1]).toBe(iterations);
  });
});

describe("rate limits", () => {
  const rule = (now: Date) => ({ limit: 3, windowSeconds: 600, now });

  it("allows up to the limit in a window, then refuses with the wait until the next one", async () => {
    const key = limitKeys.lookupIp("203.0.113.7");
    const t = at("2026-11-25T10:02:00.000Z");
    trips.reset();
    expect(await hit(db, key, rule(t))).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
    expect(trips.total).toBe(1);
    expect(await hit(db, key, rule(t))).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
    expect(await hit(db, key, rule(t))).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    expect(await hit(db, key, rule(t))).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 480 });
    expect(await peek(db, key, rule(at("2026-11-25T10:09:59.500Z")))).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterSeconds: 1,
    });
  });

  it("starts again in a new window", async () => {
    const key = limitKeys.tokenIp("203.0.113.8");
    for (let i = 0; i < 4; i++) await hit(db, key, rule(at("2026-11-25T10:00:00.000Z")));
    expect((await hit(db, key, rule(at("2026-11-25T10:09:59.999Z")))).allowed).toBe(false);
    expect(await hit(db, key, rule(at("2026-11-25T10:10:00.000Z")))).toEqual({
      allowed: true,
      remaining: 2,
      retryAfterSeconds: 0,
    });
  });

  it("counts concurrent attempts exactly", async () => {
    const key = limitKeys.loginIp("203.0.113.9");
    const t = at("2026-11-25T10:00:00.000Z");
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => hit(db, key, rule(t))));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
    const [row] = await tdb.query<{ count: number }>("SELECT count FROM rate_limits WHERE key = ?", [key]);
    expect(row?.count).toBe(10);
  });

  it("peeks without counting, and forgets an account's failures after reset", async () => {
    const key = limitKeys.loginAccount(" Admin@Alkeria.example ");
    expect(key).toBe("login:account:admin@alkeria.example");
    const t = at("2026-11-25T10:00:00.000Z");
    expect(await peek(db, key, rule(t))).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
    for (let i = 0; i < 3; i++) await hit(db, key, rule(t));
    expect((await peek(db, key, rule(t))).allowed).toBe(false);
    await reset(db, key);
    expect(await peek(db, key, rule(t))).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
    expect(await hit(db, key, rule(t))).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
  });

  it("prunes counters of past windows", async () => {
    await hit(db, "prune:old", rule(at("2026-11-24T08:00:00.000Z")));
    await hit(db, "prune:new", rule(at("2026-11-25T12:00:00.000Z")));
    await pruneLimits(db, at("2026-11-25T00:00:00.000Z"));
    const keys = await tdb.query<{ key: string }>("SELECT key FROM rate_limits WHERE key LIKE 'prune:%'");
    expect(keys.map((k) => k.key)).toEqual(["prune:new"]);
  });
});
