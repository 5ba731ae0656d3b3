/**
 * The one way to reach the database from the Worker: a client made per request from `env`
 * (settings arrive in `env` on Workers, so nothing is made at module level).
 */
import { type Client, createClient } from "@libsql/client/web";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { drizzle } from "drizzle-orm/libsql/web";
import type { AppEnv } from "../functions/env.ts";
import * as schema from "./schema.ts";

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

export interface DbOptions {
  /** A `fetch` to use for the libSQL HTTP protocol (tests count round trips through it). */
  fetch?: typeof fetch;
}

/** Attempts at a libSQL HTTP request the server turned away with 429 before running it. */
export const BUSY_SERVER_ATTEMPTS = 6;
/** How long one libSQL HTTP request may take before the database counts as unreachable. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** The database did not answer in time (a hung server or network): the API maps it to 503 `unavailable`. */
export class DatabaseTimeoutError extends Error {
  readonly code = "DATABASE_TIMEOUT";
  constructor(timeoutMs: number) {
    super(`The database did not answer within ${timeoutMs} ms.`);
    this.name = "DatabaseTimeoutError";
  }
}

/**
 * The libSQL client's `fetch`, made to fail cleanly:
 * - a request that gets no answer within `timeoutMs` is abandoned with a `DatabaseTimeoutError`
 *   (without it a frozen sqld holds every request open indefinitely);
 * - sqld answers 429 when more requests arrive at once than it runs (128 by default), and Turso does the
 *   same when overloaded. Such a request was not executed, so sending it again is safe: after a short
 *   jittered wait (25, 50, 100, 200, 400 ms, and up to as much again at random) it is retried, and only
 *   the last 429 reaches the caller, as the 503 `unavailable` of the one error shape.
 */
export function resilientFetch(base: typeof fetch, opts: { attempts?: number; timeoutMs?: number } = {}): typeof fetch {
  const attempts = opts.attempts ?? BUSY_SERVER_ATTEMPTS;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      const signal = AbortSignal.timeout(timeoutMs);
      let res: Response;
      try {
        res = await base(last ? request : (request.clone() as Request), { signal });
      } catch (err) {
        if (signal.aborted) throw new DatabaseTimeoutError(timeoutMs);
        throw err;
      }
      if (res.status !== 429 || last) return res;
      await res.body?.cancel();
      const wait = 25 * 2 ** (attempt - 1);
      await new Promise((r) => setTimeout(r, wait + Math.random() * wait));
    }
  }) as typeof fetch;
}

export function createDb(
  env: Pick<AppEnv, "DATABASE_URL" | "DATABASE_AUTH_TOKEN" | "DATABASE_TIMEOUT_MS">,
  opts: DbOptions = {},
): Db {
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set");
  const client = createClient({
    url: env.DATABASE_URL,
    ...(env.DATABASE_AUTH_TOKEN ? { authToken: env.DATABASE_AUTH_TOKEN } : {}),
    fetch: resilientFetch(opts.fetch ?? ((input, init) => fetch(input, init)), {
      timeoutMs: Number(env.DATABASE_TIMEOUT_MS) > 0 ? Number(env.DATABASE_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS,
    }),
  });
  return drizzle(client, { schema });
}
