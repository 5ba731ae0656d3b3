/**
 * The one error shape of every 4xx/5xx from /api:
 * `{ "error": { "code": "...", "message": "...", "fields": { "units.0.serialNumber": "..." } } }`.
 * The `code` is the same in every language; `message` and `fields` are said in the reader's locale at the
 * edge (`toBody(locale)`, `messageIn(locale)`), from the `Text`s the service gave (functions/i18n/text.ts).
 */
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DEFAULT_LOCALE, type Locale } from "./i18n/index.ts";
import { say, sayAll, text, type Words } from "./i18n/text.ts";

/** A message per field (`units.2.serialNumber`): words, or an encoded `Text` (`encodeText`) until said for a reader. */
export type FieldErrors = Record<string, string>;

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export class ApiError extends HTTPException {
  readonly code: string;
  /** What to say, in no language yet. `message` is it in English (logs, tests reading `.message`). */
  readonly text: Words;
  readonly fieldTexts: FieldErrors | undefined;
  /** For 429 and 503: sent as a Retry-After header. */
  retryAfterSeconds: number | undefined;

  constructor(status: ContentfulStatusCode, code: string, message: Words, fields?: FieldErrors) {
    super(status, { message: say(DEFAULT_LOCALE, message) });
    this.code = code;
    this.text = message;
    this.fieldTexts = fields;
    this.retryAfterSeconds = undefined;
  }

  /** The message in `locale`. */
  messageIn(locale: Locale): string {
    return say(locale, this.text);
  }

  /** The field messages in `locale`, if any. */
  fieldsIn(locale: Locale): Record<string, string> | undefined {
    return this.fieldTexts ? sayAll(locale, this.fieldTexts) : undefined;
  }

  /** The field messages in English (as `message` is): a page says them in its reader's locale with `fieldsIn`. */
  get fields(): Record<string, string> | undefined {
    return this.fieldsIn(DEFAULT_LOCALE);
  }

  toBody(locale: Locale = DEFAULT_LOCALE): ErrorBody {
    const fields = this.fieldsIn(locale);
    return { error: { code: this.code, message: this.messageIn(locale), ...(fields ? { fields } : {}) } };
  }
}

/**
 * Every code a service refuses with, and the HTTP status the API answers it with: the one table. Services
 * throw a `Refusal` by code and know no HTTP; pages show its message (and use the status for theirs).
 */
export const REFUSAL_STATUS = {
  invalid_idempotency_key: 400,
  validation_failed: 422,
  units_refused: 422,
  idempotency_key_reused: 422,
  rma_number_malformed: 422,
  rma_number_mistyped: 422,
  invalid_credentials: 401,
  invalid_link: 403,
  captcha_failed: 403,
  not_found: 404,
  no_quote: 404,
  link_expired: 410,
  quote_answered: 410,
  link_used: 410,
  not_signed_in: 401,
  unknown_action: 404,
  conflict: 409,
  transition_refused: 409,
  rma_expired: 409,
  nothing_to_authorize: 409,
  cancellation_pending: 409,
  cancellation_refused: 409,
  not_covered: 409,
  covered_by_warranty: 409,
  already_answered: 409,
  no_quote_waiting: 409,
  no_cancellation_request: 409,
  too_late_to_cancel: 409,
  registry_changed: 409,
  no_email_provider: 409,
  nothing_to_send: 409,
  body_too_large: 413,
  too_many_rows: 413,
  too_many_requests: 429,
  too_many_attempts: 429,
  forbidden: 403,
  email_taken: 409,
  last_admin: 409,
  not_yourself: 409,
  file_refused: 422,
  too_many_files: 422,
  file_too_large: 413,
  submission_too_large: 413,
  rma_closed: 409,
  files_unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type RefusalCode = keyof typeof REFUSAL_STATUS;

/** A service's refusal, by code: its HTTP status comes from `REFUSAL_STATUS`. */
export class Refusal extends ApiError {
  constructor(code: RefusalCode, message: Words, fields?: FieldErrors) {
    super(REFUSAL_STATUS[code], code, message, fields);
  }
}

/** An error and the errors it wraps (`cause`), outermost first, at most five deep. */
export function* errorChain(err: unknown): Generator<Error> {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof Error) yield e;
  }
}

/** The first message in the error's chain that matches, e.g. a SQLite constraint named by libSQL. */
export function matchError(err: unknown, pattern: RegExp): RegExpExecArray | null {
  for (const e of errorChain(err)) {
    const m = pattern.exec(e.message);
    if (m) return m;
  }
  return null;
}

/** True when the error says the database could not be reached (as opposed to a bad statement). */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of errorChain(err)) {
    const code = (e as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      /^(SQLITE_(BUSY|IOERR|CANTOPEN)|SERVER_ERROR|HRANA_|HTTP_|ECONNREFUSED|ECONNRESET|DATABASE_TIMEOUT)/.test(code)
    )
      return true;
    if (e instanceof TypeError && /fetch|network|connect/i.test(e.message)) return true;
    // The database client's timeout (db/client.ts) firing while a response body is still being read.
    if (e.name === "TimeoutError") return true;
    if (/ECONNREFUSED|ECONNRESET|Network connection lost|connection refused|fetch failed|socket hang up/i.test(e.message))
      return true;
  }
  return false;
}

/** An ApiError as it is, an unreachable database as 503 `unavailable`, anything else (a bug) null. */
export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  return isDatabaseUnavailable(err) ? unavailable() : null;
}

/** A refusal a page can show; anything that is not one (a bug) is rethrown. */
export function asApiError(err: unknown): ApiError {
  const e = toApiError(err);
  if (!e) throw err;
  return e;
}

export const internalError = () => new ApiError(500, "internal", text("errors.http.internal"));

export const noSuchEndpoint = (method: string, path: string) =>
  new ApiError(404, "not_found", text("errors.http.noEndpoint", { method, path }));

/** The database cannot be reached: try again in a minute (Retry-After: 60). */
export function unavailable(): ApiError {
  const error = new ApiError(503, "unavailable", text("errors.http.unavailable"));
  error.retryAfterSeconds = 60;
  return error;
}
