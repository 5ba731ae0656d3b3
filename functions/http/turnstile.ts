/**
 * Cloudflare Turnstile on the public request form, on only when `TURNSTILE_SECRET_KEY` is set: the
 * token the widget puts in the form (`cf-turnstile-response`; JSON clients send it in a header of that
 * name) is verified server-side at `TURNSTILE_VERIFY_URL` (Cloudflare's siteverify by default; tests
 * point it at a fake on loopback) before anything is read or written. Without the variable the form's
 * limits alone protect it.
 */
import type { AppEnv } from "../env.ts";
import { Refusal } from "../errors.ts";
import { type Text, text } from "../i18n/text.ts";

export const TURNSTILE_FIELD = "cf-turnstile-response";
export const TURNSTILE_SCRIPT = "https://challenges.cloudflare.com/turnstile/v0/api.js";
const DEFAULT_VERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

export const CAPTCHA_TEXT: Text = text("errors.captcha.failed");
/** What the form says without JavaScript when the check is on: `say(locale, NO_SCRIPT_TEXT)`. */
export const NO_SCRIPT_TEXT: Text = text("errors.captcha.noScript");

export function turnstileOn(env: Pick<AppEnv, "TURNSTILE_SECRET_KEY">): boolean {
  return Boolean(env.TURNSTILE_SECRET_KEY);
}

/** The widget's site key when the form should show the widget (both keys set), else null. */
export function turnstileSiteKey(env: Pick<AppEnv, "TURNSTILE_SECRET_KEY" | "TURNSTILE_SITE_KEY">): string | null {
  return turnstileOn(env) && env.TURNSTILE_SITE_KEY ? env.TURNSTILE_SITE_KEY : null;
}

/** The page's Content-Security-Policy with Turnstile's script and frame allowed (only where the widget is). */
export function cspWithTurnstile(base: string): string {
  return base
    .replace("script-src 'self'", "script-src 'self' https://challenges.cloudflare.com")
    .replace("default-src 'self';", "default-src 'self'; frame-src https://challenges.cloudflare.com;");
}

/**
 * Throws `captcha_failed` unless Turnstile is off or the token verifies. A verification endpoint that
 * cannot be reached fails closed, with the same message (the visitor can try again).
 */
export async function requireHuman(
  env: AppEnv,
  token: string | null | undefined,
  address: string,
  fetcher: typeof fetch = fetch,
): Promise<void> {
  const secret = env.TURNSTILE_SECRET_KEY;
  if (!secret) return;
  if (!token || token.length > 2048) throw new Refusal("captcha_failed", CAPTCHA_TEXT);
  const body = new URLSearchParams({ secret, response: token });
  if (address !== "unknown") body.set("remoteip", address);
  let success = false;
  try {
    const res = await fetcher(env.TURNSTILE_VERIFY_URL ?? DEFAULT_VERIFY_URL, {
      method: "POST",
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const answer = (await res.json()) as { success?: unknown };
    success = res.ok && answer.success === true;
  } catch {
    success = false;
  }
  if (!success) throw new Refusal("captcha_failed", CAPTCHA_TEXT);
}
