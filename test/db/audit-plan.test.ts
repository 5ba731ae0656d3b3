/**
 * The audit log's page reads by index whatever its filter, the range of days included: the log only grows,
 * so a filter must not turn into a pass over all of it (SQLite plans without statistics here, as it does in
 * production until someone runs ANALYZE).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client.ts";
import { type AuditFilter, auditStatements } from "../../functions/services/team/audit.ts";
import { type BuiltQuery, queryPlan, startTestDatabase, type TestDatabase } from "../support/database.ts";

let tdb: TestDatabase;
let db: Db;
beforeAll(async () => {
  tdb = await startTestDatabase();
  db = createDb({ DATABASE_URL: tdb.url });
});
afterAll(() => tdb?.stop());

const plan = async (query: BuiltQuery) => (await queryPlan(tdb, query)).join("; ");

describe("the audit log's query plans", () => {
  it("reads a range of days through the index on `at`, with or without a kind", async () => {
    const filters: [AuditFilter, RegExp][] = [
      [{ from: "2026-11-01", to: "2026-11-30" }, /USING (COVERING )?INDEX audit_log_at_idx \(at>\? AND at<\?\)/],
      [{ kind: "sign-in", from: "2026-11-01" }, /USING (COVERING )?INDEX audit_log_kind_idx \(kind=\? AND at>\?\)/],
      [{ kind: "sign-in" }, /USING (COVERING )?INDEX audit_log_kind_idx \(kind=\?\)/],
    ];
    for (const [filter, index] of filters) {
      const [rows, total] = auditStatements(db, filter);
      for (const q of [rows, total]) {
        const steps = await plan(q);
        expect(steps, JSON.stringify(filter)).toMatch(index);
        expect(steps, JSON.stringify(filter)).not.toMatch(/^SCAN audit_log$|; SCAN audit_log(;|$)/);
      }
    }
  });
});
