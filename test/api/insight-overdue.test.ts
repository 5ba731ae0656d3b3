/**
 * Overdue marking with a controlled clock, and the warranty on repairs, against a real sqld: RMAs made
 * through the API, their times set where the test needs a fixed calendar (Easter 2026).
 */
import { describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client.ts";
import { addMonths } from "../../functions/domain/dates.ts";
import { type CombinedVerdict, combinedVerdict } from "../../functions/domain/repair-warranty.ts";
import type { WarrantyVerdict } from "../../functions/domain/warranty.ts";
import { warrantyVerdict } from "../../functions/domain/warranty.ts";
import { overdueRmas } from "../../functions/services/insight/overdue.ts";
import { pastRepairsFrom, pastRepairsStatement } from "../../functions/services/insight/repair-warranty.ts";
import { insightSettingsFrom, insightSettingsStatement } from "../../functions/services/insight/settings.ts";
import { advance, requestRmas, TO_RECEIVED, useStaffApi } from "../support/staff.ts";

const stack = useStaffApi();
const db = () => createDb({ DATABASE_URL: stack.db.url });
const at = (iso: string) => new Date(iso);
/** The verdict for `serialNumber` on `requestDate` with the unit's past repairs, as the portal reads them. */
async function verdictWithRepairs(
  db: Db,
  serialNumber: string,
  original: WarrantyVerdict,
  requestDate: string,
): Promise<CombinedVerdict> {
  const [repairs, settingRows] = await db.batch([pastRepairsStatement(db, serialNumber), insightSettingsStatement(db)]);
  return combinedVerdict(original, pastRepairsFrom(repairs), requestDate, insightSettingsFrom(settingRows).repairWarrantyMonths);
}
const one = async (covered = true) => (await requestRmas(stack.api, 1, { covered })).rmaNumbers[0] as string;

describe("overdue RMAs, by a controlled clock", () => {
  it("marks a request not decided within 2 working days, Easter Monday not counted, and no longer once decided", async () => {
    const n = await one();
    // Requested on Thursday 2 April 2026: Friday 3 and Tuesday 7 (after Easter Monday) are its two days.
    await stack.db.query("UPDATE rmas SET requested_at = '2026-04-02T10:00:00.000Z' WHERE rma_number = ?", [n]);
    const mine = async (now: string) => (await overdueRmas(db(), at(now))).filter((o) => o.rmaNumber === n);
    expect(await mine("2026-04-06T12:00:00Z")).toEqual([]);
    expect(await mine("2026-04-07T21:00:00Z")).toEqual([]);
    expect(await mine("2026-04-08T08:00:00Z")).toEqual([{ rmaNumber: n, stage: "decision", due: "2026-04-07", workingDays: 3 }]);
    await advance(stack.staff, n, [["authorize"]]);
    expect(await mine("2026-04-08T08:00:00Z")).toEqual([]);
  });

  it("marks a received unit not diagnosed within the target the admins set, and lists the most overdue first", async () => {
    const [a, b] = [await one(), await one()];
    await advance(stack.staff, a, TO_RECEIVED);
    await advance(stack.staff, b, TO_RECEIVED);
    await stack.db.query("UPDATE rmas SET received_on = '2026-06-01' WHERE rma_number = ?", [a]);
    await stack.db.query("UPDATE rmas SET received_on = '2026-05-25' WHERE rma_number = ?", [b]);
    const listed = async (now: string) =>
      (await overdueRmas(db(), at(now))).filter((o) => o.rmaNumber === a || o.rmaNumber === b);
    // 5 working days from Monday 1 June, 2 June a holiday: due Tuesday 9 June; from Monday 25 May: due Monday 1 June.
    expect((await listed("2026-06-09T12:00:00Z")).map((o) => [o.rmaNumber, o.due])).toEqual([[b, "2026-06-01"]]);
    expect((await listed("2026-06-10T12:00:00Z")).map((o) => [o.rmaNumber, o.stage, o.due])).toEqual([
      [b, "diagnosis", "2026-06-01"],
      [a, "diagnosis", "2026-06-09"],
    ]);
    const res = await stack.staff.send("PUT", "/api/admin/insight/settings", {
      decideDays: 2,
      diagnoseDays: 12,
      shipWarrantyDays: 15,
      shipQuotedDays: 5,
      repairWarrantyMonths: 3,
    });
    expect(res.status).toBe(200);
    expect(await listed("2026-06-10T12:00:00Z")).toEqual([]);
  });
});

describe("the warranty on repairs", () => {
  it("covers a unit out of its original warranty for 3 months from the shipment of its repair, naming the RMA", async () => {
    const n = await one(false);
    const [unit] = await stack.db.query<{ serial_number: string; purchase_date: string }>(
      "SELECT serial_number, purchase_date FROM rmas WHERE rma_number = ?",
      [n],
    );
    const today = new Date().toISOString().slice(0, 10);
    const original = warrantyVerdict(unit?.purchase_date as string, today);
    expect(original.covered).toBe(false);
    expect(await verdictWithRepairs(db(), unit?.serial_number as string, original, today)).toMatchObject({
      covered: false,
      basis: "none",
    });
    await advance(stack.staff, n, [
      ...TO_RECEIVED,
      ["quote", { labourCents: 100, partsAndSuppliesCents: 0, handlingFeeCents: 0, returnShippingCents: 0 }],
      ["record-quote-answer", { decision: "accept" }],
      ["finish-repair"],
      ["ship", { carrier: "DHL", trackingNumber: "JD-REPAIR-1" }],
    ]);
    expect(await verdictWithRepairs(db(), unit?.serial_number as string, original, today)).toEqual({
      covered: true,
      basis: "repair",
      until: addMonths(today, 3),
      repair: { rmaNumber: n, until: addMonths(today, 3) },
    });
  });

  it("gives none to a unit sent back with no fault found", async () => {
    const n = await one(true);
    await advance(stack.staff, n, [
      ...TO_RECEIVED,
      ["confirm-warranty", { failureCategory: "no-fault-found" }],
      ["finish-repair"],
      ["ship", { carrier: "DHL", trackingNumber: "JD-NFF-1" }],
    ]);
    const [unit] = await stack.db.query<{ serial_number: string }>("SELECT serial_number FROM rmas WHERE rma_number = ?", [n]);
    const expired = { covered: false, until: "2020-01-01" };
    const today = new Date().toISOString().slice(0, 10);
    expect((await verdictWithRepairs(db(), unit?.serial_number as string, expired, today)).covered).toBe(false);
  });
});
