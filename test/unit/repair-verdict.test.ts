/**
 * The repair warranty where a verdict is given: the issuing checks (`checkUnits` with the serials' past
 * repairs), the form's words (`describeRegisteredUnit`), the emails' line (`warrantyLine`); and the running
 * working-day count the overdue list uses, against `workingDaysBetween`.
 */
import { describe, expect, it } from "vitest";
import { addDays } from "../../functions/domain/dates.ts";
import { combinedVerdict, type PastRepair } from "../../functions/domain/repair-warranty.ts";
import { workingDayCounter } from "../../functions/domain/turnaround.ts";
import { checkUnits } from "../../functions/domain/unit-checks.ts";
import { describeRegisteredUnit, type VerdictWords } from "../../functions/domain/verdict-text.ts";
import { warrantyVerdict } from "../../functions/domain/warranty.ts";
import { workingDaysBetween } from "../../functions/domain/working-days.ts";
import { warrantyLine } from "../../functions/email/letters.ts";

const repaired = (rmaNumber: string, shippedAt: string): PastRepair => ({ rmaNumber, shippedAt, repaired: true });

describe("which warranty covers a unit", () => {
  // Bought 2024-01-15: the original warranty runs to 2026-01-15.
  const bought = "2024-01-15";

  it("both running: the original wins (its end, no repair named)", () => {
    const v = combinedVerdict(warrantyVerdict(bought, "2025-12-01"), [repaired("RMA-A", "2025-11-20")], "2025-12-01");
    expect(v).toEqual({ covered: true, until: "2026-01-15", basis: "original" });
  });

  it("original ended, repair running: the repair's warranty, naming its RMA and last day", () => {
    const v = combinedVerdict(warrantyVerdict(bought, "2026-02-01"), [repaired("RMA-A", "2025-12-20")], "2026-02-01");
    expect(v).toEqual({
      covered: true,
      until: "2026-03-20",
      basis: "repair",
      repair: { rmaNumber: "RMA-A", until: "2026-03-20" },
    });
  });

  it("both ended: none, and the later end is the one said", () => {
    const v = combinedVerdict(warrantyVerdict(bought, "2026-04-01"), [repaired("RMA-A", "2025-12-20")], "2026-04-01");
    expect(v).toEqual({ covered: false, until: "2026-03-20", basis: "none" });
  });
});

describe("checkUnits with the serials' past repairs (issuing)", () => {
  const unit = (serialNumber: string) => ({
    serialNumber,
    model: "Vega V640",
    purchaseDate: undefined,
    invoiceNumber: undefined,
    issueDescription: "The image freezes after ten minutes.",
  });
  const ctx = (past: Map<string, PastRepair[]> | undefined) => ({
    registry: new Map([
      ["AK000001", { serialNumber: "AK000001", model: "Vega V640", purchaseDate: "2024-01-15" }],
      ["AK000002", { serialNumber: "AK000002", model: "Vega V640", purchaseDate: "2024-01-15" }],
    ]),
    openRmas: new Map(),
    email: "buyer@example.com",
    knownModels: new Set(["Vega V640"]),
    requestDate: "2026-02-01",
    repairs: past && { past, months: 3 },
  });

  it("judges a unit out of its original warranty covered by its own repair's warranty, until that warranty's end", () => {
    const checks = checkUnits(
      [unit("AK000001"), unit("AK000002")],
      ctx(new Map([["AK000001", [repaired("RMA-A", "2025-12-20")]]])),
    );
    if (!checks.ok) throw new Error("refused");
    expect(checks.units.map((u) => [u.serialNumber, u.warranty])).toEqual([
      ["AK000001", { covered: true, until: "2026-03-20", repair: { rmaNumber: "RMA-A", until: "2026-03-20" } }],
      // The repair of another serial number covers nothing here: a replacement unit shipped under a new
      // serial number is judged by its own registry entry (decision: the repair warranty follows the serial
      // number the RMA was issued for).
      ["AK000002", { covered: false, until: "2026-01-15" }],
    ]);
  });

  it("follows the months given (the setting), and judges the original warranty alone without repairs", () => {
    const past = new Map([["AK000001", [repaired("RMA-A", "2025-12-20")]]]);
    const one = checkUnits([unit("AK000001")], { ...ctx(past), repairs: { past, months: 1 } });
    expect(one.ok && one.units[0]?.warranty).toEqual({ covered: false, until: "2026-01-20" });
    const none = checkUnits([unit("AK000001")], ctx(undefined));
    expect(none.ok && none.units[0]?.warranty).toEqual({ covered: false, until: "2026-01-15" });
  });
});

describe("the words of a verdict covered by a repair's warranty", () => {
  const words: VerdictWords = {
    covered: "{model}: covered until {until}",
    coveredByRepair: "{model}, bought {bought}: repair warranty of {rma} until {until}",
    notCovered: "{model}: ended {until}",
    unknown: "{message}",
    date: (iso) => `<${iso}>`,
  };
  const u = {
    model: "Vega V640",
    purchaseDate: "2024-01-15",
    warranty: { covered: true, until: "2026-03-20", repair: { rmaNumber: "RMA-A", until: "2026-03-20" } },
  };

  it("names the RMA and its last day on the form", () => {
    expect(describeRegisteredUnit(u, words)).toEqual({
      kind: "covered",
      text: "Vega V640, bought <2024-01-15>: repair warranty of RMA-A until <2026-03-20>",
    });
  });

  it("says the covered template when the page gives no repair template", () => {
    expect(describeRegisteredUnit(u, { ...words, coveredByRepair: undefined }).text).toBe(
      "Vega V640: covered until <2026-03-20>",
    );
  });

  it("names them in the emails, in each language", () => {
    const w = { covered: true, until: "2026-03-20", repair: { rmaNumber: "RMA-26-048173-V", until: "2026-03-20" } };
    expect(warrantyLine(w, "en")).toContain("covered by the repair warranty of RMA-26-048173-V until 20 March 2026");
    expect(warrantyLine(w, "it")).toContain(
      "coperta dalla garanzia sulla riparazione della pratica RMA-26-048173-V fino al 20 marzo 2026",
    );
    expect(warrantyLine(w, "de")).toContain("abgedeckt durch die Reparaturgarantie von RMA-26-048173-V bis 20. März 2026");
    // Without a repair, the original line as before.
    expect(warrantyLine({ covered: true, until: "2026-03-20" }, "en")).not.toContain("repair warranty");
  });
});

describe("the running working-day count of a list", () => {
  it("counts as workingDaysBetween does, Easter Monday, 2 June and weekends not counted, before and after its origin", () => {
    const count = workingDayCounter("2026-03-30");
    const days = Array.from({ length: 90 }, (_, i) => addDays("2026-03-20", i));
    for (const from of days.filter((_, i) => i % 7 === 0)) {
      // (+ 0: the same number; workingDaysBetween says -0 for an empty span backwards.)
      for (const to of days) expect(count(from, to) + 0, `${from} → ${to}`).toBe(workingDaysBetween(from, to) + 0);
    }
    // Thursday 2 April to Wednesday 8 April 2026: Friday 3, Tuesday 7, Wednesday 8 (Easter Monday 6 April is not).
    expect(count("2026-04-02", "2026-04-08")).toBe(3);
  });
});
