/**
 * Signed links: an HMAC-SHA-256 of `purpose:subject` with LINK_SECRET, so a link in an email opens
 * one RMA (or one request, or one quote) without a password and without a database lookup.
 */
import { timingSafeEqual } from "./password.ts";

export type TokenPurpose = "rma" | "request" | "quote";

const enc = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function requireSecret(secret: string | undefined): string {
  if (!secret || secret.length < 16)
    throw new Error("LINK_SECRET is not set (at least 16 characters): signed links cannot be made.");
  return secret;
}

const DAY_MS = 86_400_000;

async function macOf(secret: string, message: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), enc.encode(message));
  return base64url(new Uint8Array(mac).slice(0, 16));
}

/** The day (since 1970-01-01 UTC) as 4 base64url characters (24 bits). */
function dayCode(day: number): string {
  return base64url(new Uint8Array([(day >> 16) & 255, (day >> 8) & 255, day & 255]));
}

function dayOf(code: string): number | null {
  try {
    const bytes = atob(code.replace(/-/g, "+").replace(/_/g, "/"));
    return bytes.length === 3 ? (bytes.charCodeAt(0) << 16) | (bytes.charCodeAt(1) << 8) | bytes.charCodeAt(2) : null;
  } catch {
    return null;
  }
}

/**
 * 22 base64url characters: the day the link was made (4) and 108 bits of HMAC over purpose, subject and
 * that day (18), so a link can age out from the day it was made without a database row.
 */
export async function signToken(
  secret: string,
  purpose: TokenPurpose,
  subject: string,
  issuedAt: Date = new Date(),
): Promise<string> {
  const code = dayCode(Math.floor(issuedAt.getTime() / DAY_MS));
  return code + (await macOf(secret, `${purpose}:${subject}:${code}`)).slice(0, 18);
}

export interface TokenCheck {
  valid: boolean;
  /** The day the link was made (midnight UTC); null for a link made before links carried it. */
  issuedAt: Date | null;
}

/** Whether the token is ours for this purpose and subject, and when it was made. */
export async function readToken(
  secret: string,
  purpose: TokenPurpose,
  subject: string,
  token: string | null | undefined,
): Promise<TokenCheck> {
  if (!token || !/^[A-Za-z0-9_-]{22}$/.test(token)) return { valid: false, issuedAt: null };
  const code = token.slice(0, 4);
  const day = dayOf(code);
  if (day !== null) {
    const expected = code + (await macOf(secret, `${purpose}:${subject}:${code}`)).slice(0, 18);
    if (timingSafeEqual(enc.encode(expected), enc.encode(token))) return { valid: true, issuedAt: new Date(day * DAY_MS) };
  }
  // A link from an email sent before links carried their day: the whole HMAC of purpose and subject.
  const legacy = await macOf(secret, `${purpose}:${subject}`);
  return { valid: timingSafeEqual(enc.encode(legacy), enc.encode(token)), issuedAt: null };
}

export async function verifyToken(secret: string, purpose: TokenPurpose, subject: string, token: string | null | undefined) {
  return (await readToken(secret, purpose, subject, token)).valid;
}
