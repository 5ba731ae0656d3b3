/** The local sqld under concurrent writers, and the client's answer to a server that turns requests away. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSY_SERVER_ATTEMPTS, createDb, resilientFetch } from "../../db/client.ts";
import { walFor } from "../../db/sqld.ts";
import { isDatabaseUnavailable } from "../../functions/errors.ts";
import { startTestDatabase, type TestDatabase } from "../support/database.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase({ seed: false });
});
afterAll(() => db?.stop());

/** A fetch that answers 429 (as sqld does past 128 requests at once) the first `n` times, then reaches sqld. */
function turnedAway(n: number) {
  const calls = { total: 0, refused: 0 };
  const base = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.total++;
    if (calls.refused < n) {
      calls.refused++;
      return new Response("Too many concurrent requests", { status: 429 });
    }
    return fetch(input, init);
  }) as typeof fetch;
  return { base, calls };
}

describe("the database client", () => {
  it("sends a request sqld turned away with 429 again, and it then succeeds", async () => {
    const { base, calls } = turnedAway(3);
    const client = createDb({ DATABASE_URL: db.url }, { fetch: base });
    const rows = await client.all<{ one: number }>(sql`SELECT 1 AS one`);
    expect(rows).toEqual([{ one: 1 }]);
    expect(calls.refused).toBe(3);
  });

  it("gives up after a bounded number of attempts, with an error the API maps to 503 unavailable", async () => {
    const { base, calls } = turnedAway(1_000);
    const fetchOnce = resilientFetch(base);
    const res = await fetchOnce(`${db.url}/v2/pipeline`, { method: "POST", body: "{}" });
    expect(res.status).toBe(429);
    expect(calls.total).toBe(BUSY_SERVER_ATTEMPTS);
    const client = createDb({ DATABASE_URL: db.url }, { fetch: turnedAway(1_000).base });
    const error = await client.all(sql`SELECT 1`).catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("completes 50 concurrent clients' write transactions without sqld wedging", async () => {
    await db.query("CREATE TABLE IF NOT EXISTS wedge_probe (id INTEGER PRIMARY KEY, client INTEGER, n INTEGER)");
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 50 }, async (_, client) => {
        for (let n = 0; n < 8; n++) {
          const one = createDb({ DATABASE_URL: db.url });
          await one.batch([
            one.run(sql`INSERT INTO wedge_probe (client, n) VALUES (${client}, ${n})`),
            one.run(sql`INSERT INTO wedge_probe (client, n) VALUES (${client}, ${-n})`),
          ]);
        }
      }),
    );
    const [row] = await db.query<{ n: number }>("SELECT count(*) n FROM wedge_probe");
    console.log(`50 clients × 8 write batches: ${row?.n} rows in ${Date.now() - started} ms`);
    expect(row?.n).toBe(800);
  }, 60_000);
});

describe("the sqld launcher", () => {
  it("runs new data folders with libsql-wal and keeps a folder made with SQLite's WAL on it", () => {
    const dir = mkdtempSync(join(tmpdir(), "rma-wal-"));
    try {
      expect(walFor(join(dir, "fresh.sqld"))).toBe("libsql-wal");
      mkdirSync(join(dir, "old.sqld", "dbs", "default"), { recursive: true });
      writeFileSync(join(dir, "old.sqld", "dbs", "default", "data-wal"), "");
      expect(walFor(join(dir, "old.sqld"))).toBe("sqlite");
      expect(walFor(db.sqld.dbPath)).toBe("libsql-wal");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
