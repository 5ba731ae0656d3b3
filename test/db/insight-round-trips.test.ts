/**
 * The quality reads in a real sqld: the dashboard, the overdue list and the export are one counted round
 * trip each, and the dashboard's statements read only the aggregate tables (none names `rmas`),
 * however many RMAs there are.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.ts";
import { dashboardFigures } from "../../functions/services/insight/dashboard.ts";
import { exportQueue } from "../../functions/services/insight/export.ts";
import { overdueRmas } from "../../functions/services/insight/overdue.ts";
import { type RoundTrips, startCountedDb } from "../support/app.ts";
import type { TestDatabase } from "../support/database.ts";

let tdb: TestDatabase;
let db: Db;
let trips: RoundTrips;
const NOW = new Date("2026-11-25T09:00:00.000Z");

beforeAll(async () => {
  ({ tdb, db, trips } = await startCountedDb());
  await tdb.query(`INSERT INTO return_requests (id, contact_name, email, phone, country, return_street, return_postal_code, return_city, return_country)
    VALUES ('req-rt', 'Ada', 'ada@example.com', '+39 02 1', 'IT', 'Via Roma 1', '20100', 'Milano', 'IT')`);
  await tdb.query(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
    INSERT INTO rmas (rma_number, request_id, serial_number, model, purchase_date, issue_description, warranty_covered, warranty_until, status, requested_at)
    SELECT printf('RMA-RT-%05d', i), 'req-rt', printf('RT%06d', i), CASE i % 3 WHEN 0 THEN 'Vega V640' WHEN 1 THEN 'Necta N1280' ELSE 'Lince L512' END,
      '2025-01-01', 'It stopped.', i % 2, '2027-01-01', CASE i % 4 WHEN 0 THEN 'requested' WHEN 1 THEN 'received' ELSE 'shipped' END,
      strftime('%Y-%m-%dT10:00:00.000Z', '2026-11-20', printf('-%d days', i % 300)) FROM n`);
}, 60_000);
afterAll(() => tdb?.stop());

describe("quality reads", () => {
  it("read the dashboard, the overdue list and an export in one round trip each", async () => {
    trips.reset();
    const figures = await dashboardFigures(db, { from: "2025-12", to: "2026-11", model: null });
    expect(trips.total).toBe(1);
    expect(figures.perMonth.reduce((s, r) => s + r.n, 0)).toBe(2000);
    trips.reset();
    const overdue = await overdueRmas(db, NOW);
    expect(trips.total).toBe(1);
    expect(overdue.length).toBeGreaterThan(0);
    trips.reset();
    const exported = await exportQueue(db, { status: "received", page: 1 }, NOW);
    expect(trips.total).toBe(1);
    expect(exported.rows).toBe(500);
  });

  it("never reads the rmas table for the dashboard: its statements name only the aggregate tables", async () => {
    const statements: string[] = [];
    const original = db.$client.batch.bind(db.$client);
    db.$client.batch = (async (stmts: Parameters<typeof original>[0], mode?: Parameters<typeof original>[1]) => {
      for (const s of stmts) statements.push(typeof s === "string" ? s : Array.isArray(s) ? s[0] : s.sql);
      return original(stmts, mode);
    }) as typeof db.$client.batch;
    try {
      await dashboardFigures(db, { from: "2025-12", to: "2026-11", model: "Vega V640" });
    } finally {
      db.$client.batch = original;
    }
    expect(statements.length).toBeGreaterThan(5);
    for (const sql of statements) expect(sql).not.toMatch(/\b(from|join)\s+"rmas"/i);
  });
});
