/**
 * Demo data: the product registry from db/seed/products.csv and one staff account.
 * Idempotent: rows that exist are left as they are. `npm run db:seed`. The built-in demo password is
 * only ever set on a database on this machine (a loopback or file URL): elsewhere the seed refuses,
 * before it connects, unless ADMIN_PASSWORD names another one (or create accounts with `npm run staff:add`).
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { addDays, toIsoDate } from "../functions/domain/dates.ts";
import { parseRegistryCsv } from "../functions/domain/registry-csv.ts";
import { databaseUrlFromEnv } from "./migrate.ts";
import { products } from "./schema.ts";
import { ROOT } from "./sqld.ts";
import { addStaffUser } from "./staff.ts";

export const DEMO_ADMIN_EMAIL = "admin@alkeria.example";
export const DEMO_ADMIN_PASSWORD = "change-me-please";
/** Printed by `npm start`: one unit in warranty, one out, one the registry does not know. */
export const DEMO_SERIALS = { inWarranty: "CE104521", outOfWarranty: "NE087310", unknown: "ZZ999999" } as const;

const RELATIVE = /^today-(\d+)d$/;

export function demoRegistry(today: string = toIsoDate(new Date())) {
  const text = readFileSync(join(ROOT, "db", "seed", "products.csv"), "utf8");
  return parseRegistryCsv(text, (cell) => {
    const m = RELATIVE.exec(cell);
    return m ? addDays(today, -Number(m[1])) : cell;
  });
}

/** Whether a libSQL URL is on this machine: a file, or a host on loopback (127.0.0.0/8, ::1, localhost). */
export function isLoopbackDatabaseUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === "file:") return true;
  const host = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** What the refusal says (a test reads it). */
export const DEFAULT_PASSWORD_REFUSED_PATTERN =
  /^Refusing to create .+ with the built-in demo password on a database that is not on this machine/;

/** The seed's refusal to put the built-in demo password on a database that is not on this machine. */
export class DefaultPasswordRefused extends Error {
  constructor(url: string) {
    let host = url;
    try {
      host = new URL(url).host;
    } catch {}
    super(
      `Refusing to create ${DEMO_ADMIN_EMAIL} with the built-in demo password on a database that is not on this machine (${host}). ` +
        "Create the first staff account with `npm run staff:add -- EMAIL`, or set ADMIN_PASSWORD.",
    );
    this.name = "DefaultPasswordRefused";
  }
}

export interface SeedResult {
  productsAdded: number;
  staffAdded: boolean;
}

export async function seedDatabase(
  url: string,
  opts: { authToken?: string | undefined; adminEmail?: string; adminPassword?: string; today?: string } = {},
): Promise<SeedResult> {
  const adminPassword = opts.adminPassword ?? DEMO_ADMIN_PASSWORD;
  // Decided from the URL alone, before any connection is made.
  if (adminPassword === DEMO_ADMIN_PASSWORD && !isLoopbackDatabaseUrl(url)) throw new DefaultPasswordRefused(url);
  const { rows, errors } = demoRegistry(opts.today);
  if (errors.length > 0) throw new Error(`db/seed/products.csv: ${errors.map((e) => `line ${e.line}: ${e.reason}`).join("; ")}`);
  const client = createClient(opts.authToken ? { url, authToken: opts.authToken } : { url });
  try {
    const db = drizzle(client);
    const values = rows.map(({ serialNumber, model, purchaseDate }) => ({ serialNumber, model, purchaseDate }));
    const inserted = await db.insert(products).values(values).onConflictDoNothing().returning({ s: products.serialNumber });
    const staffAdded = await addStaffUser(client, opts.adminEmail ?? DEMO_ADMIN_EMAIL, adminPassword, { ifMissing: true });
    return { productsAdded: inserted.length, staffAdded };
  } finally {
    client.close();
  }
}

if (import.meta.main) {
  try {
    const r = await seedDatabase(databaseUrlFromEnv(), {
      authToken: process.env["DATABASE_AUTH_TOKEN"],
      adminEmail: process.env["ADMIN_EMAIL"] ?? DEMO_ADMIN_EMAIL,
      adminPassword: process.env["ADMIN_PASSWORD"] ?? DEMO_ADMIN_PASSWORD,
    });
    console.log(`seed: ${r.productsAdded} registry units added, staff account ${r.staffAdded ? "created" : "already there"}`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
