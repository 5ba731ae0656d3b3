/**
 * The statements issue 17 added to customer and queue reads look rows up by index, so they cost the same
 * however many RMAs there are: a serial's past repairs (issuing's read batch), the registry rows with
 * their past repairs and the setting (the serial check and the form's check, one statement), the guard
 * condition for the one-round-trip path, and the queue's bounded "overdue first" reads.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client.ts";
import { MAX_UNITS } from "../../functions/domain/request-input.ts";
import { overdueFirstStatements, TIMED_STATUSES } from "../../functions/services/insight/overdue.ts";
import {
  noPastRepairCondition,
  pastRepairsOfRequestStatement,
  pastRepairsStatement,
  registryWithRepairsStatement,
} from "../../functions/services/insight/repair-warranty.ts";
import { type BuiltQuery, queryPlan, startTestDatabase, type TestDatabase } from "../support/database.ts";

let tdb: TestDatabase;
let db: Db;
beforeAll(async () => {
  tdb = await startTestDatabase();
  db = createDb({ DATABASE_URL: tdb.url });
});
afterAll(() => tdb?.stop());

const plan = (query: BuiltQuery) => queryPlan(tdb, query);
/** A full pass over a table (not a SELECT without FROM, nor the one row of the test's own wrapping subquery). */
const tableScan = (detail: string) => /^SCAN (?!CONSTANT ROW$|\(subquery-\d+\)$)/.test(detail);
const serialsOf = (n: number) => Array.from({ length: n }, (_, i) => `QP${String(i).padStart(6, "0")}`);

describe("query plans of the repair warranty and the queue's overdue section", () => {
  it("reads the past repairs of 1 to 20 serials, and the registry rows with theirs, by index", async () => {
    for (const n of [1, 2, 10, MAX_UNITS]) {
      const past = await plan(pastRepairsStatement(db, serialsOf(n)));
      expect(past.filter(tableScan), `${n}: ${past.join(" | ")}`).toEqual([]);
      expect(past.join(" | ")).toContain("rmas_serial_idx (serial_number=?)");
      const joined = await plan(registryWithRepairsStatement(db, serialsOf(n)));
      expect(joined.filter(tableScan), `${n}: ${joined.join(" | ")}`).toEqual([]);
      expect(joined.join(" | ")).toContain("rmas_serial_idx (serial_number=?)");
    }
  });

  it("reads the past repairs of a request's serials (a replayed answer) by index", async () => {
    const steps = await plan(pastRepairsOfRequestStatement(db, "req-1"));
    expect(steps.filter(tableScan), steps.join(" | ")).toEqual([]);
    expect(steps.join(" | ")).toContain("rmas_request_idx (request_id=?)");
    // The customer's RMA page names the request by its RMA, in the same batch.
    const byRma = await plan(
      pastRepairsOfRequestStatement(db, sql`(SELECT request_id FROM rmas WHERE rma_number = ${"RMA-2026-000001"})`),
    );
    expect(byRma.filter(tableScan), byRma.join(" | ")).toEqual([]);
    expect(byRma.join(" | ")).toContain("rmas_request_idx (request_id=?)");
  });

  it("checks the guard condition by index", async () => {
    const steps = await plan(
      db
        .select({ ok: sql`1` })
        .from(sql`(SELECT 1)`)
        .where(noPastRepairCondition(serialsOf(MAX_UNITS))),
    );
    expect(steps.filter(tableScan), steps.join(" | ")).toEqual([]);
    expect(steps.join(" | ")).toContain("rmas_serial_idx (serial_number=?)");
  });

  it("reads each timed status's oldest requests in index order, without sorting", async () => {
    const { candidates } = overdueFirstStatements(db);
    expect(candidates).toHaveLength(TIMED_STATUSES.length);
    for (const q of candidates) {
      const steps = await plan(q);
      expect(steps.filter(tableScan), steps.join(" | ")).toEqual([]);
      expect(steps.join(" | ")).toMatch(/SEARCH rmas USING INDEX rmas_status_requested_idx \(status=\?\)/);
      expect(steps.join(" | ")).not.toMatch(/TEMP B-TREE/);
    }
  });
});
