/**
 * Staff sessions: a random token in an HttpOnly cookie, only its SHA-256 in `staff_sessions`, expiring
 * after 8 hours without activity and 12 hours after sign-in whatever the activity. Checking a session
 * is one statement that also slides its expiry (never past the absolute end); the cookie's lifetime
 * follows the session's.
 */
import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { staffSessions, staffUsers } from "../../../db/schema.ts";
import { hashPassword, verifyPassword } from "../../auth/password.ts";
import { isRole, type Role } from "../../domain/roles.ts";
import { isSecureOrigin } from "../../http/protection.ts";
import { type Locale, toLocale } from "../../i18n/index.ts";

export const SESSION_COOKIE = "rma_staff";
/** Over HTTPS the cookie is `__Host-` prefixed: only this host, Path=/, Secure, never set by a subdomain. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** The session cookie's name for a request to `url`: prefixed wherever the site is served securely. */
export function sessionCookieName(url: string | URL): string {
  return isSecureOrigin(url) ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}
export const SESSION_IDLE_SECONDS = 8 * 60 * 60;
export const SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60;

/**
 * Compared against when the email is unknown, so a login takes as long for a missing account as for
 * a wrong password. Same scheme and iterations as `hashPassword` (a test keeps them equal).
 */
export const DUMMY_PASSWORD_HASH = `pbkdf2-sha256$100000$${"A".repeat(22)}==$${"A".repeat(43)}=`;

export interface StaffIdentity {
  userId: string;
  email: string;
  /** What the account may do (functions/domain/roles.ts). */
  role: Role;
  /** The desk's language for this account. */
  locale: Locale;
}

/** A session found valid: who, and when it now ends (the cookie's lifetime follows it). */
export interface ValidSession extends StaffIdentity {
  expiresAt: string;
}

export interface StaffUser {
  id: string;
  email: string;
  role: Role;
  locale: Locale;
  lastLoginAt: string | null;
}

/** A stored role as a Role: an unknown value (never written by the portal) gets the least rights. */
export const roleOf = (value: unknown): Role => (isRole(value) ? value : "viewer");

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function tokenHash(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** 32 random bytes in base64url are 43 characters: anything else is not one of our tokens. */
function isTokenShaped(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

function expiryFrom(now: Date): string {
  return new Date(now.getTime() + SESSION_IDLE_SECONDS * 1000).toISOString();
}

/** Stores a new session and returns its token (to be put in the cookie, never stored). */
export async function createSession(db: Db, userId: string, now: Date): Promise<string> {
  const token = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const nowIso = now.toISOString();
  await db.insert(staffSessions).values({
    tokenHash: await tokenHash(token),
    userId,
    createdAt: nowIso,
    lastSeenAt: nowIso,
    expiresAt: expiryFrom(now),
  });
  return token;
}

/**
 * The session's staff member, sliding its expiry (at most to 12 hours after sign-in), in one round trip;
 * null when unknown, idle for 8 hours, or signed in more than 12 hours ago.
 */
export async function validateSession(db: Db, token: string, now: Date): Promise<ValidSession | null> {
  if (!isTokenShaped(token)) return null;
  const nowIso = now.toISOString();
  const oldestStart = new Date(now.getTime() - SESSION_ABSOLUTE_SECONDS * 1000).toISOString();
  const absoluteEnd = sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${staffSessions.createdAt}, '+${sql.raw(String(SESSION_ABSOLUTE_SECONDS))} seconds')`;
  const [row] = await db
    .update(staffSessions)
    .set({ lastSeenAt: nowIso, expiresAt: sql`MIN(${expiryFrom(now)}, ${absoluteEnd})` })
    .where(
      and(
        eq(staffSessions.tokenHash, await tokenHash(token)),
        gt(staffSessions.expiresAt, nowIso),
        gt(staffSessions.createdAt, oldestStart),
        // A disabled account's sessions are deleted when it is disabled; this keeps any straggler out.
        sql`${staffSessions.userId} IN (SELECT ${staffUsers.id} FROM ${staffUsers} WHERE ${staffUsers.disabledAt} IS NULL)`,
      ),
    )
    .returning({
      userId: staffSessions.userId,
      expiresAt: staffSessions.expiresAt,
      // One JSON subquery for the account's columns: the same single statement as before.
      account: sql<
        string | null
      >`(SELECT json_array(${staffUsers.email}, ${staffUsers.role}, ${staffUsers.locale}) FROM ${staffUsers} WHERE ${staffUsers.id} = ${staffSessions.userId})`,
    });
  if (!row?.account) return null;
  const [email, role, locale] = JSON.parse(row.account) as [string, string, string];
  return { userId: row.userId, email, role: roleOf(role), locale: toLocale(locale), expiresAt: row.expiresAt };
}

/** Ends every session of one staff member (sign out everywhere, a changed password). */
export async function deleteSessionsOf(db: Db, userId: string): Promise<void> {
  await db.delete(staffSessions).where(eq(staffSessions.userId, userId));
}

/** Deletes sessions that have ended (for the scheduled job). */
export async function pruneSessions(db: Db, now: Date): Promise<void> {
  await db.delete(staffSessions).where(lte(staffSessions.expiresAt, now.toISOString()));
}

/**
 * Sets a staff member's password and ends all their sessions, in one batch: whoever held a session
 * with the old password holds nothing after the change.
 */
export async function changeStaffPassword(db: Db, userId: string, newPassword: string): Promise<void> {
  const passwordHash = await hashPassword(newPassword);
  await db.batch([
    db.update(staffUsers).set({ passwordHash }).where(eq(staffUsers.id, userId)),
    db.delete(staffSessions).where(eq(staffSessions.userId, userId)),
  ]);
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  if (!isTokenShaped(token)) return;
  await db.delete(staffSessions).where(eq(staffSessions.tokenHash, await tokenHash(token)));
}

/** The cookie for a session; `expiresAt` (a session's end) makes its Max-Age follow the session. */
export function sessionCookie(token: string, opts: { secure: boolean; expiresAt?: string; now?: Date }): string {
  const maxAge =
    opts.expiresAt === undefined
      ? SESSION_IDLE_SECONDS
      : Math.max(0, Math.floor((Date.parse(opts.expiresAt) - (opts.now ?? new Date()).getTime()) / 1000));
  const name = opts.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  return `${name}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${opts.secure ? "; Secure" : ""}`;
}

export function clearSessionCookie(opts: { secure: boolean }): string {
  const name = opts.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  return `${name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${opts.secure ? "; Secure" : ""}`;
}

export { isSecureOrigin } from "../../http/protection.ts";

/**
 * The staff member with this email and password, or null. Takes the same time whether the email is
 * known or not. Records the login time on success.
 */
export async function authenticateStaff(db: Db, email: string, password: string, now: Date): Promise<StaffUser | null> {
  const [user] = await db
    .select({
      id: staffUsers.id,
      email: staffUsers.email,
      passwordHash: staffUsers.passwordHash,
      role: staffUsers.role,
      locale: staffUsers.locale,
      disabledAt: staffUsers.disabledAt,
    })
    .from(staffUsers)
    .where(eq(staffUsers.email, email.trim().toLowerCase()))
    .limit(1);
  // An invited account without a password yet, or a disabled one, is checked against the dummy hash
  // (the same time) and refused like a wrong password.
  const usable = user && user.disabledAt === null && user.passwordHash.startsWith("pbkdf2-sha256$");
  const valid = await verifyPassword(password, usable ? user.passwordHash : DUMMY_PASSWORD_HASH);
  if (!user || !usable || !valid) return null;
  const lastLoginAt = now.toISOString();
  await db.update(staffUsers).set({ lastLoginAt }).where(eq(staffUsers.id, user.id));
  return { id: user.id, email: user.email, role: roleOf(user.role), locale: toLocale(user.locale), lastLoginAt };
}
