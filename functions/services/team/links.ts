/**
 * One-time links to set a password (an invitation or a reset): 32 random bytes in the link, only their
 * SHA-256 stored, 48 hours, used once. Redeeming claims the link in one UPDATE (unused, not expired), so
 * two tabs cannot both use it.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { staffTokens } from "../../../db/schema/team.ts";
import { staffSessions, staffUsers } from "../../../db/schema.ts";
import { hashPassword, passwordProblem } from "../../auth/password.ts";
import { Refusal } from "../../errors.ts";
import { type Locale, t, toLocale } from "../../i18n/index.ts";
import { auditStatement } from "./audit.ts";
import { passwordRefusal } from "./passwords.ts";

export const LINK_HOURS = 48;

export type LinkPurpose = "invite" | "reset";

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const isLinkTokenShaped = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

/** A new link's token (for the URL) and the row to store (its hash), to insert in the caller's batch. */
export async function newLink(userId: string, purpose: LinkPurpose, createdBy: string | null, now: Date) {
  const token = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const row: typeof staffTokens.$inferInsert = {
    tokenHash: await sha256Hex(token),
    userId,
    purpose,
    createdBy,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + LINK_HOURS * 3_600_000).toISOString(),
  };
  return { token, row };
}

export function setPasswordPath(token: string): string {
  return `/admin/password?t=${token}`;
}

export interface LinkHolder {
  userId: string;
  email: string;
  purpose: LinkPurpose;
  /** The account's desk language: the page to set the password speaks it. */
  locale: Locale;
}

/** Why a link does not work now (unknown, used, expired, account disabled), as a refusal; else its holder. */
export async function checkLink(db: Db, token: string, now: Date, locale: Locale): Promise<LinkHolder> {
  const invalid = () => new Refusal("invalid_link", t(locale, "team.link.invalid"));
  if (!isLinkTokenShaped(token)) throw invalid();
  const [row] = await db
    .select({
      userId: staffTokens.userId,
      purpose: staffTokens.purpose,
      expiresAt: staffTokens.expiresAt,
      usedAt: staffTokens.usedAt,
      email: staffUsers.email,
      disabledAt: staffUsers.disabledAt,
      locale: staffUsers.locale,
    })
    .from(staffTokens)
    .innerJoin(staffUsers, eq(staffUsers.id, staffTokens.userId))
    .where(eq(staffTokens.tokenHash, await sha256Hex(token)))
    .limit(1);
  if (!row || row.disabledAt !== null) throw invalid();
  if (row.usedAt !== null) throw new Refusal("link_used", t(locale, "team.link.used"));
  if (row.expiresAt <= now.toISOString()) throw new Refusal("link_expired", t(locale, "team.link.expired"));
  return { userId: row.userId, email: row.email, purpose: row.purpose, locale: toLocale(row.locale) };
}

/**
 * Sets the password of the link's account and uses the link up, ending the account's sessions: the
 * link is claimed first (one UPDATE that only an unused, unexpired link passes), then the password and
 * the audit entry are written in one batch.
 */
export async function redeemLink(
  db: Db,
  input: { token: string; password: string; address: string; now: Date; locale: Locale },
): Promise<LinkHolder> {
  const { now, locale } = input;
  const holder = await checkLink(db, input.token, now, locale);
  const problem = passwordProblem(input.password, holder.email);
  if (problem) throw passwordRefusal(problem, holder.locale, "password");
  const passwordHash = await hashPassword(input.password);
  const nowIso = now.toISOString();
  const tokenHash = await sha256Hex(input.token);
  const claimed = await db
    .update(staffTokens)
    .set({ usedAt: nowIso })
    .where(and(eq(staffTokens.tokenHash, tokenHash), isNull(staffTokens.usedAt)))
    .returning({ userId: staffTokens.userId });
  if (claimed.length === 0) throw new Refusal("link_used", t(locale, "team.link.used"));
  await db.batch([
    db.update(staffUsers).set({ passwordHash }).where(eq(staffUsers.id, holder.userId)),
    db.delete(staffSessions).where(eq(staffSessions.userId, holder.userId)),
    // Any other open link of this account is spent too: a password was just chosen.
    db
      .update(staffTokens)
      .set({ usedAt: nowIso })
      .where(and(eq(staffTokens.userId, holder.userId), isNull(staffTokens.usedAt))),
    auditStatement(
      db,
      { actorId: holder.userId, actor: holder.email, address: input.address },
      { kind: "password-set", subject: holder.email, detail: { through: holder.purpose } },
      now,
    ),
  ]);
  return holder;
}
