/**
 * The insight aggregates against a real sqld: the working-day calendar the migration fills matches the
 * domain's working days, and every aggregate the triggers keep equals the figure computed independently
 * from the RMAs themselves (SQL over `rmas`, or the domain's stage spans in JavaScript), through inserts,
 * moves, re-diagnoses and deletions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../functions/domain/dates.ts";
import { DEFAULT_TARGETS, stageSpans, type TimedRma } from "../../functions/domain/turnaround.ts";
import { isWorkingDay } from "../../functions/domain/working-days.ts";
import { startTestDatabase, type TestDatabase } from "../support/database.ts";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await startTestDatabase({ seed: false });
});
afterAll(() => tdb?.stop());

describe("the working-day calendar", () => {
  it("counts the same working days as functions/domain/working-days.ts on every day from 2020 to 2040", async () => {
    const rows = await tdb.query<{ day: string; working_index: number }>(
      "SELECT day, working_index FROM working_calendar ORDER BY day",
    );
    expect(rows[0]?.day).toBe("2020-01-01");
    expect(rows.at(-1)?.day).toBe("2040-12-31");
    let expected = 0;
    let day = "2020-01-01";
    const wrong: string[] = [];
    for (const row of rows) {
      if (row.day !== day) throw new Error(`calendar skips ${day}`);
      if (isWorkingDay(day)) expected++;
      if (row.working_index !== expected) wrong.push(day);
      day = addDays(day, 1);
    }
    expect(wrong).toEqual([]);
  });
});

interface Fixture {
  rma: string;
  model: string;
  serial: string;
  requestedAt: string;
  covered: boolean;
  /** Updates applied one by one afterwards, as the portal applies moves. */
  steps: Record<string, string>[];
  category?: string;
}

const MODELS = ["XS-100", "XS-200", "XL-900"];
const CATEGORIES = ["sensor", "power", "firmware", "customer-damage", "no-fault-found"];

/** RMAs in every path: waiting, rejected, in transit, warranty repairs, quotes accepted and declined. */
function fixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (let i = 0; i < 60; i++) {
    const model = MODELS[i % 3] as string;
    const month = i % 2 === 0 ? "2026-03" : "2026-04";
    const day = String(1 + (i % 27)).padStart(2, "0");
    const requested = `${month}-${day}`;
    const at = (days: number, hour = 10) => `${addDays(requested, days)}T${String(hour).padStart(2, "0")}:00:00.000Z`;
    const path = i % 6;
    const covered = path !== 4 && path !== 5;
    const steps: Record<string, string>[] = [];
    if (path === 1) steps.push({ rejected_at: at(3), status: "rejected" });
    if (path >= 2) steps.push({ authorized_at: at(1), status: "authorized", valid_until: at(31) });
    if (path >= 3) steps.push({ received_at: at(8), received_on: addDays(requested, 7 + (i % 4)), status: "received" });
    if (path === 3) {
      steps.push({ diagnosed_at: at(12 + (i % 5)), repairing_at: at(12 + (i % 5)), status: "repairing" });
      steps.push({ returning_at: at(20), status: "returning" });
      steps.push({ shipped_at: at(21 + (i % 3)), status: "shipped" });
    }
    if (path >= 4) {
      steps.push({ quoted_at: at(13), status: "quoted" });
      if (path === 4) {
        steps.push({ quote_decision: "accepted", quote_answered_at: at(16), repairing_at: at(16), status: "repairing" });
        steps.push({ returning_at: at(19), status: "returning" });
        steps.push({ shipped_at: at(22), status: "shipped" });
      } else {
        steps.push({ quote_decision: "declined", quote_answered_at: at(18), returning_at: at(18), status: "returning" });
      }
    }
    out.push({
      rma: `RMA-T-${String(i).padStart(4, "0")}`,
      model,
      serial: `SN-INS-${i}`,
      requestedAt: at(0, 9),
      covered,
      steps,
      ...(path >= 3 ? { category: CATEGORIES[i % CATEGORIES.length] as string } : {}),
    });
  }
  return out;
}

async function load(list: Fixture[]) {
  await tdb.batch([
    {
      sql: `INSERT INTO return_requests (id, contact_name, email, phone, country, return_street, return_postal_code, return_city, return_country)
            VALUES ('req-ins', 'Ada', 'ada@example.com', '+39 02 1', 'IT', 'Via Roma 1', '20100', 'Milano', 'IT')`,
    },
  ]);
  for (const [i, f] of list.entries()) {
    await tdb.batch([
      {
        sql: "INSERT INTO products (serial_number, model, purchase_date) VALUES (?, ?, '2025-01-01')",
        args: [f.serial, f.model],
      },
      ...(i % 4 === 0
        ? [{ sql: "INSERT INTO product_batches (serial_number, batch) VALUES (?, ?)", args: [f.serial, `B${i % 8}`] }]
        : []),
      {
        sql: `INSERT INTO rmas (rma_number, request_id, serial_number, model, purchase_date, issue_description, warranty_covered, warranty_until, requested_at)
              VALUES (?, 'req-ins', ?, ?, '2025-01-01', 'It stopped.', ?, '2027-01-01', ?)`,
        args: [f.rma, f.serial, f.model, f.covered ? 1 : 0, f.requestedAt],
      },
    ]);
    for (const step of f.steps) {
      // A diagnosis is written with the move that ends the diagnosis, as the workshop does.
      const diagnosis =
        f.category && (step["diagnosed_at"] || step["quoted_at"])
          ? [{ sql: "INSERT INTO rma_diagnoses (rma_number, category_code) VALUES (?, ?)", args: [f.rma, f.category] }]
          : [];
      const keys = Object.keys(step);
      await tdb.batch([
        ...diagnosis,
        {
          sql: `UPDATE rmas SET ${keys.map((k) => `${k} = ?`).join(", ")} WHERE rma_number = ?`,
          args: [...keys.map((k) => step[k] as string), f.rma],
        },
      ]);
    }
  }
}

const timed = (r: Record<string, unknown>): TimedRma => ({
  requestedAt: r["requested_at"] as string,
  authorizedAt: (r["authorized_at"] as string | null) ?? null,
  rejectedAt: (r["rejected_at"] as string | null) ?? null,
  cancelledAt: null,
  expiredAt: null,
  receivedOn: (r["received_on"] as string | null) ?? null,
  diagnosedAt: (r["diagnosed_at"] as string | null) ?? null,
  quotedAt: (r["quoted_at"] as string | null) ?? null,
  quoteDecision: (r["quote_decision"] as "accepted" | "declined" | null) ?? null,
  quoteAnsweredAt: (r["quote_answered_at"] as string | null) ?? null,
  shippedAt: (r["shipped_at"] as string | null) ?? null,
  warrantyCovered: r["warranty_covered"] === 1,
});

async function monthlyFromRmas() {
  return tdb.query(`
    SELECT substr(r.requested_at, 1, 7) AS month, r.model, count(*) AS requested, sum(r.warranty_covered) AS covered_at_request,
      sum(r.repairing_at IS NOT NULL AND r.warranty_covered = 1 AND coalesce(c.outcome, '') <> 'no-fault-found') AS warranty_repairs,
      sum(r.repairing_at IS NOT NULL AND r.warranty_covered = 0 AND coalesce(c.outcome, '') <> 'no-fault-found') AS paid_repairs,
      sum(r.quoted_at IS NOT NULL) AS quotes, sum(r.quote_decision IS 'accepted') AS quotes_accepted,
      sum(r.quote_decision IS 'declined') AS quotes_declined
    FROM rmas r LEFT JOIN rma_diagnoses d ON d.rma_number = r.rma_number LEFT JOIN failure_categories c ON c.code = d.category_code
    GROUP BY 1, 2 ORDER BY 1, 2`);
}

const monthlyKept = () =>
  tdb.query(`SELECT month, model, requested, covered_at_request, warranty_repairs, paid_repairs, quotes, quotes_accepted, quotes_declined
             FROM insight_monthly WHERE requested > 0 ORDER BY 1, 2`);

describe("aggregates kept by triggers", () => {
  beforeAll(async () => {
    await load(fixtures());
  });

  it("count RMAs, warranty and paid repairs and quote answers per month and model as the RMAs themselves say", async () => {
    const expected = await monthlyFromRmas();
    expect(expected.length).toBe(6);
    expect(await monthlyKept()).toEqual(expected);
  });

  it("histogram each ended stage's working days exactly as the domain's stage spans count them", async () => {
    const rows = await tdb.query("SELECT * FROM rmas WHERE rma_number LIKE 'RMA-T-%'");
    const expected = new Map<string, number>();
    for (const r of rows) {
      for (const span of stageSpans(timed(r), DEFAULT_TARGETS, new Date("2027-06-01T00:00:00Z"))) {
        if (span.end === null) continue;
        const key = `${(r["requested_at"] as string).slice(0, 7)}|${r["model"]}|${span.stage}|${span.workingDays}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    }
    const kept = await tdb.query<{ month: string; model: string; stage: string; days: number; n: number }>(
      "SELECT month, model, stage, days, n FROM insight_stage_days WHERE n > 0",
    );
    const actual = new Map(kept.map((k) => [`${k.month}|${k.model}|${k.stage}|${k.days}`, k.n]));
    expect(actual.size).toBeGreaterThan(10);
    expect(actual).toEqual(expected);
  });

  it("count failure categories per month and model, following a changed category", async () => {
    await tdb.query("UPDATE rma_diagnoses SET category_code = 'optics' WHERE rma_number = 'RMA-T-0003'");
    const expected = await tdb.query(`
      SELECT substr(r.requested_at, 1, 7) AS month, r.model, d.category_code, count(*) AS n
      FROM rma_diagnoses d JOIN rmas r ON r.rma_number = d.rma_number GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
    expect(expected.length).toBeGreaterThan(5);
    expect(await tdb.query("SELECT month, model, category_code, n FROM insight_failures WHERE n > 0 ORDER BY 1, 2, 3")).toEqual(
      expected,
    );
  });

  it("count registry units and returns per model and batch, following batches added, changed and removed", async () => {
    await tdb.batch([
      { sql: "UPDATE product_batches SET batch = 'B-NEW' WHERE serial_number = 'SN-INS-8'" },
      { sql: "DELETE FROM product_batches WHERE serial_number = 'SN-INS-16'" },
      { sql: "INSERT INTO product_batches (serial_number, batch) VALUES ('SN-INS-1', 'B-LATE')" },
      { sql: "INSERT INTO products (serial_number, model, purchase_date) VALUES ('SN-INS-X', 'XS-100', '2025-01-01')" },
      { sql: "UPDATE products SET model = 'XS-200' WHERE serial_number = 'SN-INS-3'" },
    ]);
    const expected = await tdb.query(`
      SELECT p.model, coalesce(b.batch, '') AS batch, count(*) AS units
      FROM products p LEFT JOIN product_batches b ON b.serial_number = p.serial_number GROUP BY 1, 2 ORDER BY 1, 2`);
    expect(await tdb.query("SELECT model, batch, units FROM insight_registry_units WHERE units > 0 ORDER BY 1, 2")).toEqual(
      expected,
    );
    const returns = await tdb.query<{ n: number }>("SELECT sum(n) AS n FROM insight_returns");
    expect(returns[0]?.n).toBe(60);
  });

  it("follow an RMA whose request time or model is corrected by hand", async () => {
    await tdb.batch([
      { sql: "UPDATE rmas SET requested_at = '2025-12-03T09:00:00.000Z' WHERE rma_number = 'RMA-T-0004'" },
      { sql: "UPDATE rmas SET model = 'XL-900' WHERE rma_number = 'RMA-T-0009'" },
    ]);
    expect(await monthlyKept()).toEqual(await monthlyFromRmas());
    const failures = await tdb.query(`
      SELECT substr(r.requested_at, 1, 7) AS month, r.model, d.category_code, count(*) AS n
      FROM rma_diagnoses d JOIN rmas r ON r.rma_number = d.rma_number GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
    expect(await tdb.query("SELECT month, model, category_code, n FROM insight_failures WHERE n > 0 ORDER BY 1, 2, 3")).toEqual(
      failures,
    );
    const returns = await tdb.query(`
      SELECT substr(r.requested_at, 1, 7) AS month, r.model, coalesce(b.batch, '') AS batch, count(*) AS n
      FROM rmas r LEFT JOIN product_batches b ON b.serial_number = r.serial_number GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
    expect(await tdb.query("SELECT month, model, batch, n FROM insight_returns WHERE n > 0 ORDER BY 1, 2, 3")).toEqual(returns);
  });

  it("forget a deleted RMA", async () => {
    await tdb.batch([
      { sql: "DELETE FROM rma_diagnoses WHERE rma_number = 'RMA-T-0005'" },
      { sql: "DELETE FROM rmas WHERE rma_number = 'RMA-T-0005'" },
    ]);
    expect(await monthlyKept()).toEqual(await monthlyFromRmas());
  });
});
