/** A fresh sqld on a free loopback port, in a temporary folder, migrated and seeded: one per test file. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { migrateDatabase } from "../../db/migrate.ts";
import { seedDatabase } from "../../db/seed.ts";
import { type Sqld, startSqld } from "../../db/sqld.ts";

export interface TestDatabase {
  /** The running sqld (replaced by `restart`). */
  sqld: Sqld;
  url: string;
  dir: string;
  /** Runs one SQL statement straight against sqld (for assertions). */
  query<T = Record<string, unknown>>(sql: string, args?: (string | number | null)[]): Promise<T[]>;
  /** Runs several statements in one transaction (e.g. test fixtures inserted straight into sqld). */
  batch(statements: { sql: string; args?: (string | number | null)[] }[]): Promise<void>;
  /** Stops sqld abruptly (SIGKILL by default: a crash), keeping its data folder for `restart`. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Freezes sqld (SIGSTOP): it keeps its port but answers nothing, like a hung server, until `thaw`. */
  freeze(): void;
  thaw(): void;
  /** Starts sqld again on the same port and the same data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestDatabase(opts: { migrate?: boolean; seed?: boolean } = {}): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "rma-test-"));
  const dbPath = join(dir, "db.sqld");
  let sqld = await startSqld({ dbPath });
  if (opts.migrate !== false) await migrateDatabase(sqld.url);
  if (opts.migrate !== false && opts.seed !== false) await seedDatabase(sqld.url);
  const client = createClient({ url: sqld.url });
  return {
    get sqld() {
      return sqld;
    },
    url: sqld.url,
    dir,
    async query<T>(sql: string, args: (string | number | null)[] = []) {
      const rs = await client.execute({ sql, args });
      return rs.rows as unknown as T[];
    },
    async batch(statements) {
      await client.batch(
        statements.map((s) => ({ sql: s.sql, args: s.args ?? [] })),
        "write",
      );
    },
    async kill(signal: NodeJS.Signals = "SIGKILL") {
      const child = sqld.process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((res) => {
        child.once("exit", () => res());
        child.kill(signal);
      });
    },
    freeze() {
      sqld.process.kill("SIGSTOP");
    },
    thaw() {
      sqld.process.kill("SIGCONT");
    },
    async restart() {
      sqld = await startSqld({ port: sqld.port, dbPath });
    },
    async stop() {
      client.close();
      await sqld.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A drizzle query as it would run (a select's `toSQL`, a `sql` template's `getQuery`). */
export type BuiltQuery = { toSQL(): { sql: string; params: unknown[] } } | { getQuery(): { sql: string; params: unknown[] } };

/** The steps of SQLite's `EXPLAIN QUERY PLAN` for `query`, as sqld plans it now. */
export async function queryPlan(tdb: TestDatabase, query: BuiltQuery): Promise<string[]> {
  const { sql, params } = "toSQL" in query ? query.toSQL() : query.getQuery();
  const rows = await tdb.query<{ detail: string }>(
    `EXPLAIN QUERY PLAN ${sql}`,
    params.map((p) => (typeof p === "boolean" ? Number(p) : (p as string | number | null))),
  );
  return rows.map((r) => r.detail);
}
