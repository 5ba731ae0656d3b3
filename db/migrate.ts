/** Applies the committed drizzle-kit migrations in db/migrations. `npm run db:migrate`. */

import { join } from "node:path";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { ROOT } from "./sqld.ts";

export function databaseUrlFromEnv(): string {
  return process.env["DATABASE_URL"] ?? `http://127.0.0.1:${process.env["SQLD_PORT"] ?? 8880}`;
}

export async function migrateDatabase(url: string, authToken?: string): Promise<void> {
  const client = createClient(authToken ? { url, authToken } : { url });
  try {
    await migrate(drizzle(client), { migrationsFolder: join(ROOT, "db", "migrations") });
  } finally {
    client.close();
  }
}

if (import.meta.main) {
  const url = databaseUrlFromEnv();
  await migrateDatabase(url, process.env["DATABASE_AUTH_TOKEN"]);
  console.log(`migrations applied to ${url}`);
}
