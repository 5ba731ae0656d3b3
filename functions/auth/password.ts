/** PBKDF2-SHA-256 password hashing with WebCrypto: works alike in Workers and Node. */
import { isCommonPassword } from "./common-passwords.ts";

const ITERATIONS = 100_000; // Workers' WebCrypto caps PBKDF2 at 100 000 iterations.
const enc = new TextEncoder();

function b64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function unb64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", enc.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2-sha256$${ITERATIONS}$${b64(salt)}$${b64(hash)}`;
}

/** Constant-time comparison of two byte strings of equal length. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, hash] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iter || !salt || !hash) return false;
  const actual = await derive(password, unb64(salt), Number(iter));
  return timingSafeEqual(actual, unb64(hash));
}

/** The shortest password the portal accepts (here, in the desk, and in `npm run staff:add`). */
export const MIN_PASSWORD_LENGTH = 12;

export type PasswordProblem = "tooShort" | "common" | "likeEmail";

/** What is wrong with a new password, or null: long enough, not a common one, not the email address. */
export function passwordProblem(password: string, email?: string): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return "tooShort";
  if (isCommonPassword(password)) return "common";
  if (email) {
    const lower = password.toLowerCase();
    const address = email.trim().toLowerCase();
    const name = address.split("@")[0] ?? "";
    if (lower.includes(address) || (name.length >= 4 && lower.replace(/[\d\W_]+/g, "") === name.replace(/[\d\W_]+/g, "")))
      return "likeEmail";
  }
  return null;
}
