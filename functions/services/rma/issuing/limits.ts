/**
 * Issuing, the limits of the public form: requests per client address per hour and per email address per
 * day, counted INSIDE the request's own write batch (a counter upsert and a guard that fails the batch
 * when a count passes its limit), so an allowed request stays one round trip and a refused one stores
 * nothing and mails nothing. Set from `env`; 0 turns a limit off.
 */
import { inArray, sql } from "drizzle-orm";
import type { RunnableQuery } from "drizzle-orm/runnable-query";
import type { Db } from "../../../../db/client.ts";
import { rateLimits } from "../../../../db/schema.ts";
import { countStatement, type LimitRule, type LimitVerdict, verdictOf } from "../../../auth/rate-limit.ts";
import type { AppEnv } from "../../../env.ts";
import { Refusal } from "../../../errors.ts";
import { text } from "../../../i18n/text.ts";
import { failBatchUnless } from "../batch-guard.ts";

/** Defaults: an office sending a day's returns is far below them; a script mailing receipts is not. */
export const REQUEST_LIMIT_DEFAULTS = { perAddressPerHour: 10, perEmailPerDay: 5 } as const;

export interface RequestLimit {
  key: string;
  rule: LimitRule;
  what: "address" | "email";
}

function setting(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

export const requestLimitKeys = {
  address: (address: string) => `request:ip:${address}`,
  email: (email: string) => `request:email:${email.trim().toLowerCase()}`,
};

/** The limits one request is counted under (none when both are off). */
export function requestLimits(env: AppEnv, input: { address: string; email: string; now: Date }): RequestLimit[] {
  const perAddress = setting(env.REQUESTS_PER_ADDRESS_PER_HOUR, REQUEST_LIMIT_DEFAULTS.perAddressPerHour);
  const perEmail = setting(env.REQUESTS_PER_EMAIL_PER_DAY, REQUEST_LIMIT_DEFAULTS.perEmailPerDay);
  const limits: RequestLimit[] = [];
  if (perAddress > 0) {
    limits.push({
      key: requestLimitKeys.address(input.address),
      rule: { limit: perAddress, windowSeconds: 3600, now: input.now },
      what: "address",
    });
  }
  if (perEmail > 0) {
    limits.push({
      key: requestLimitKeys.email(input.email),
      rule: { limit: perEmail, windowSeconds: 86_400, now: input.now },
      what: "email",
    });
  }
  return limits;
}

/** The batch's statements: each counter, then one guard failing the batch when any is over its limit. */
export function limitStatements(db: Db, limits: RequestLimit[]) {
  if (limits.length === 0) return [];
  const within = sql.join(
    limits.map(
      (l) =>
        sql`coalesce((SELECT ${rateLimits.count} FROM ${rateLimits} WHERE ${rateLimits.key} = ${l.key}), 0) <= ${l.rule.limit}`,
    ),
    sql` AND `,
  );
  return [...limits.map((l) => countStatement(db, l.key, l.rule)), failBatchUnless(db, within, "request-limit")];
}

/**
 * After a batch with these limits failed its guards: the refusal of the limit that is full, or null when
 * none is (another guard failed). One read, only on this rare path.
 */
export async function limitRefusal(db: Db, limits: RequestLimit[]): Promise<Refusal | null> {
  if (limits.length === 0) return null;
  const rows = await db
    .select()
    .from(rateLimits)
    .where(
      inArray(
        rateLimits.key,
        limits.map((l) => l.key),
      ),
    );
  for (const l of limits) {
    const row = rows.find((r) => r.key === l.key);
    const windowMs = l.rule.windowSeconds * 1000;
    const start = Math.floor(l.rule.now.getTime() / windowMs) * windowMs;
    if (!row || row.windowStart !== new Date(start).toISOString() || row.count < l.rule.limit) continue;
    const retryAfterSeconds = Math.max(1, Math.ceil((start + windowMs - l.rule.now.getTime()) / 1000));
    const err = new Refusal(
      "too_many_requests",
      text(l.what === "address" ? "errors.request.tooManyFromAddress" : "errors.request.tooManyForEmail", {
        limit: l.rule.limit,
      }),
    );
    err.retryAfterSeconds = retryAfterSeconds;
    return err;
  }
  return null;
}

/** Serial checks allowed per client address per hour by default (the form checks each unit as it is typed). */
export const SERIAL_CHECKS_PER_HOUR = 200;

/**
 * The serial-check limit, shared by `GET /api/serials/{serial}` and the form's no-JavaScript "Check the
 * serial numbers" button: one count per serial looked up, per client address; null when turned off (0).
 */
export function serialCheckLimit(env: AppEnv, now: Date): LimitRule | null {
  const limit = setting(env.SERIAL_CHECKS_PER_ADDRESS_PER_HOUR, SERIAL_CHECKS_PER_HOUR);
  return limit > 0 ? { limit, windowSeconds: 3600, now } : null;
}

export const serialCheckKey = (address: string) => `serial-check:ip:${address}`;

/**
 * Counts `checks` serial checks (at least one) for `address` and reads the registry with `read`, in one
 * batch (one round trip; the counters first, so the batch is a write): the read's rows and the verdict.
 */
export async function countSerialChecks<Row>(
  db: Db,
  input: { address: string; rule: LimitRule; checks: number },
  read: RunnableQuery<Row[], "sqlite">,
): Promise<{ rows: Row[]; verdict: LimitVerdict }> {
  const count = () => countStatement(db, serialCheckKey(input.address), input.rule);
  const counters = Array.from({ length: Math.max(0, input.checks - 1) }, count);
  const results = await db.batch([count(), ...counters, read]);
  const rows = results.at(-1) as Row[];
  return { rows, verdict: verdictOf((results.at(-2) ?? []) as { count: number }[], input.rule) };
}

export function serialCheckRefusal(retryAfterSeconds: number): Refusal {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const err = new Refusal("too_many_requests", text("errors.serial.tooManyChecks", { count: minutes }));
  err.retryAfterSeconds = retryAfterSeconds;
  return err;
}
