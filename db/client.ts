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

export function createDb(env: Pick<AppEnv, "DATABASE_URL" | "DATABASE_AUTH_TOKEN">, opts: DbOptions = {}): Db {
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set");
  const client = createClient({
    url: env.DATABASE_URL,
    ...(env.DATABASE_AUTH_TOKEN ? { authToken: env.DATABASE_AUTH_TOKEN } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  return drizzle(client, { schema });
}
