/** The Hono app in Node, against a real sqld, with every libSQL HTTP round trip counted. */
import { afterAll, beforeAll } from "vitest";
import { createDb, type Db } from "../../db/client.ts";
import { createApp } from "../../functions/app.ts";
import type { AppEnv } from "../../functions/env.ts";
import { NO_FORM_LIMITS } from "../../scripts/form-limits.ts";
import { startTestDatabase, type TestDatabase } from "./database.ts";

export interface RoundTrips {
  total: number;
  writes: number;
  reset(): void;
}

export function countingFetch(): { fetch: typeof fetch; trips: RoundTrips } {
  const trips: RoundTrips = {
    total: 0,
    writes: 0,
    reset() {
      this.total = 0;
      this.writes = 0;
    },
  };
  const wrapped = (async (input: RequestInfo | URL, init?: RequestInit) => {
    trips.total++;
    const body = input instanceof Request ? await input.clone().text() : typeof init?.body === "string" ? init.body : "";
    if (/"sql":"\s*(INSERT|UPDATE|DELETE|REPLACE)/i.test(body)) trips.writes++;
    return fetch(input, init);
  }) as typeof fetch;
  return { fetch: wrapped, trips };
}

/** The LINK_SECRET `testEnv` gives the app in Node (the built Worker's is TEST_LINK_SECRET, test/support/worker.ts). */
export const TEST_APP_LINK_SECRET = "test-link-secret-0123456789";

export function testEnv(databaseUrl: string, extra: Partial<AppEnv> = {}): AppEnv {
  return {
    DATABASE_URL: databaseUrl,
    LINK_SECRET: TEST_APP_LINK_SECRET,
    STAFF_EMAIL: "desk@alkeria.example",
    PUBLIC_URL: "http://portal.test",
    // The public form's limits are off unless a test turns them on (its requests share one email address).
    ...NO_FORM_LIMITS,
    ...extra,
  };
}

export function testApp(databaseUrl: string, extra: Partial<AppEnv> = {}) {
  const { fetch: countedFetch, trips } = countingFetch();
  const app = createApp({ fetch: countedFetch });
  const env = testEnv(databaseUrl, extra);
  const request = (path: string, init?: RequestInit) => app.request(path, init, env);
  const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { app, env, trips, request, json };
}

export type TestApp = ReturnType<typeof testApp>;

/** What `useApi` started for a test file; reading a part before the file's beforeAll ran throws. */
export interface ApiStack {
  readonly db: TestDatabase;
  readonly api: TestApp;
}

/**
 * Registers this test file's beforeAll and afterAll: a fresh sqld and the app in Node against it, with
 * `extra` in its env. Given as a function, `extra` is read in that beforeAll, after the ones registered
 * before `useApi` ran (one that starts a fake Resend, say). The sqld stops after the file's last test.
 */
export function useApi(extra: Partial<AppEnv> | (() => Partial<AppEnv>) = {}): ApiStack {
  let db: TestDatabase | undefined;
  let api: TestApp | undefined;
  beforeAll(async () => {
    db = await startTestDatabase();
    api = testApp(db.url, typeof extra === "function" ? extra() : extra);
  });
  afterAll(() => db?.stop());
  const started = <T>(part: T | undefined, name: string): T => {
    if (part === undefined) throw new Error(`useApi: no ${name} (read before the file's beforeAll ran)`);
    return part;
  };
  return {
    get db() {
      return started(db, "sqld");
    },
    get api() {
      return started(api, "app");
    },
  };
}

/** A fresh sqld and a drizzle client on it whose every round trip is counted (for the database suites). */
export async function startCountedDb(): Promise<{ tdb: TestDatabase; db: Db; trips: RoundTrips }> {
  const tdb = await startTestDatabase();
  const counted = countingFetch();
  return { tdb, db: createDb({ DATABASE_URL: tdb.url }, { fetch: counted.fetch }), trips: counted.trips };
}
