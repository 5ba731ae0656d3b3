/**
 * Signing in to "My returns" without a password: an email address asks for a one-time link; the link
 * (15 minutes, once, purpose-bound) opens a customer session.
 *
 * Asking is one write batch whatever the address: the two rate-limit counters (per email address and
 * per client address), then the token and the email, each inserted only when the address has requested
 * RMAs and both counters are within their limits. So the answer, and the work done, are the same whether
 * or not the address is a customer's; only the outbox row tells.
 */
import { and, eq, gt, isNull, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client.ts";
import { customerSessions, customerSignInTokens } from "../../../db/schema/account.ts";
import { outbox, rateLimits, returnRequests } from "../../../db/schema.ts";
import { countStatement, type LimitRule, limitKeys as sharedKeys, verdictOf } from "../../auth/rate-limit.ts";
import { deliverLater, outboxRow } from "../../email/outbox.ts";
import type { AppEnv } from "../../env.ts";
import { Refusal } from "../../errors.ts";
import { type Locale, t } from "../../i18n/index.ts";
import { FAILED_TOKEN_LIMIT } from "../rma/customer-access.ts";
import { signInEmail } from "./emails.ts";
import { LINKS_PER_ADDRESS, LINKS_PER_EMAIL, limitKeys, SIGN_IN_LINK_MINUTES } from "./limits.ts";
import { hashToken, idleEnd, isTokenShaped, newToken } from "./session.ts";

/** The address typed on `/account`: trimmed, lower-cased, an email address. */
export function emailSchema(locale: Locale) {
  return z.strictObject({
    email: z
      .string({ error: t(locale, "account.signIn.emailInvalid") })
      .trim()
      .min(1, { error: t(locale, "account.signIn.emailRequired") })
      .max(254, { error: t(locale, "account.signIn.emailTooLong") })
      .pipe(z.email({ error: t(locale, "account.signIn.emailInvalid") }))
      .transform((v) => v.toLowerCase()),
  });
}

/** The landing page of a link: `/account/sign-in?token=…` in the language it was asked in. */
export function signInPath(locale: Locale, token: string): string {
  return `${locale === "en" ? "" : `/${locale}`}/account/sign-in?token=${token}`;
}

function tooMany(locale: Locale, retryAfterSeconds: number): Refusal {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const err = new Refusal("too_many_requests", t(locale, "account.signIn.tooMany", { count: minutes }));
  err.retryAfterSeconds = retryAfterSeconds;
  return err;
}

export interface LinkRequest {
  /** Lower-cased (see `emailSchema`). */
  email: string;
  locale: Locale;
  clientAddress: string;
  now: Date;
  /** The portal's address without a trailing slash, for the link in the email. */
  baseUrl: string;
}

/**
 * Mails a sign-in link when the address has requested RMAs, in one round trip; the same (no) answer
 * otherwise. Throws `too_many_requests` over either limit, for every address alike. Returns the outbox
 * row's id to deliver after the response (no row is stored for an unknown address: delivering it is a no-op).
 */
export async function requestSignInLink(db: Db, env: AppEnv, input: LinkRequest): Promise<{ emailId: string }> {
  const perEmail: LimitRule = { ...LINKS_PER_EMAIL, now: input.now };
  const perAddress: LimitRule = { ...LINKS_PER_ADDRESS, now: input.now };
  const emailKey = limitKeys.email(input.email);
  const addressKey = limitKeys.address(input.clientAddress);
  const token = newToken();
  const link = input.baseUrl + signInPath(input.locale, token);
  const row = outboxRow({ to: input.email, ...signInEmail(input.locale, link) }, env);
  // Only for a customer's address, and only while both counters (written just before, in this batch) allow it.
  const allowed = sql`EXISTS (SELECT 1 FROM ${returnRequests} WHERE lower(${returnRequests.email}) = ${input.email})
    AND (SELECT ${rateLimits.count} FROM ${rateLimits} WHERE ${rateLimits.key} = ${emailKey}) <= ${perEmail.limit}
    AND (SELECT ${rateLimits.count} FROM ${rateLimits} WHERE ${rateLimits.key} = ${addressKey}) <= ${perAddress.limit}`;
  const expiresAt = new Date(input.now.getTime() + SIGN_IN_LINK_MINUTES * 60_000).toISOString();
  const [byEmail, byAddress] = await db.batch([
    countStatement(db, emailKey, perEmail),
    countStatement(db, addressKey, perAddress),
    db.run(sql`INSERT INTO ${customerSignInTokens} (token_hash, purpose, email, locale, created_at, expires_at)
      SELECT ${await hashToken("sign-in", token)}, 'sign-in', ${input.email}, ${input.locale}, ${input.now.toISOString()}, ${expiresAt}
      WHERE ${allowed}`),
    db.run(sql`INSERT INTO ${outbox} (id, recipient, subject, text, html, status, dedupe_key)
      SELECT ${row.id}, ${row.recipient}, ${row.subject}, ${row.text}, ${row.html}, ${row.status ?? "held"}, ${`sign-in:${row.id}`}
      WHERE ${allowed}`),
  ]);
  for (const verdict of [verdictOf(byEmail, perEmail), verdictOf(byAddress, perAddress)]) {
    if (!verdict.allowed) throw tooMany(input.locale, verdict.retryAfterSeconds);
  }
  return { emailId: row.id };
}

/** `requestSignInLink` and its email sent after the response. */
export async function mailSignInLink(
  db: Db,
  env: AppEnv,
  input: LinkRequest,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<void> {
  const { emailId } = await requestSignInLink(db, env, input);
  deliverLater(waitUntil, db, env, [emailId]);
}

export type LinkState = { ok: true; email: string; locale: Locale } | { ok: false; refusal: Refusal };

function linkRefusal(locale: Locale, why: "invalid" | "expired" | "used"): Refusal {
  if (why === "expired") return new Refusal("link_expired", t(locale, "account.link.expired", { minutes: SIGN_IN_LINK_MINUTES }));
  if (why === "used") return new Refusal("link_used", t(locale, "account.link.used"));
  return new Refusal("invalid_link", t(locale, "account.link.invalid"));
}

/** Why a token cannot sign in now (read only, for the landing page and after a failed use). */
async function stateOf(db: Db, token: string | null | undefined, now: Date, locale: Locale): Promise<LinkState> {
  if (!isTokenShaped(token)) return { ok: false, refusal: linkRefusal(locale, "invalid") };
  const [row] = await db
    .select()
    .from(customerSignInTokens)
    .where(
      and(eq(customerSignInTokens.tokenHash, await hashToken("sign-in", token)), eq(customerSignInTokens.purpose, "sign-in")),
    )
    .limit(1);
  if (!row) return { ok: false, refusal: linkRefusal(locale, "invalid") };
  if (row.usedAt) return { ok: false, refusal: linkRefusal(locale, "used") };
  if (row.expiresAt <= now.toISOString()) return { ok: false, refusal: linkRefusal(locale, "expired") };
  return { ok: true, email: row.email, locale: row.locale === "it" || row.locale === "de" ? row.locale : "en" };
}

/**
 * The landing page's check (a GET changes nothing: mail scanners that open links do not use them up).
 * A wrong token counts toward the failed links of the client address, as the RMA links' do.
 */
export async function checkSignInLink(
  db: Db,
  input: { token: string | null | undefined; now: Date; locale: Locale; clientAddress: string },
): Promise<LinkState> {
  const state = await stateOf(db, input.token, input.now, input.locale);
  if (!state.ok && state.refusal.code === "invalid_link") await countFailure(db, input);
  return state;
}

async function countFailure(db: Db, input: { now: Date; locale: Locale; clientAddress: string }): Promise<void> {
  const rule: LimitRule = { ...FAILED_TOKEN_LIMIT, now: input.now };
  const [counted] = await db.batch([countStatement(db, sharedKeys.tokenIp(input.clientAddress), rule)]);
  const verdict = verdictOf(counted, rule);
  if (!verdict.allowed) throw tooMany(input.locale, verdict.retryAfterSeconds);
}

export interface OpenedSession {
  /** The cookie's token (never stored). */
  token: string;
  email: string;
  expiresAt: string;
}

/**
 * Uses a sign-in link: marks it used and opens a session, in one batch (the session row is made from
 * the token row the update just claimed, so a link raced twice opens one session). Refuses a wrong,
 * expired or used link, with its reason; wrong ones count toward the client address's failed links.
 */
export async function useSignInLink(
  db: Db,
  input: { token: string | null | undefined; now: Date; locale: Locale; clientAddress: string },
): Promise<OpenedSession> {
  const { token, now } = input;
  if (isTokenShaped(token)) {
    const nowIso = now.toISOString();
    const sessionToken = newToken();
    const sessionHash = await hashToken("session", sessionToken);
    const expiresAt = idleEnd(now);
    const tokenHash = await hashToken("sign-in", token);
    const [claimed] = await db.batch([
      db
        .update(customerSignInTokens)
        .set({ usedAt: nowIso, sessionHash })
        .where(
          and(
            eq(customerSignInTokens.tokenHash, tokenHash),
            eq(customerSignInTokens.purpose, "sign-in"),
            isNull(customerSignInTokens.usedAt),
            gt(customerSignInTokens.expiresAt, nowIso),
          ),
        )
        .returning({ email: customerSignInTokens.email }),
      db.run(sql`INSERT INTO ${customerSessions} (token_hash, email, created_at, last_seen_at, expires_at)
        SELECT ${sessionHash}, email, ${nowIso}, ${nowIso}, ${expiresAt} FROM ${customerSignInTokens}
        WHERE token_hash = ${tokenHash} AND session_hash = ${sessionHash}`),
    ]);
    const email = claimed[0]?.email;
    if (email) return { token: sessionToken, email, expiresAt };
  }
  const state = await checkSignInLink(db, input);
  throw state.ok ? linkRefusal(input.locale, "invalid") : state.refusal;
}

/** Deletes sign-in links that can no longer be used (for the hourly job: the lead calls it there with `pruneCustomerSessions`). */
export async function pruneSignInTokens(db: Db, now: Date): Promise<void> {
  await db.delete(customerSignInTokens).where(lte(customerSignInTokens.expiresAt, now.toISOString()));
}
