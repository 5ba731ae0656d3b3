/**
 * The statements on the customer paths look rows up by index, so their cost does not grow with the
 * tables (the benchmark's growth section measures it; this keeps it so). SQLite plans without
 * statistics here, as it does in production until someone runs ANALYZE.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client.ts";
import { countStatement, limitKeys } from "../../functions/auth/rate-limit.ts";
import { MAX_UNITS } from "../../functions/domain/request-input.ts";
import { LOOKUP_LIMIT } from "../../functions/services/rma/customer-access.ts";
import { readContextStatements } from "../../functions/services/rma/issuing/read.ts";
import { registryGuard } from "../../functions/services/rma/issuing/write.ts";
import { rmaReadStatements } from "../../functions/services/rma/view.ts";
import { type BuiltQuery, queryPlan, startTestDatabase, type TestDatabase } from "../support/database.ts";

let tdb: TestDatabase;
let db: Db;
beforeAll(async () => {
  tdb = await startTestDatabase();
  db = createDb({ DATABASE_URL: tdb.url });
});
afterAll(() => tdb?.stop());

const plan = (query: BuiltQuery) => queryPlan(tdb, query);

/** A full pass over a table (`SCAN rmas`), not over a CTE's few rows (`SCAN m`) nor a SELECT without FROM (`SCAN CONSTANT ROW`). */
const tableScan = (detail: string) => /^SCAN (?!m$|CONSTANT ROW$)/.test(detail);

describe("query plans of the customer paths", () => {
  it("issuing reads the registry, the open RMAs and the idempotency key by index, for 1 to 20 units", async () => {
    for (const units of [1, 2, 10, MAX_UNITS]) {
      const serials = Array.from({ length: units }, (_, i) => `QP${String(i).padStart(6, "0")}`);
      const [registry, open, models, key] = readContextStatements(db, serials, "idem-key-0001");
      for (const q of [registry, open, models, key]) expect((await plan(q)).filter(tableScan), `${units} units`).toEqual([]);
      // Not an index by status: that would walk every open RMA (SQLite prefers it from about 8 serials on).
      expect((await plan(open)).join("; "), `${units} units`).toContain("rmas_serial_idx (serial_number=?)");
    }
  });

  it("the one-round-trip path's registry guard checks each stated unit and the setting by index, for 1 to 20 units", async () => {
    for (const units of [1, 2, 10, MAX_UNITS]) {
      const stated = new Map(
        Array.from({ length: units }, (_, i) => {
          const serialNumber = `QP${String(i).padStart(6, "0")}`;
          return [serialNumber, { serialNumber, model: "Vega V640", purchaseDate: "2026-01-10" }] as const;
        }),
      );
      for (const autoAuthorize of [false, true]) {
        const steps = await plan(registryGuard(db, stated, autoAuthorize));
        const label = `${units} units, auto-authorise ${autoAuthorize}: ${steps.join(" | ")}`;
        expect(steps.filter(tableScan), label).toEqual([]);
        // One look-up of the registry by its key per stated unit, and one of the setting by its key.
        expect(
          steps.filter((s) =>
            /^SEARCH products USING (COVERING )?INDEX sqlite_autoindex_products_1 \(serial_number=\?\)$/.test(s),
          ),
          label,
        ).toHaveLength(units);
        expect(
          steps.filter((s) => /^SEARCH settings USING INDEX sqlite_autoindex_settings_1 \(key=\?\)$/.test(s)),
          label,
        ).toHaveLength(1);
      }
    }
  });

  it("a lookup reads the RMA, its request, events and sibling units by index", async () => {
    const statements = [
      countStatement(db, limitKeys.lookupIp("192.0.2.1"), { ...LOOKUP_LIMIT, now: new Date() }),
      ...rmaReadStatements(db, "RMA-26-048173-V"),
    ];
    for (const q of statements) expect((await plan(q)).filter(tableScan)).toEqual([]);
  });
});
