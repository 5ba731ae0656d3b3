import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../db/migrate.ts";
import {
  DEFAULT_PASSWORD_REFUSED_PATTERN,
  DEMO_ADMIN_EMAIL,
  DEMO_SERIALS,
  DefaultPasswordRefused,
  isLoopbackDatabaseUrl,
  seedDatabase,
} from "../../db/seed.ts";
import { startTestDatabase, type TestDatabase } from "../support/database.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase({ migrate: false });
});
afterAll(() => db?.stop());

/** The schema as SQLite keeps it, and how many rows each table holds (what migrations seed, and their journal). */
async function schemaAndCounts() {
  const schema = await db.query<{ type: string; name: string; sql: string | null }>(
    "SELECT type, name, sql FROM sqlite_master ORDER BY name",
  );
  const counts: Record<string, number> = {};
  for (const { name } of schema.filter((o) => o.type === "table")) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*) n FROM "${name.replace(/"/g, '""')}"`);
    counts[name] = row?.n ?? -1;
  }
  return { schema, counts };
}

const snapshot = async () => ({
  products: await db.query("SELECT serial_number, model, purchase_date, created_at FROM products ORDER BY serial_number"),
  staff: await db.query("SELECT id, email, password_hash FROM staff_users ORDER BY email"),
});

describe("migrations and seed against a real sqld", () => {
  it("apply every migration to an empty database", async () => {
    expect(await db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'rmas'")).toEqual([]);
    await migrateDatabase(db.url);
    const tables = (await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((t) => t.name);
    for (const t of ["products", "return_requests", "rmas", "rma_events", "outbox", "staff_users", "staff_sessions"]) {
      expect(tables).toContain(t);
    }
    // Applying them again is a no-op: the same schema, and not a row more or less anywhere.
    const before = await schemaAndCounts();
    expect(before.schema.length).toBeGreaterThan(7);
    await migrateDatabase(db.url);
    expect(await schemaAndCounts()).toEqual(before);
  });

  it("seed the registry and the staff account, and seeding twice changes nothing", async () => {
    const first = await seedDatabase(db.url);
    expect(first.productsAdded).toBeGreaterThanOrEqual(200);
    expect(first.staffAdded).toBe(true);
    const before = await snapshot();
    expect(before.staff.map((s) => s["email"])).toEqual([DEMO_ADMIN_EMAIL]);
    const second = await seedDatabase(db.url);
    expect(second).toEqual({ productsAdded: 0, staffAdded: false });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses the built-in password on a database that is not on this machine, before connecting", async () => {
    // Unroutable or unresolvable addresses: a connection attempt would hang or fail otherwise, never refuse at once.
    for (const url of [
      "libsql://alkeria-rma.turso.example",
      "http://192.0.2.1:8080",
      "https://db.alkeria.example",
      "http://127.0.0.1.example.com:8080",
      "ws://[2001:db8::1]:8080",
    ]) {
      expect(isLoopbackDatabaseUrl(url), url).toBe(false);
      const started = performance.now();
      const refused = await seedDatabase(url).catch((err: unknown) => err);
      expect(refused, url).toBeInstanceOf(DefaultPasswordRefused);
      expect(String((refused as Error).message)).toMatch(DEFAULT_PASSWORD_REFUSED_PATTERN);
      expect(performance.now() - started).toBeLessThan(500);
      // The same refusal when the built-in password is named explicitly.
      await expect(seedDatabase(url, { adminPassword: "change-me-please" })).rejects.toBeInstanceOf(DefaultPasswordRefused);
    }
    for (const url of [db.url, "http://localhost:8880", "http://127.0.0.2:1", "http://[::1]:8880", "file:local.db"]) {
      expect(isLoopbackDatabaseUrl(url), url).toBe(true);
    }
  });

  it("knows the demo serials npm start prints", async () => {
    const rows = await db.query<{ serial_number: string }>(
      "SELECT serial_number FROM products WHERE serial_number IN (?, ?, ?)",
      [DEMO_SERIALS.inWarranty, DEMO_SERIALS.outOfWarranty, DEMO_SERIALS.unknown],
    );
    expect(rows.map((r) => r.serial_number).sort()).toEqual([DEMO_SERIALS.inWarranty, DEMO_SERIALS.outOfWarranty].sort());
  });

  it("refuses a second open RMA for one serial at the database level", async () => {
    await db.query(
      "INSERT INTO return_requests (id, contact_name, email, phone, country, return_street, return_postal_code, return_city, return_country) VALUES ('r1','A','a@b.it','1','IT','s','1','c','IT')",
    );
    const rma = (n: string, status: string) =>
      db.query(
        "INSERT INTO rmas (rma_number, request_id, serial_number, model, purchase_date, issue_description, warranty_covered, warranty_until, status) VALUES (?, 'r1', 'CE104521', 'Celera C1920', '2025-01-01', 'x', 1, '2027-01-01', ?)",
        [n, status],
      );
    await rma("RMA-1", "closed");
    await rma("RMA-2", "requested");
    await expect(rma("RMA-3", "authorized")).rejects.toThrow(/UNIQUE/);
  });
});
