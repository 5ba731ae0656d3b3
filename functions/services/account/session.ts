/**
 * Customer sessions ("My returns"): a random token in their own cookie (`rma_customer`, never the staff
 * desk's `rma_staff`), only its SHA-256 stored, ending after 30 days without activity (and 90 days after
 * sign-in whatever the activity). HttpOnly, SameSite=Lax (the link in the email is a navigation from
 * another site), `__Host-` prefixed and Secure wherever the portal is served over HTTPS.
 */
import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { customerSessions } from "../../../db/schema/account.ts";
import { isSecureOrigin } from "../../http/protection.ts";

export const CUSTOMER_COOKIE = "rma_customer";
export const SECURE_CUSTOMER_COOKIE = `__Host-${CUSTOMER_COOKIE}`;
export const CUSTOMER_IDLE_SECONDS = 30 * 24 * 60 * 60;
export const CUSTOMER_ABSOLUTE_SECONDS = 90 * 24 * 60 * 60;

/** Who a valid customer session belongs to: one email address (lower-cased), and when the session ends. */
export interface CustomerSession {
  email: string;
  expiresAt: string;
}

export function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** 32 random bytes, 43 base64url characters. */
export function newToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

export function isTokenShaped(token: string | null | undefined): token is string {
  return typeof token === "string" && /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** SHA-256 of `purpose:token`, hex: a token made for one purpose never matches a row of another. */
export async function hashToken(purpose: "sign-in" | "session", token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${purpose}:${token}`));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const idleEnd = (now: Date) => new Date(now.getTime() + CUSTOMER_IDLE_SECONDS * 1000).toISOString();

/** The session's email, sliding its end (never past 90 days after sign-in), in one statement; null when ended or unknown. */
export async function validateCustomerSession(
  db: Db,
  token: string | null | undefined,
  now: Date,
): Promise<CustomerSession | null> {
  if (!isTokenShaped(token)) return null;
  const nowIso = now.toISOString();
  const oldestStart = new Date(now.getTime() - CUSTOMER_ABSOLUTE_SECONDS * 1000).toISOString();
  const absoluteEnd = sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${customerSessions.createdAt}, '+${sql.raw(String(CUSTOMER_ABSOLUTE_SECONDS))} seconds')`;
  const [row] = await db
    .update(customerSessions)
    .set({ lastSeenAt: nowIso, expiresAt: sql`MIN(${idleEnd(now)}, ${absoluteEnd})` })
    .where(
      and(
        eq(customerSessions.tokenHash, await hashToken("session", token)),
        gt(customerSessions.expiresAt, nowIso),
        gt(customerSessions.createdAt, oldestStart),
      ),
    )
    .returning({ email: customerSessions.email, expiresAt: customerSessions.expiresAt });
  return row ?? null;
}

/** Signs out: the session row is deleted, so the cookie opens nothing even if it was copied. */
export async function deleteCustomerSession(db: Db, token: string | null | undefined): Promise<void> {
  if (!isTokenShaped(token)) return;
  await db.delete(customerSessions).where(eq(customerSessions.tokenHash, await hashToken("session", token)));
}

/** Deletes ended sessions (for the scheduled job, which the lead may call it from). */
export async function pruneCustomerSessions(db: Db, now: Date): Promise<void> {
  await db.delete(customerSessions).where(lte(customerSessions.expiresAt, now.toISOString()));
}

/** The cookie's name for a request to `url`: `__Host-` prefixed wherever the portal is served securely. */
export function customerCookieName(url: string | URL): string {
  return isSecureOrigin(url) ? SECURE_CUSTOMER_COOKIE : CUSTOMER_COOKIE;
}

/** `Set-Cookie` for a session ending at `expiresAt`. */
export function customerCookie(url: string | URL, token: string, expiresAt: string, now: Date = new Date()): string {
  const secure = isSecureOrigin(url);
  const maxAge = Math.max(0, Math.floor((Date.parse(expiresAt) - now.getTime()) / 1000));
  return `${customerCookieName(url)}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

export function clearCustomerCookie(url: string | URL): string {
  const secure = isSecureOrigin(url);
  return `${customerCookieName(url)}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`;
}

/** The session token from a `Cookie` header (only the name this address uses is read). */
export function customerTokenFrom(cookieHeader: string | null | undefined, url: string | URL): string | null {
  const name = customerCookieName(url);
  for (const part of (cookieHeader ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

/** The signed-in customer of a request (page or API), or null. */
export function customerOf(db: Db, request: Request, now: Date = new Date()): Promise<CustomerSession | null> {
  return validateCustomerSession(db, customerTokenFrom(request.headers.get("cookie"), request.url), now);
}
