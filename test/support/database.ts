/** A fresh sqld on a free loopback port, in a temporary folder, migrated and seeded: one per test file. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { migrateDatabase } from "../../db/migrate.ts";
import { seedDatabase } from "../../db/seed.ts";
import { type Sqld, startSqld } from "../../db/sqld.ts";

export interface TestDatabase {
  sqld: Sqld;
  url: string;
  dir: string;
  /** Runs one SQL statement straight against sqld (for assertions). */
  query<T = Record<string, unknown>>(sql: string, args?: (string | number | null)[]): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startTestDatabase(opts: { migrate?: boolean; seed?: boolean } = {}): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "rma-test-"));
  const sqld = await startSqld({ dbPath: join(dir, "db.sqld") });
  if (opts.migrate !== false) await migrateDatabase(sqld.url);
  if (opts.migrate !== false && opts.seed !== false) await seedDatabase(sqld.url);
  const client = createClient({ url: sqld.url });
  return {
    sqld,
    url: sqld.url,
    dir,
    async query<T>(sql: string, args: (string | number | null)[] = []) {
      const rs = await client.execute({ sql, args });
      return rs.rows as unknown as T[];
    },
    async stop() {
      client.close();
      await sqld.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
