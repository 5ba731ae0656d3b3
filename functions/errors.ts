/**
 * The one error shape of every 4xx/5xx from /api:
 * `{ "error": { "code": "...", "message": "...", "fields": { "units.0.serialNumber": "..." } } }`.
 */
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type FieldErrors = Record<string, string>;

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldErrors };
}

export class ApiError extends HTTPException {
  readonly code: string;
  readonly fields: FieldErrors | undefined;
  /** For 429 and 503: sent as a Retry-After header. */
  retryAfterSeconds: number | undefined;

  constructor(status: ContentfulStatusCode, code: string, message: string, fields?: FieldErrors) {
    super(status, { message });
    this.code = code;
    this.fields = fields;
    this.retryAfterSeconds = undefined;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
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
} as const satisfies Record<string, ContentfulStatusCode>;

export type RefusalCode = keyof typeof REFUSAL_STATUS;

/** A service's refusal, by code: its HTTP status comes from `REFUSAL_STATUS`. */
export class Refusal extends ApiError {
  constructor(code: RefusalCode, message: string, fields?: FieldErrors) {
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

export const internalError = () =>
  new ApiError(500, "internal", "Something went wrong on our side. Nothing was saved; please try again.");

export const noSuchEndpoint = (method: string, path: string) =>
  new ApiError(404, "not_found", `There is no API endpoint ${method} ${path}.`);

/** The database cannot be reached: try again in a minute (Retry-After: 60). */
export function unavailable(): ApiError {
  const error = new ApiError(
    503,
    "unavailable",
    "The service cannot reach its database right now. Nothing was saved; please try again in a minute.",
  );
  error.retryAfterSeconds = 60;
  return error;
}
