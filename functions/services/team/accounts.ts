/**
 * Staff accounts in the desk: list, invite (a one-time link to set a password), change a role, disable
 * (its sessions end at once) or enable, send a password reset link, the desk's language; one's own
 * sessions. Every change writes its audit entry in the same batch.
 */
import { and, asc, count, eq, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { staffTokens } from "../../../db/schema/team.ts";
import { staffSessions, staffUsers } from "../../../db/schema.ts";
import { isRole, type Role } from "../../domain/roles.ts";
import { insertEmails } from "../../email/outbox.ts";
import type { AppEnv } from "../../env.ts";
import { Refusal } from "../../errors.ts";
import { isLocale, type Locale, t } from "../../i18n/index.ts";
import type { LinkContext } from "../../links.ts";
import { roleOf, type StaffIdentity } from "../staff/session.ts";
import { type Auditor, auditStatement } from "./audit.ts";
import { teamLinkEmail } from "./emails.ts";
import { newLink, setPasswordPath, sha256Hex } from "./links.ts";

/** What an invited account holds until its owner sets a password: no password matches it. */
export const NO_PASSWORD_YET = "!invited";

export interface StaffAccount {
  id: string;
  email: string;
  role: Role;
  locale: Locale;
  createdAt: string;
  lastLoginAt: string | null;
  disabledAt: string | null;
  /** Invited, password not set yet. */
  invited: boolean;
}

export async function listStaff(db: Db): Promise<StaffAccount[]> {
  const rows = await db.select().from(staffUsers).orderBy(asc(staffUsers.email));
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: roleOf(r.role),
    locale: isLocale(r.locale) ? r.locale : "en",
    createdAt: r.createdAt,
    lastLoginAt: r.lastLoginAt,
    disabledAt: r.disabledAt,
    invited: r.passwordHash === NO_PASSWORD_YET,
  }));
}

/** Active accounts, for the assignment menu: a statement for the staff RMA page's batch. */
export function activeStaffStatement(db: Db) {
  return db
    .select({ id: staffUsers.id, email: staffUsers.email })
    .from(staffUsers)
    .where(isNull(staffUsers.disabledAt))
    .orderBy(asc(staffUsers.email));
}

export interface TeamContext {
  staff: StaffIdentity;
  by: Auditor;
  env: AppEnv;
  links: LinkContext;
  now: Date;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function roleRefusal(locale: Locale): Refusal {
  const message = t(locale, "team.account.roleInvalid");
  return new Refusal("validation_failed", message, { role: message });
}

export function parseRole(value: unknown, locale: Locale): Role {
  if (!isRole(value)) throw roleRefusal(locale);
  return value;
}

/** Invites a colleague: the account (no password yet), a 48-hour link, the email, the audit entry, in one batch. */
export async function invite(
  db: Db,
  input: { email?: unknown; role?: unknown; locale?: unknown },
  ctx: TeamContext,
): Promise<{ id: string; email: string; emailIds: string[] }> {
  const locale = ctx.staff.locale;
  const email = typeof input.email === "string" ? input.email.trim().toLowerCase() : "";
  if (!EMAIL.test(email) || email.length > 254) {
    const message = t(locale, "team.account.emailInvalid");
    throw new Refusal("validation_failed", message, { email: message });
  }
  const role = parseRole(input.role, locale);
  const deskLocale: Locale = input.locale === "it" ? "it" : "en";
  const [existing] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, email)).limit(1);
  if (existing) {
    const message = t(locale, "team.account.emailTaken");
    throw new Refusal("email_taken", message, { email: message });
  }
  const id = crypto.randomUUID();
  const { token, row } = await newLink(id, "invite", ctx.staff.userId, ctx.now);
  const mail = teamLinkEmail({
    kind: "invite",
    to: email,
    locale: deskLocale,
    by: ctx.staff.email,
    role,
    url: ctx.links.baseUrl + setPasswordPath(token),
    key: `invite:${row.tokenHash}`,
  });
  const emails = [mail];
  const rows = await db.batch([
    db.insert(staffUsers).values({ id, email, passwordHash: NO_PASSWORD_YET, role, locale: deskLocale }),
    db.insert(staffTokens).values(row),
    insertEmails(db, emails, ctx.env).returning({ id: sql<string>`id` }),
    auditStatement(db, ctx.by, { kind: "account-invited", subject: email, detail: { role } }, ctx.now),
  ]);
  return { id, email, emailIds: rows[2].map((r) => r.id) };
}

async function accountOf(db: Db, id: string, locale: Locale) {
  const [row] = await db.select().from(staffUsers).where(eq(staffUsers.id, id)).limit(1);
  if (!row) throw new Refusal("not_found", t(locale, "team.account.unknown"));
  return row;
}

function notYourself(ctx: TeamContext, id: string): void {
  if (ctx.staff.userId === id) throw new Refusal("not_yourself", t(ctx.staff.locale, "team.account.notYourself"));
}

async function ensureOtherAdmin(db: Db, id: string, locale: Locale): Promise<void> {
  const [row] = await db
    .select({ n: count() })
    .from(staffUsers)
    .where(and(eq(staffUsers.role, "admin"), isNull(staffUsers.disabledAt), ne(staffUsers.id, id)));
  if ((row?.n ?? 0) === 0) throw new Refusal("last_admin", t(locale, "team.account.lastAdmin"));
}

export async function setRole(db: Db, id: string, roleInput: unknown, ctx: TeamContext): Promise<StaffAccount> {
  const locale = ctx.staff.locale;
  const role = parseRole(roleInput, locale);
  notYourself(ctx, id);
  const account = await accountOf(db, id, locale);
  if (account.role === "admin" && role !== "admin") await ensureOtherAdmin(db, id, locale);
  await db.batch([
    db.update(staffUsers).set({ role }).where(eq(staffUsers.id, id)),
    auditStatement(
      db,
      ctx.by,
      { kind: "account-role", subject: account.email, detail: { from: account.role, to: role } },
      ctx.now,
    ),
  ]);
  return (await listStaff(db)).find((a) => a.id === id) as StaffAccount;
}

/** Disables an account and ends all its sessions at once (one batch), or enables it again. */
export async function setDisabled(db: Db, id: string, disabled: boolean, ctx: TeamContext): Promise<void> {
  const locale = ctx.staff.locale;
  notYourself(ctx, id);
  const account = await accountOf(db, id, locale);
  if (disabled && account.role === "admin") await ensureOtherAdmin(db, id, locale);
  await db.batch([
    db
      .update(staffUsers)
      .set({ disabledAt: disabled ? (account.disabledAt ?? ctx.now.toISOString()) : null })
      .where(eq(staffUsers.id, id)),
    db.delete(staffSessions).where(disabled ? eq(staffSessions.userId, id) : sql`0`),
    auditStatement(db, ctx.by, { kind: disabled ? "account-disabled" : "account-enabled", subject: account.email }, ctx.now),
  ]);
}

/** Sends a one-time link (48 h) to set a new password; the old password works until it is used. */
export async function sendReset(db: Db, id: string, ctx: TeamContext): Promise<{ email: string; emailIds: string[] }> {
  const account = await accountOf(db, id, ctx.staff.locale);
  if (account.disabledAt !== null) throw new Refusal("conflict", t(ctx.staff.locale, "team.account.disabled"));
  const { token, row } = await newLink(
    id,
    account.passwordHash === NO_PASSWORD_YET ? "invite" : "reset",
    ctx.staff.userId,
    ctx.now,
  );
  const mail = teamLinkEmail({
    kind: row.purpose === "invite" ? "invite" : "reset",
    to: account.email,
    locale: isLocale(account.locale) ? account.locale : "en",
    by: ctx.staff.email,
    role: roleOf(account.role),
    url: ctx.links.baseUrl + setPasswordPath(token),
    key: `reset:${row.tokenHash}`,
  });
  const rows = await db.batch([
    db.insert(staffTokens).values(row),
    insertEmails(db, [mail], ctx.env).returning({ id: sql<string>`id` }),
    auditStatement(db, ctx.by, { kind: "password-reset-sent", subject: account.email }, ctx.now),
  ]);
  return { email: account.email, emailIds: rows[1].map((r) => r.id) };
}

/** The desk's language of one's own account: English or Italian. */
export async function setOwnLocale(db: Db, value: unknown, ctx: TeamContext): Promise<Locale> {
  const locale: Locale = value === "it" ? "it" : "en";
  await db.batch([
    db.update(staffUsers).set({ locale }).where(eq(staffUsers.id, ctx.staff.userId)),
    auditStatement(db, ctx.by, { kind: "account-language", subject: ctx.staff.email, detail: { to: locale } }, ctx.now),
  ]);
  return locale;
}

export interface OwnSession {
  /** A short public id of the session (the first 16 hex digits of its stored hash). */
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export async function listOwnSessions(
  db: Db,
  staff: StaffIdentity,
  currentToken: string | undefined,
  now: Date,
): Promise<OwnSession[]> {
  const current = currentToken ? await sha256Hex(currentToken) : "";
  const rows = await db
    .select()
    .from(staffSessions)
    .where(and(eq(staffSessions.userId, staff.userId), sql`${staffSessions.expiresAt} > ${now.toISOString()}`))
    .orderBy(asc(staffSessions.createdAt));
  return rows.map((r) => ({
    id: r.tokenHash.slice(0, 16),
    createdAt: r.createdAt,
    lastSeenAt: r.lastSeenAt,
    expiresAt: r.expiresAt,
    current: r.tokenHash === current,
  }));
}

/** Ends one of one's own sessions by its short id. */
export async function endOwnSession(db: Db, sessionId: string, ctx: TeamContext): Promise<boolean> {
  if (!/^[0-9a-f]{16}$/.test(sessionId)) return false;
  const deleted = await db
    .delete(staffSessions)
    .where(and(eq(staffSessions.userId, ctx.staff.userId), sql`substr(${staffSessions.tokenHash}, 1, 16) = ${sessionId}`))
    .returning({ h: staffSessions.tokenHash });
  if (deleted.length === 0) return false;
  await auditStatement(db, ctx.by, { kind: "session-ended", subject: ctx.staff.email, detail: { session: sessionId } }, ctx.now);
  return true;
}
