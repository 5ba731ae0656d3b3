/**
 * The staff queue with 10 000 RMAs in a real sqld: every main filter is served by an index (read from
 * SQLite's own query plan), each whole queue read is one counted round trip, and its time is printed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.ts";
import { parseQueueFilter } from "../../functions/domain/queue-filter.ts";
import { loadQueue, queueStatements } from "../../functions/services/rma/queue.ts";
import { type RoundTrips, startCountedDb } from "../support/app.ts";
import { type BuiltQuery, queryPlan, type TestDatabase } from "../support/database.ts";

let tdb: TestDatabase;
let db: Db;
/** Every libSQL HTTP request `db` makes, counted. */
let trips: RoundTrips;
const NOW = new Date("2026-11-25T09:00:00.000Z");
const RMAS = 10_000;

beforeAll(async () => {
  ({ tdb, db, trips } = await startCountedDb());
  // 2 500 requests of 4 units each, over two years, in every status, with one INSERT ... SELECT each.
  await tdb.query(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${RMAS / 4})
    INSERT INTO return_requests (id, contact_name, company, email, phone, country, return_street, return_postal_code, return_city, return_country, created_at)
    SELECT 'req-' || i, 'Contact ' || i, 'Company ' || (i % 400), 'buyer' || i || '@example' || (i % 50) || '.com', '+39 050 000',
      'Italy', 'Via Roma ' || i, '56100', 'Pisa', 'Italy', strftime('%Y-%m-%dT%H:%M:%fZ', '2024-11-25', '+' || (i * 4 * 105) || ' minutes')
    FROM n`);
  await tdb.query(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${RMAS}),
    s(i, status) AS (SELECT i, CASE i % 10 WHEN 0 THEN 'requested' WHEN 1 THEN 'authorized' WHEN 2 THEN 'received' WHEN 3 THEN 'quoted'
      WHEN 4 THEN 'repairing' WHEN 5 THEN 'returning' WHEN 6 THEN 'shipped' WHEN 7 THEN 'closed' WHEN 8 THEN 'rejected' ELSE 'expired' END FROM n)
    INSERT INTO rmas (rma_number, request_id, serial_number, model, purchase_date, issue_description, warranty_covered, warranty_until,
      status, requested_at, valid_until, cancellation_requested_at, updated_at)
    SELECT printf('RMA-%02d-%06d-A', 25 + (i % 2), i), 'req-' || ((i - 1) / 4 + 1), printf('SN%07d', i),
      CASE i % 5 WHEN 0 THEN 'Celera C1920' WHEN 1 THEN 'Vega V640' WHEN 2 THEN 'Lince L2048' WHEN 3 THEN 'Necta N1280' ELSE 'Celera C4K' END,
      '2024-06-01', 'The image freezes after ten minutes of streaming.', i % 3 <> 0, '2026-06-01', status,
      strftime('%Y-%m-%dT%H:%M:%fZ', '2024-11-25', '+' || (i * 105) || ' minutes'),
      CASE WHEN status = 'authorized' THEN strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-20', '+' || (i % 40) || ' days') END,
      CASE WHEN i % 97 = 0 AND status IN ('received', 'quoted', 'repairing') THEN '2026-11-20T10:00:00.000Z' END,
      strftime('%Y-%m-%dT%H:%M:%fZ', '2024-11-25', '+' || (i * 105) || ' minutes')
    FROM s`);
}, 120_000);
afterAll(() => tdb?.stop());

/** SQLite's plan for a drizzle query, one line per step. */
const plan = (query: BuiltQuery) => queryPlan(tdb, query);

/**
 * Steps that read a table, or one of its indexes, from end to end: any SCAN of rmas or return_requests
 * (`q` and `m` are their aliases in the search), with or without an index. A SEARCH reads a range.
 */
const fullScan = (steps: string[]) => steps.filter((s) => /^SCAN (rmas|return_requests|q|m)\b/.test(s));
/**
 * The one SCAN a list may make: the unfiltered list walks the newest-first index in its own order, with
 * no sort, so it stops at the page's last row. Any filter must SEARCH instead.
 */
const NEWEST_FIRST_WALK = "SCAN rmas USING INDEX rmas_requested_idx";

const FILTERS: Record<string, string> = {
  "no filter": "",
  status: "status=quoted",
  "status expired (includes lapsed)": "status=expired",
  model: "model=Vega%20V640",
  "requested between two days": "from=2026-01-01&to=2026-01-31",
  "search an RMA number": "q=RMA-26-0042",
  "search a serial": "q=SN00042",
  "search an email": "q=buyer42@",
  "search a company": "q=company%2017",
  "status + model + dates": "status=received&model=Vega%20V640&from=2025-06-01&to=2026-11-25",
  "warranty covered": "warranty=covered",
  "warranty not covered": "warranty=not-covered",
  "page 150": "page=150",
  "status, page 15": "status=quoted&page=15",
  "warranty, page 60": "warranty=covered&page=60",
};

const filterOf = (query: string) => parseQueueFilter(new URLSearchParams(query)).filter;

describe(`the queue with ${RMAS} RMAs`, () => {
  it("has them all", async () => {
    const [row] = await tdb.query<{ n: number }>("SELECT count(*) n FROM rmas");
    expect(row?.n).toBe(RMAS);
  });

  it("serves the list and its count for every main filter from an index, never reading a table whole", async () => {
    expect(Object.keys(FILTERS)).toHaveLength(15);
    for (const [name, query] of Object.entries(FILTERS)) {
      const filter = filterOf(query);
      const filtered = Object.keys(filter).some((k) => k !== "page");
      const statements = queueStatements(db, filter, NOW);
      const rows = await plan(statements.rows);
      const total = await plan(statements.total);
      const scans = fullScan(rows);
      if (filtered) expect(scans, `${name}: ${rows.join(" | ")}`).toEqual([]);
      else {
        expect(scans, `${name}: ${rows.join(" | ")}`).toEqual([NEWEST_FIRST_WALK]);
        expect(rows.join(" | "), name).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
      }
      expect(fullScan(total), `${name} (count): ${total.join(" | ")}`).toEqual([]);
      expect(rows.join(" | "), name).toMatch(/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|PRIMARY KEY/);
    }
  });

  it("walks the newest-first list in index order without sorting, so a page is read and nothing more", async () => {
    for (const query of ["", "status=quoted", "model=Vega%20V640"]) {
      const steps = await plan(queueStatements(db, filterOf(query), NOW).rows);
      expect(steps.join(" | "), query).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    }
  });

  it("reads the counts, the models and the lists of work to do without reading every RMA", async () => {
    const statements = queueStatements(db, filterOf(""), NOW);
    // Any SCAN of rmas, even of a covering index, grows with the table; a SEARCH reads a range.
    const readsAll = (steps: string[]) => steps.filter((s) => /^SCAN (rmas|return_requests)\b/.test(s));
    for (const [name, statement] of Object.entries({
      counts: statements.statusCounts,
      lapsed: statements.lapsed,
      models: statements.models,
      "section totals": statements.sectionTotals,
      "unfiltered total": statements.total,
    })) {
      const steps = await plan(statement);
      expect(readsAll(steps), `${name}: ${steps.join(" | ")}`).toEqual([]);
    }
    for (const section of statements.sections) {
      const steps = await plan(section);
      expect(readsAll(steps), steps.join(" | ")).toEqual([]);
    }
  });

  it("gives each list of work its full total while listing its first rows", async () => {
    const queue = await loadQueue(db, filterOf(""), NOW);
    const [row] = await tdb.query<{ requested: number; quoted: number; cancellations: number }>(
      `SELECT (SELECT count(*) FROM rmas WHERE status = 'requested') requested, (SELECT count(*) FROM rmas WHERE status = 'quoted') quoted,
        (SELECT count(*) FROM rmas WHERE cancellation_requested_at IS NOT NULL) cancellations`,
    );
    const total = (key: string) => queue.sections.find((x) => x.key === key)?.total;
    expect({ requested: total("requested"), quoted: total("quotes"), cancellations: total("cancellations") }).toEqual(row);
    expect(queue.sections.find((x) => x.key === "requested")?.rows).toHaveLength(20);
  });

  it("counts a filtered list up to the cap, and says when there are more", async () => {
    const [quoted] = await tdb.query<{ n: number }>("SELECT count(*) n FROM rmas WHERE status = 'quoted'");
    const n = quoted?.n ?? 0;
    expect((await loadQueue(db, filterOf("status=quoted"), NOW)).results).toMatchObject({ total: n, more: false });
    expect((await loadQueue(db, filterOf("status=quoted"), NOW, n)).results).toMatchObject({ total: n, more: false });
    expect((await loadQueue(db, filterOf("status=quoted"), NOW, n - 1)).results).toMatchObject({ total: n - 1, more: true });
  });

  it("answers each whole queue read (counts, six lists of work, a page and its total) in one round trip; times printed", async () => {
    const timings: string[] = [];
    for (const [name, query] of Object.entries(FILTERS)) {
      await loadQueue(db, filterOf(query), NOW); // warm up
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        trips.reset();
        const start = performance.now();
        const result = await loadQueue(db, filterOf(query), NOW);
        runs.push(performance.now() - start);
        expect({ name, roundTrips: trips.total, writes: trips.writes }).toEqual({ name, roundTrips: 1, writes: 0 });
        expect(result.results.rows.length).toBeLessThanOrEqual(50);
        // The deep pages are full: 200 pages unfiltered, 20 of quoted RMAs, 134 of covered ones.
        if (/page=/.test(query)) expect(result.results.rows, name).toHaveLength(50);
      }
      runs.sort((a, b) => a - b);
      timings.push(`${name.padEnd(36)} median ${runs[2]?.toFixed(1)} ms`);
    }
    console.log(`queue over ${RMAS} RMAs (sqld on loopback, whole read incl. HTTP):\n${timings.join("\n")}`);
    const all = await loadQueue(db, filterOf(""), NOW);
    expect(all.results.total).toBe(RMAS);
    expect(Object.values(all.counts).reduce((a, b) => a + b, 0)).toBe(RMAS);
  });

  // Last: it deletes RMAs, which the totals above do not expect.
  it("keeps the counts per status exact through inserts, status changes and deletes (triggers)", async () => {
    const exact = async () =>
      Object.fromEntries(
        (await tdb.query<{ status: string; n: number }>("SELECT status, count(*) n FROM rmas GROUP BY status")).map((r) => [
          r.status,
          r.n,
        ]),
      );
    const kept = async () =>
      Object.fromEntries(
        (await tdb.query<{ status: string; n: number }>("SELECT status, n FROM rma_status_counts WHERE n > 0")).map((r) => [
          r.status,
          r.n,
        ]),
      );
    const howMany = async (status: string) =>
      (await tdb.query<{ n: number }>("SELECT count(*) n FROM rmas WHERE status = ?", [status]))[0]?.n;
    expect(await kept()).toEqual(await exact());
    await tdb.query("UPDATE rmas SET status = 'closed' WHERE status = 'shipped' AND rowid % 3 = 0");
    await tdb.query("UPDATE rmas SET issue_description = 'Edited.' WHERE rowid % 7 = 0"); // no status change
    // Rejected RMAs are rowids 8, 18, 28, ... (i % 10 = 8): rowid % 20 = 8 is every other one, 500 of the 1 000;
    // and every expired one goes, so its count must fall to zero.
    expect({ rejected: await howMany("rejected"), expired: await howMany("expired") }).toEqual({ rejected: 1000, expired: 1000 });
    await tdb.query("DELETE FROM rmas WHERE status = 'rejected' AND rowid % 20 = 8");
    await tdb.query("DELETE FROM rmas WHERE status = 'expired'");
    expect({ rejected: await howMany("rejected"), expired: await howMany("expired") }).toEqual({ rejected: 500, expired: 0 });
    expect(await kept()).toEqual(await exact());
    const [expiredKept] = await tdb.query<{ n: number }>("SELECT n FROM rma_status_counts WHERE status = 'expired'");
    expect(expiredKept?.n ?? 0).toBe(0);
    const queue = await loadQueue(db, filterOf(""), NOW);
    expect(queue.results.total).toBe(RMAS - 500 - 1000);
    expect(Object.values(queue.counts).reduce((a, b) => a + b, 0)).toBe(RMAS - 500 - 1000);
  });
});
