/**
 * Staff sign-in and sign-out. Failed sign-ins are counted per account and per client address; an
 * attempt over either limit is refused before the password is even checked. A successful sign-in
 * forgets the account's failures.
 */
import type { Db } from "../../../db/client.ts";
import { countStatement, type LimitVerdict, limitKeys, peek, reset, verdictOf } from "../../auth/rate-limit.ts";
import type { AppEnv } from "../../env.ts";
import { Refusal } from "../../errors.ts";
import { linkContext } from "../../links.ts";
import type { ActionContext } from "../rma/action-context.ts";
import { authenticateStaff, createSession, deleteSession, type StaffIdentity, validateSession } from "./session.ts";

/** Failed sign-ins allowed per window: few per account (guessing one password), more per address (an office). */
export const LOGIN_LIMITS = {
  account: { limit: 5, windowSeconds: 15 * 60 },
  address: { limit: 20, windowSeconds: 15 * 60 },
} as const;

export const WRONG_CREDENTIALS = "The email or the password is not right.";

/** The client's address as Cloudflare gives it; "unknown" where there is none (local runs, tests). */
export function actorOf(staff: StaffIdentity): string {
  return `staff:${staff.email}`;
}

/** A staff member's action context for a request to `requestUrl` (links in emails point at that host). */
export function staffActionContext(staff: StaffIdentity, env: AppEnv, requestUrl: string, now = new Date()): ActionContext {
  return { actor: actorOf(staff), env, links: linkContext(env, requestUrl), now };
}

/** A refused sign-in attempt over a limit; `retryAfterSeconds` goes in the Retry-After header. */
export class TooManyAttempts extends Refusal {
  constructor(retryAfterSeconds: number, what: string) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super("too_many_attempts", `Too many failed sign-ins ${what}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

function tooMany(verdict: LimitVerdict, what: string): TooManyAttempts {
  return new TooManyAttempts(verdict.retryAfterSeconds, what);
}

export interface SignedIn {
  token: string;
  staff: StaffIdentity;
}

export async function signIn(db: Db, input: { email: string; password: string; address: string; now: Date }): Promise<SignedIn> {
  const { now } = input;
  const accountKey = limitKeys.loginAccount(input.email);
  const addressKey = limitKeys.loginIp(input.address);
  const accountRule = { ...LOGIN_LIMITS.account, now };
  const addressRule = { ...LOGIN_LIMITS.address, now };
  const [account, address] = await Promise.all([peek(db, accountKey, accountRule), peek(db, addressKey, addressRule)]);
  if (!account.allowed) throw tooMany(account, "for this account");
  if (!address.allowed) throw tooMany(address, "from your network address");

  const user = await authenticateStaff(db, input.email, input.password, now);
  if (!user) {
    // Both failures counted in one round trip.
    const [a, b] = await db.batch([countStatement(db, accountKey, accountRule), countStatement(db, addressKey, addressRule)]);
    const afterAccount = verdictOf(a, accountRule);
    const afterAddress = verdictOf(b, addressRule);
    const left = Math.min(afterAccount.remaining, afterAddress.remaining);
    throw new Refusal(
      "invalid_credentials",
      left <= 2
        ? `${WRONG_CREDENTIALS} ${left} attempt${left === 1 ? "" : "s"} left before sign-in is paused.`
        : WRONG_CREDENTIALS,
      { password: WRONG_CREDENTIALS },
    );
  }
  const [token] = await Promise.all([createSession(db, user.id, now), reset(db, accountKey)]);
  return { token, staff: { userId: user.id, email: user.email } };
}

/** The staff member behind a session cookie's token, or null (missing, forged or expired). */
export async function staffFromToken(db: Db, token: string | undefined | null, now: Date): Promise<StaffIdentity | null> {
  return token ? validateSession(db, token, now) : null;
}

export async function signOut(db: Db, token: string | undefined | null): Promise<void> {
  if (token) await deleteSession(db, token);
}
