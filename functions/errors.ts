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

/** True when the error says the database could not be reached (as opposed to a bad statement). */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (!(e instanceof Error)) continue;
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

export function unavailable(): ApiError {
  return new ApiError(
    503,
    "unavailable",
    "The service cannot reach its database right now. Nothing was saved; please try again in a minute.",
  );
}
