/**
 * Staff sign-in and sign-out. Every attempt is counted before the password is checked, in one write
 * that refuses once a window is full (so parallel guesses cannot all reach the check): per account and
 * client address (guessing one password from one place) and per address (guessing across accounts). An
 * account is never locked as a whole: its owner signs in from another address while someone else
 * hammers it. A successful sign-in gives its attempts back.
 */
import type { Db } from "../../../db/client.ts";
import { claimStatement, claimVerdictOf, type LimitVerdict, limitKeys, releaseStatement, reset } from "../../auth/rate-limit.ts";
import type { AppEnv } from "../../env.ts";
import { Refusal } from "../../errors.ts";
import { encodeText, type Text, text } from "../../i18n/text.ts";
import { linkContext } from "../../links.ts";
import type { ActionContext } from "../rma/action-context.ts";
import { auditorOf, recordAudit } from "../team/audit.ts";
import {
  authenticateStaff,
  createSession,
  deleteSession,
  deleteSessionsOf,
  type StaffIdentity,
  type ValidSession,
  validateSession,
} from "./session.ts";

/** Sign-in attempts allowed per window: few per account from one address, more per address (an office). */
export const LOGIN_LIMITS = {
  account: { limit: 5, windowSeconds: 15 * 60 },
  address: { limit: 20, windowSeconds: 15 * 60 },
} as const;

export const WRONG_CREDENTIALS: Text = text("errors.signIn.wrong");

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
  constructor(retryAfterSeconds: number, limit: keyof typeof LOGIN_LIMITS) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(
      "too_many_attempts",
      text(limit === "account" ? "errors.signIn.tooManyForAccount" : "errors.signIn.tooMany", { count: minutes }),
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

function tooMany(verdict: LimitVerdict, limit: keyof typeof LOGIN_LIMITS): TooManyAttempts {
  return new TooManyAttempts(verdict.retryAfterSeconds, limit);
}

export interface SignedIn {
  token: string;
  staff: StaffIdentity;
}

export async function signIn(db: Db, input: { email: string; password: string; address: string; now: Date }): Promise<SignedIn> {
  const { now } = input;
  const accountKey = limitKeys.loginAccountIp(input.email, input.address);
  const addressKey = limitKeys.loginIp(input.address);
  const accountRule = { ...LOGIN_LIMITS.account, now };
  const addressRule = { ...LOGIN_LIMITS.address, now };
  // Claimed before the password is checked, both in one round trip.
  const [a, b] = await db.batch([claimStatement(db, accountKey, accountRule), claimStatement(db, addressKey, addressRule)]);
  const account = claimVerdictOf(a, accountRule);
  const address = claimVerdictOf(b, addressRule);
  const typed = input.email.trim().toLowerCase().slice(0, 254);
  const failed = (reason: string) =>
    recordAudit(
      db,
      { actorId: null, actor: typed, address: input.address },
      { kind: "sign-in-failed", subject: typed, detail: { reason } },
      now,
    );
  if (!account.allowed) {
    await failed("too many attempts for this account");
    throw tooMany(account, "account");
  }
  if (!address.allowed) {
    await failed("too many attempts from this address");
    throw tooMany(address, "address");
  }

  const user = await authenticateStaff(db, input.email, input.password, now);
  if (!user) {
    await failed("wrong email or password, or account disabled");
    const left = Math.min(account.remaining, address.remaining);
    throw new Refusal(
      "invalid_credentials",
      left <= 2 ? text("errors.signIn.attemptsLeft", { count: left }) : WRONG_CREDENTIALS,
      { password: encodeText(WRONG_CREDENTIALS) },
    );
  }
  const staff: StaffIdentity = { userId: user.id, email: user.email, role: user.role, locale: user.locale };
  const [token] = await Promise.all([
    createSession(db, user.id, now),
    releaseStatement(db, addressKey, addressRule),
    reset(db, accountKey),
    recordAudit(db, auditorOf(staff, input.address), { kind: "sign-in", subject: user.email }, now),
  ]);
  return { token, staff };
}

/** The staff member behind a session cookie's token, or null (missing, forged or expired). */
export async function staffFromToken(db: Db, token: string | undefined | null, now: Date): Promise<ValidSession | null> {
  return token ? validateSession(db, token, now) : null;
}

export async function signOut(
  db: Db,
  token: string | undefined | null,
  who?: { staff: StaffIdentity; address: string },
): Promise<void> {
  if (token) await deleteSession(db, token);
  if (who) await recordAudit(db, auditorOf(who.staff, who.address), { kind: "sign-out", subject: who.staff.email });
}

/** Ends every session of this staff member (the desk's "Sign out everywhere"). */
export async function signOutEverywhere(db: Db, staff: StaffIdentity, address = "unknown"): Promise<void> {
  await deleteSessionsOf(db, staff.userId);
  await recordAudit(db, auditorOf(staff, address), { kind: "sign-out-everywhere", subject: staff.email });
}
