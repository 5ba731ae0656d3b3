/**
 * Fixed-window rate limits in `rate_limits`: one row per key, counted by one upsert, so concurrent
 * requests (and several Worker isolates) share the count without a read-then-write race.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { rateLimits } from "../../db/schema.ts";

export interface LimitRule {
  limit: number;
  windowSeconds: number;
  now: Date;
}

export interface LimitVerdict {
  allowed: boolean;
  /** Attempts left in this window after this one. */
  remaining: number;
  /** Seconds until the window ends when refused; 0 when allowed. */
  retryAfterSeconds: number;
}

/** The keys the portal counts under; emails are normalised so case does not give extra attempts. */
export const limitKeys = {
  loginAccount: (email: string) => `login:account:${email.trim().toLowerCase()}`,
  loginAccountIp: (email: string, address: string) => `login:account-ip:${email.trim().toLowerCase()}:${address}`,
  loginIp: (address: string) => `login:ip:${address}`,
  lookupIp: (address: string) => `lookup:ip:${address}`,
  tokenIp: (address: string) => `token:ip:${address}`,
};

function windowOf(rule: Pick<LimitRule, "windowSeconds" | "now">): { start: string; endMs: number } {
  const size = rule.windowSeconds * 1000;
  const startMs = Math.floor(rule.now.getTime() / size) * size;
  return { start: new Date(startMs).toISOString(), endMs: startMs + size };
}

function verdict(count: number, rule: LimitRule, endMs: number): LimitVerdict {
  const allowed = count <= rule.limit;
  return {
    allowed,
    remaining: Math.max(0, rule.limit - count),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((endMs - rule.now.getTime()) / 1000)),
  };
}

/**
 * The upsert that counts one attempt under `key`, to run alone or inside a batch with the request's
 * other statements (so a rate-limited lookup is still one round trip); `verdictOf` reads its result.
 */
export function countStatement(db: Db, key: string, rule: LimitRule) {
  return upsertAttempt(db, key, rule, false);
}

/** One attempt more under `key` in the rule's window (a new window starts again at 1); `onlyWithRoom` stops at the limit. */
function upsertAttempt(db: Db, key: string, rule: LimitRule, onlyWithRoom: boolean) {
  const { start } = windowOf(rule);
  return db
    .insert(rateLimits)
    .values({ key, windowStart: start, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`CASE WHEN ${rateLimits.windowStart} = excluded.window_start THEN ${rateLimits.count} + 1 ELSE 1 END`,
        windowStart: sql`excluded.window_start`,
      },
      ...(onlyWithRoom
        ? { setWhere: sql`${rateLimits.windowStart} <> excluded.window_start OR ${rateLimits.count} < ${rule.limit}` }
        : {}),
    })
    .returning({ count: rateLimits.count });
}

export function verdictOf(rows: { count: number }[], rule: LimitRule): LimitVerdict {
  return verdict(rows[0]?.count ?? 1, rule, windowOf(rule).endMs);
}

/**
 * The upsert that claims one attempt under `key` only while the window still has room: it returns the
 * new count, or no row when the limit is already reached (nothing is counted then, so the stored count
 * never passes the limit). Run before the work it guards (a password check), N parallel attempts get at
 * most `limit` rows back, whatever their order: SQLite serialises the writes.
 */
export function claimStatement(db: Db, key: string, rule: LimitRule) {
  return upsertAttempt(db, key, rule, true);
}

/** The verdict of a `claimStatement`: no row back means the window was full and nothing was counted. */
export function claimVerdictOf(rows: { count: number }[], rule: LimitRule): LimitVerdict {
  const { endMs } = windowOf(rule);
  const row = rows[0];
  return row ? verdict(row.count, rule, endMs) : verdict(rule.limit + 1, rule, endMs);
}

/** Gives back one attempt claimed under `key` in this window (e.g. a sign-in that succeeded). */
export function releaseStatement(db: Db, key: string, rule: Pick<LimitRule, "windowSeconds" | "now">) {
  const { start } = windowOf(rule);
  return db
    .update(rateLimits)
    .set({ count: sql`MAX(${rateLimits.count} - 1, 0)` })
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, start)));
}

/** Counts one attempt under `key` and says whether it is within the limit. One statement. */
export async function hit(db: Db, key: string, rule: LimitRule): Promise<LimitVerdict> {
  return verdictOf(await countStatement(db, key, rule), rule);
}

/** Whether one more attempt would be allowed, without counting it (e.g. before checking a password). */
export async function peek(db: Db, key: string, rule: LimitRule): Promise<LimitVerdict> {
  const { start, endMs } = windowOf(rule);
  const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, key)).limit(1);
  const count = row && row.windowStart === start ? row.count : 0;
  return verdict(count + 1, rule, endMs);
}

/** Forgets the count (e.g. the failed logins of an account after a successful one). */
export async function reset(db: Db, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** Deletes counters whose window started before `before` (for the scheduled job). */
export async function pruneLimits(db: Db, before: Date): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, before.toISOString()));
}
