/** Settings the Worker reads from `env` ([vars] in wrangler.toml, secrets in production). */
export interface AppEnv {
  /** libSQL URL: the local sqld (`http://127.0.0.1:8880`) or Turso (`libsql://...`). */
  DATABASE_URL: string;
  DATABASE_AUTH_TOKEN?: string;
  /** Milliseconds one database request may take before it counts as unreachable (503); 10 000 by default. */
  DATABASE_TIMEOUT_MS?: string;
  /** When set, emails are sent with Resend; otherwise they stay in the outbox. */
  RESEND_API_KEY?: string;
  /** Resend API base (tests point it at a fake endpoint on loopback). */
  RESEND_BASE_URL?: string;
  EMAIL_FROM?: string;
  /** Emails sent per second at most by one sender (Resend's default limit is a few: 2 by default). */
  EMAIL_SEND_RATE_PER_SECOND?: string;
  STAFF_EMAIL?: string;
  /** Secret for signed links in emails (HMAC). */
  LINK_SECRET?: string;
  /** Days the signed links in emails keep working after their RMA ends (90 by default). */
  LINK_DAYS_AFTER_END?: string;
  /** The portal's public address, used in links inside emails. */
  PUBLIC_URL?: string;
  /** Return requests accepted per client address per hour (10 by default; 0: no limit). */
  REQUESTS_PER_ADDRESS_PER_HOUR?: string;
  /** Return requests (and so receipts mailed) per email address per day (5 by default; 0: no limit). */
  REQUESTS_PER_EMAIL_PER_DAY?: string;
  /** When set, the request form asks for Cloudflare Turnstile and the token is verified server-side. */
  TURNSTILE_SECRET_KEY?: string;
  /** The Turnstile widget's site key (public). */
  TURNSTILE_SITE_KEY?: string;
  /** Turnstile's verification endpoint (tests point it at a fake on loopback). */
  TURNSTILE_VERIFY_URL?: string;
  /** Serial-number checks per client address per hour (200 by default; 0: no limit). */
  SERIAL_CHECKS_PER_ADDRESS_PER_HOUR?: string;
  /** Attachments of requests and messages: an R2 bucket (wrangler.toml `[[r2_buckets]]`; Miniflare's local R2 under .data/). */
  FILES?: R2Bucket;
  /**
   * Minutes an R2 object without a database row is left alone by the hourly sweep (60 by default): an
   * upload still in progress has no row yet. Tests set 0.
   */
  FILES_ORPHAN_MINUTES?: string;
}

/** Where staff notifications go (new requests, cancellations, quote answers). */
export function staffAddress(env: Pick<AppEnv, "STAFF_EMAIL">): string {
  return env.STAFF_EMAIL ?? "rma-desk@alkeria.example";
}

declare global {
  namespace Cloudflare {
    interface Env extends AppEnv {}
  }
}
