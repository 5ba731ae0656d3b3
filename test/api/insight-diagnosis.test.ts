/**
 * Failure codes at diagnosis through the admin API against a real sqld: the category from the admins'
 * list, firmware as received and as shipped, root cause and parts replaced, written with the move or
 * not at all; customer damage refuses the warranty; no fault found is its own outcome; the list, the
 * targets and the dashboard's figures (checked against SQL over the RMAs themselves).
 */
import { describe, expect, it } from "vitest";
import { advance, type ErrorBody, QUOTE, requestRmas, TO_RECEIVED, useStaffApi } from "../support/staff.ts";

const stack = useStaffApi();

const one = async (covered = true) => (await requestRmas(stack.api, 1, { covered })).rmaNumbers[0] as string;
const diagnosis = async (n: string) => (await stack.db.query("SELECT * FROM rma_diagnoses WHERE rma_number = ?", [n]))[0];
const rmaRow = async (n: string) => (await stack.db.query("SELECT * FROM rmas WHERE rma_number = ?", [n]))[0] ?? {};

async function refused(res: Response, status: number, code: string) {
  const body = (await res.json()) as ErrorBody;
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  return body.error;
}

describe("diagnosis with failure codes", () => {
  it("records the category, firmware as received, root cause and parts with the warranty confirmed, and the firmware as shipped at the end of the repair", async () => {
    const n = await one();
    await advance(stack.staff, n, TO_RECEIVED);
    const res = await stack.staff.act(n, "confirm-warranty", {
      failureCategory: "sensor",
      firmwareReceived: "2.4.1",
      rootCause: "Hot pixels cluster in the lower left corner.",
      partsReplaced: "Sensor board SB-12",
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await diagnosis(n)).toMatchObject({
      category_code: "sensor",
      firmware_received: "2.4.1",
      root_cause: "Hot pixels cluster in the lower left corner.",
      parts_replaced: "Sensor board SB-12",
      firmware_shipped: null,
    });
    expect((await rmaRow(n))["status"]).toBe("repairing");
    await advance(stack.staff, n, [["finish-repair", { firmwareShipped: "2.5.0" }]]);
    expect(await diagnosis(n)).toMatchObject({ category_code: "sensor", firmware_shipped: "2.5.0" });
    const [event] = await stack.db.query("SELECT note FROM rma_events WHERE rma_number = ? AND to_status = 'returning'", [n]);
    expect(event?.["note"]).toContain("Firmware as shipped: 2.5.0");
  });

  it("refuses a category that is not in the list, naming the field, and changes nothing", async () => {
    const n = await one();
    await advance(stack.staff, n, TO_RECEIVED);
    const before = await rmaRow(n);
    const error = await refused(
      await stack.staff.act(n, "confirm-warranty", { failureCategory: "gremlins" }),
      422,
      "validation_failed",
    );
    expect(error.fields?.["failureCategory"]).toMatch(/"gremlins" is not one of the failure categories \(sensor, interface/);
    expect(await rmaRow(n)).toEqual(before);
    expect(await diagnosis(n)).toBeUndefined();
  });

  it("refuses a retired category", async () => {
    const res = await stack.staff.send("PATCH", "/api/admin/insight/categories/optics", { retired: true });
    expect(res.status).toBe(200);
    const n = await one();
    await advance(stack.staff, n, TO_RECEIVED);
    await refused(await stack.staff.act(n, "confirm-warranty", { failureCategory: "optics" }), 422, "validation_failed");
    await stack.staff.send("PATCH", "/api/admin/insight/categories/optics", { retired: false });
  });

  it("refuses a firmware version on two lines", async () => {
    const n = await one();
    await advance(stack.staff, n, TO_RECEIVED);
    const error = await refused(
      await stack.staff.act(n, "confirm-warranty", { failureCategory: "firmware", firmwareReceived: "2.4\n2.5" }),
      422,
      "validation_failed",
    );
    expect(error.fields?.["firmwareReceived"]).toMatch(/one line/);
  });

  it("treats customer damage as the warranty refused, with the root cause as its reason, and records it", async () => {
    const n = await one();
    await advance(stack.staff, n, TO_RECEIVED);
    const missing = await refused(
      await stack.staff.act(n, "confirm-warranty", { failureCategory: "customer-damage" }),
      422,
      "validation_failed",
    );
    expect(missing.fields?.["rootCause"]).toMatch(/describe the damage/);
    const res = await stack.staff.act(n, "confirm-warranty", {
      failureCategory: "customer-damage",
      rootCause: "Connector pins bent by force.",
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const rma = await rmaRow(n);
    expect(rma).toMatchObject({
      status: "received",
      warranty_covered: 0,
      warranty_refused_reason: "Connector pins bent by force.",
    });
    expect(await diagnosis(n)).toMatchObject({ category_code: "customer-damage" });
  });

  it("records a refused warranty as customer damage when no category is given, and refuses another category with it", async () => {
    const n = await one();
    await advance(stack.staff, n, TO_RECEIVED);
    await refused(
      await stack.staff.act(n, "refuse-warranty", { reason: "Water inside the housing.", failureCategory: "power" }),
      422,
      "validation_failed",
    );
    await advance(stack.staff, n, [["refuse-warranty", { reason: "Water inside the housing." }]]);
    expect(await diagnosis(n)).toMatchObject({ category_code: "customer-damage", root_cause: "Water inside the housing." });
  });

  it("counts no fault found as its own outcome, not as a warranty repair", async () => {
    const n = await one();
    await advance(stack.staff, n, TO_RECEIVED);
    await advance(stack.staff, n, [
      ["confirm-warranty", { failureCategory: "no-fault-found", rootCause: "Works on our bench for 48 hours." }],
    ]);
    const month = String((await rmaRow(n))["requested_at"]).slice(0, 7);
    const [event] = await stack.db.query("SELECT note FROM rma_events WHERE rma_number = ? AND to_status = 'repairing'", [n]);
    expect(event?.["note"]).toContain("no fault found");
    const [counted] = await stack.db.query(
      `SELECT count(*) AS n FROM rmas r JOIN rma_diagnoses d USING (rma_number) WHERE d.category_code = 'no-fault-found' AND substr(r.requested_at, 1, 7) = ?`,
      [month],
    );
    expect(counted?.["n"]).toBe(1);
  });

  it("records or corrects the details of a quoted unit on their own, once the unit is received", async () => {
    const n = await one(false);
    const early = await stack.staff.send("PUT", `/api/admin/insight/rmas/${n}/diagnosis`, { failureCategory: "power" });
    await refused(early, 409, "transition_refused");
    await advance(stack.staff, n, [...TO_RECEIVED, ["quote", QUOTE]]);
    const res = await stack.staff.send("PUT", `/api/admin/insight/rmas/${n}/diagnosis`, {
      failureCategory: "power",
      firmwareReceived: "1.9.0",
      partsReplaced: "PSU",
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ categoryCode: "power", outcome: "repair", firmwareReceived: "1.9.0" });
    const again = await stack.staff.send("PUT", `/api/admin/insight/rmas/${n}/diagnosis`, { failureCategory: "interface" });
    expect(await again.json()).toMatchObject({ categoryCode: "interface", firmwareReceived: "1.9.0", partsReplaced: "PSU" });
    const missing = await refused(
      await stack.staff.send("PUT", `/api/admin/insight/rmas/${n}/diagnosis`, {}),
      422,
      "validation_failed",
    );
    expect(missing.fields?.["failureCategory"]).toMatch(/required/);
  });
});

describe("the list of failure categories and the targets", () => {
  it("lists the seeded categories in order and lets an admin add one, refusing a taken code", async () => {
    const list = (await (await stack.staff.get("/api/admin/insight/categories")).json()) as { categories: { code: string }[] };
    expect(list.categories.map((c) => c.code).slice(0, 8)).toEqual([
      "sensor",
      "interface",
      "firmware",
      "power",
      "optics",
      "housing",
      "customer-damage",
      "no-fault-found",
    ]);
    const added = await stack.staff.send("POST", "/api/admin/insight/categories", {
      code: "cooling-fan",
      name: "Cooling fan",
      position: 65,
    });
    expect(added.status).toBe(201);
    const again = await refused(
      await stack.staff.send("POST", "/api/admin/insight/categories", { code: "cooling-fan", name: "Fan" }),
      422,
      "validation_failed",
    );
    expect(again.fields?.["code"]).toMatch(/already a category/);
    const bad = await refused(
      await stack.staff.send("POST", "/api/admin/insight/categories", { code: "Bad Code", name: "x" }),
      422,
      "validation_failed",
    );
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual(["code", "name"]);
  });

  it("reads the default targets and stores new ones, refusing zero days", async () => {
    const defaults = await (await stack.staff.get("/api/admin/insight/settings")).json();
    expect(defaults).toEqual({
      decideDays: 2,
      diagnoseDays: 5,
      shipWarrantyDays: 10,
      shipQuotedDays: 5,
      repairWarrantyMonths: 3,
    });
    const next = { decideDays: 3, diagnoseDays: 4, shipWarrantyDays: 12, shipQuotedDays: 6, repairWarrantyMonths: 6 };
    expect((await stack.staff.send("PUT", "/api/admin/insight/settings", next)).status).toBe(200);
    expect(await (await stack.staff.get("/api/admin/insight/settings")).json()).toEqual(next);
    const error = await refused(
      await stack.staff.send("PUT", "/api/admin/insight/settings", { ...next, decideDays: 0 }),
      422,
      "validation_failed",
    );
    expect(error.fields?.["decideDays"]).toMatch(/at least 1 working day/);
    await stack.staff.send("PUT", "/api/admin/insight/settings", {
      ...next,
      decideDays: 2,
      diagnoseDays: 5,
      shipWarrantyDays: 10,
      shipQuotedDays: 5,
      repairWarrantyMonths: 3,
    });
  });

  it("is closed without a staff session and to writes from another site", async () => {
    expect((await stack.api.request("/api/admin/insight/categories")).status).toBe(401);
    const res = await stack.api.request("/api/admin/insight/settings", {
      method: "PUT",
      headers: { cookie: stack.staff.cookie, origin: "https://evil.example", "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(403);
  });
});

describe("the dashboard's figures", () => {
  it("equal the figures SQL computes from the RMAs themselves", async () => {
    // A few more RMAs through the desk: quotes accepted and declined, a warranty repair shipped.
    const accepted = await one(false);
    await advance(stack.staff, accepted, [...TO_RECEIVED, ["quote", QUOTE], ["record-quote-answer", { decision: "accept" }]]);
    const declined = await one(false);
    await advance(stack.staff, declined, [...TO_RECEIVED, ["quote", QUOTE], ["record-quote-answer", { decision: "decline" }]]);
    const shipped = await one();
    await advance(stack.staff, shipped, [
      ...TO_RECEIVED,
      ["confirm-warranty", { failureCategory: "power" }],
      ["finish-repair"],
      ["ship", { carrier: "DHL", trackingNumber: "JD0001" }],
    ]);
    const month = new Date().toISOString().slice(0, 7);
    const res = await stack.staff.get(`/api/admin/insight/dashboard?from=${month}&to=${month}`);
    expect(res.status).toBe(200);
    const figures = (await res.json()) as {
      perMonth: { month: string; model: string; n: number }[];
      failures: { model: string; categoryCode: string; n: number }[];
      repairs: { month: string; warranty: number; paid: number }[];
      quotes: { month: string; quotes: number; accepted: number; declined: number; rate: number | null }[];
      returnRates: { model: string; batch: string; returns: number; units: number }[];
      turnaround: { stage: string; n: number; median: number; p90: number; target: number | null }[];
    };
    const perMonth = await stack.db.query(
      "SELECT substr(requested_at, 1, 7) AS month, model, count(*) AS n FROM rmas GROUP BY 1, 2 ORDER BY 1, 2",
    );
    expect(figures.perMonth).toEqual(perMonth);
    const failures = await stack.db.query(
      `SELECT r.model, d.category_code AS categoryCode, count(*) AS n FROM rma_diagnoses d JOIN rmas r USING (rma_number)
       GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const sortedFailures = [...figures.failures]
      .map(({ model, categoryCode, n }) => ({ model, categoryCode, n }))
      .sort((a, b) => (a.model + a.categoryCode < b.model + b.categoryCode ? -1 : 1));
    expect(sortedFailures).toEqual(failures);
    const [repairs] = await stack.db.query(
      `SELECT sum(r.repairing_at IS NOT NULL AND r.warranty_covered = 1 AND coalesce(c.outcome, '') <> 'no-fault-found') AS warranty,
              sum(r.repairing_at IS NOT NULL AND r.warranty_covered = 0) AS paid
       FROM rmas r LEFT JOIN rma_diagnoses d USING (rma_number) LEFT JOIN failure_categories c ON c.code = d.category_code`,
    );
    expect(figures.repairs).toEqual([{ month, warranty: repairs?.["warranty"], paid: repairs?.["paid"] }]);
    expect(figures.repairs[0]?.paid).toBe(1);
    const [quotes] = await stack.db.query(
      "SELECT count(quoted_at) AS quotes, sum(quote_decision IS 'accepted') AS accepted, sum(quote_decision IS 'declined') AS declined FROM rmas",
    );
    expect(figures.quotes).toEqual([{ month, ...quotes, rate: 0.5 }]);
    const returns = await stack.db.query(
      `SELECT r.model, count(*) AS returns, (SELECT count(*) FROM products p WHERE p.model = r.model) AS units FROM rmas r GROUP BY 1 ORDER BY 1`,
    );
    expect(figures.returnRates.map(({ model, returns, units }) => ({ model, returns, units }))).toEqual(returns);
    const decisions = await stack.db.query(
      "SELECT count(*) AS n FROM rmas WHERE authorized_at IS NOT NULL OR rejected_at IS NOT NULL",
    );
    expect(figures.turnaround.find((t) => t.stage === "decision")).toMatchObject({
      n: decisions[0]?.["n"],
      median: 0,
      p90: 0,
      target: 2,
    });
  });

  it("refuses a malformed period, naming the field", async () => {
    const error = await refused(
      await stack.staff.get("/api/admin/insight/dashboard?from=2026-13&to=2026-01"),
      422,
      "validation_failed",
    );
    expect(Object.keys(error.fields ?? {})).toEqual(["from"]);
    const reversed = await refused(
      await stack.staff.get("/api/admin/insight/dashboard?from=2026-05&to=2026-01"),
      422,
      "validation_failed",
    );
    expect(reversed.fields?.["from"]).toMatch(/not be after/);
  });
});
