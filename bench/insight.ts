/**
 * The quality dashboard and the queue's CSV export at 1 000 and at 100 000 RMAs: each read through the
 * Worker's own services (`dashboardFigures`, `exportQueue`) over libSQL's HTTP client against a fresh
 * sqld per size. The dashboard reads the aggregate tables the triggers keep (a few rows per month and
 * model), so its time should not grow with the RMAs; the export of one queue filter (status "received",
 * the same 100 RMAs at either size) reads index ranges. Target: 100 000 within 2× of 1 000.
 *
 * Run alone: `node --experimental-transform-types bench/insight.ts`; `npm run bench` runs it as the
 * "insight" section.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { createDb } from "../db/client.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { startSqld } from "../db/sqld.ts";
import { dashboardFigures } from "../functions/services/insight/dashboard.ts";
import { exportQueue } from "../functions/services/insight/export.ts";

export interface InsightSide {
  rmas: number;
  /** Median milliseconds of one dashboard read (all its figures, one round trip). */
  dashboardMs: number;
  /** Median milliseconds of one export of the "received" filter (100 RMAs). */
  exportMs: number;
  exportRows: number;
}

export interface InsightResult {
  sides: InsightSide[];
  /** 100 000 over 1 000, each: the target is at most 2. */
  dashboardRatio: number;
  exportRatio: number;
}

const MODELS = ["Vega V640", "Necta N1280", "Celera C2048", "Lince L512", "Orsa O4096"];
/** RMAs left received (the export's filter), the same at every size. */
const RECEIVED = 100;
const RUNS = 25;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

/** `count` RMAs over the last 24 months, through every stage, with triggers keeping the aggregates. */
async function seed(url: string, count: number): Promise<void> {
  const client = createClient({ url });
  const models = `CASE i % ${MODELS.length} ${MODELS.map((m, k) => `WHEN ${k} THEN '${m}'`).join(" ")} END`;
  await client.execute(`INSERT INTO return_requests (id, contact_name, email, phone, country, return_street, return_postal_code, return_city, return_country)
    VALUES ('bench-req', 'Bench', 'bench@example.com', '+39 050 1', 'Italy', 'Via Roma 1', '56100', 'Pisa', 'Italy')`);
  const chunk = 20_000;
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(count, from + chunk - 1);
    // Finished RMAs: requested, authorised a day later, received a week later, repaired and shipped.
    await client.execute({
      sql: `WITH RECURSIVE seq(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
        INSERT INTO rmas (rma_number, request_id, serial_number, model, purchase_date, issue_description, warranty_covered, warranty_until, status, requested_at)
        SELECT printf('RMA-B-%07d', i), 'bench-req', printf('BS%07d', i), ${models}, '2025-01-01', 'It stopped.', i % 3 <> 0, '2027-01-01',
          'requested', strftime('%Y-%m-%dT10:00:00.000Z', 'now', printf('-%d days', (i * 7) % 720)) FROM seq`,
      args: [from, to],
    });
    await client.execute({
      sql: `UPDATE rmas SET status = 'shipped',
          authorized_at = strftime('%Y-%m-%dT10:00:00.000Z', requested_at, '+1 day'),
          received_on = date(requested_at, '+8 days'),
          diagnosed_at = strftime('%Y-%m-%dT10:00:00.000Z', requested_at, '+10 days'),
          repairing_at = strftime('%Y-%m-%dT10:00:00.000Z', requested_at, '+10 days'),
          shipped_at = strftime('%Y-%m-%dT10:00:00.000Z', requested_at, '+15 days')
        WHERE rma_number BETWEEN printf('RMA-B-%07d', ?) AND printf('RMA-B-%07d', ?)`,
      args: [from, to],
    });
  }
  await client.execute({
    sql: "UPDATE rmas SET status = 'received', shipped_at = NULL WHERE rma_number IN (SELECT rma_number FROM rmas ORDER BY rma_number LIMIT ?)",
    args: [RECEIVED],
  });
  client.close();
}

async function side(rmas: number): Promise<InsightSide> {
  const dir = mkdtempSync(join(tmpdir(), "rma-bench-insight-"));
  const sqld = await startSqld({ dbPath: join(dir, "db.sqld") });
  try {
    await migrateDatabase(sqld.url);
    await seed(sqld.url, rmas);
    const db = createDb({ DATABASE_URL: sqld.url });
    const now = new Date();
    const to = now.toISOString().slice(0, 7);
    const filter = { from: `${Number(to.slice(0, 4)) - 2}${to.slice(4)}`, to, model: null };
    const dashboard: number[] = [];
    const exported: number[] = [];
    let exportRows = 0;
    for (let i = 0; i < RUNS + 3; i++) {
      let t = performance.now();
      await dashboardFigures(db, filter);
      if (i >= 3) dashboard.push(performance.now() - t);
      t = performance.now();
      exportRows = (await exportQueue(db, { status: "received", page: 1 }, now)).rows;
      if (i >= 3) exported.push(performance.now() - t);
    }
    return { rmas, dashboardMs: median(dashboard), exportMs: median(exported), exportRows };
  } finally {
    await sqld.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureInsight(sizes: readonly number[] = [1_000, 100_000]): Promise<InsightResult> {
  const sides: InsightSide[] = [];
  for (const n of sizes) sides.push(await side(n));
  const [small, large] = [sides[0] as InsightSide, sides.at(-1) as InsightSide];
  return { sides, dashboardRatio: large.dashboardMs / small.dashboardMs, exportRatio: large.exportMs / small.exportMs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureInsight();
  for (const s of result.sides) {
    console.log(
      `${s.rmas} RMAs: dashboard ${s.dashboardMs.toFixed(1)} ms, export of ${s.exportRows} rows ${s.exportMs.toFixed(1)} ms (medians of ${RUNS})`,
    );
  }
  console.log(
    `100 000 vs 1 000: dashboard ×${result.dashboardRatio.toFixed(2)}, export ×${result.exportRatio.toFixed(2)} (target: at most ×2)`,
  );
}
