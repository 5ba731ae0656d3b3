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

/** 128 bits of HMAC, base64url: 22 characters. */
export async function signToken(secret: string, purpose: TokenPurpose, subject: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), enc.encode(`${purpose}:${subject}`));
  return base64url(new Uint8Array(mac).slice(0, 16));
}

export async function verifyToken(secret: string, purpose: TokenPurpose, subject: string, token: string | null | undefined) {
  if (!token || !/^[A-Za-z0-9_-]{22}$/.test(token)) return false;
  const expected = await signToken(secret, purpose, subject);
  return timingSafeEqual(enc.encode(expected), enc.encode(token));
}
