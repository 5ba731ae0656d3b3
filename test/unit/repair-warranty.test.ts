import { describe, expect, it } from "vitest";
import { combinedVerdict, repairWarrantyOf } from "../../functions/domain/repair-warranty.ts";
import { warrantyVerdict } from "../../functions/domain/warranty.ts";

const repaired = (rmaNumber: string, shippedAt: string | null) => ({ rmaNumber, shippedAt, repaired: true });

describe("repair warranty: 3 months from the day a repaired unit is shipped back", () => {
  it("runs 3 months from shipment by default, the last day included", () => {
    expect(repairWarrantyOf(repaired("RMA-26-048173-V", "2026-03-10T15:00:00.000Z"))).toEqual({
      rmaNumber: "RMA-26-048173-V",
      until: "2026-06-10",
    });
  });

  it("follows the setting", () => {
    expect(repairWarrantyOf(repaired("RMA-1", "2026-01-31"), 1)?.until).toBe("2026-02-28");
    expect(repairWarrantyOf(repaired("RMA-1", "2026-01-31"), 0)).toBeNull();
  });

  it("gives none to a unit that was not repaired or not yet shipped", () => {
    expect(repairWarrantyOf({ rmaNumber: "RMA-1", shippedAt: "2026-01-10", repaired: false })).toBeNull();
    expect(repairWarrantyOf(repaired("RMA-1", null))).toBeNull();
  });

  it("says the original warranty covers a unit while it runs, whatever repairs it had", () => {
    const original = warrantyVerdict("2025-01-10", "2026-05-01");
    expect(combinedVerdict(original, [repaired("RMA-1", "2026-04-01")], "2026-05-01")).toEqual({
      covered: true,
      until: "2027-01-10",
      basis: "original",
    });
  });

  it("covers an out-of-warranty unit by the repair warranty of the RMA that repaired it, until its last day", () => {
    const original = warrantyVerdict("2023-01-10", "2026-05-01");
    const verdict = combinedVerdict(original, [repaired("RMA-26-048173-V", "2026-03-10T09:00:00Z")], "2026-06-10");
    expect(verdict).toEqual({
      covered: true,
      until: "2026-06-10",
      basis: "repair",
      repair: { rmaNumber: "RMA-26-048173-V", until: "2026-06-10" },
    });
    expect(combinedVerdict(original, [repaired("RMA-26-048173-V", "2026-03-10")], "2026-06-11")).toEqual({
      covered: false,
      until: "2026-06-10",
      basis: "none",
    });
  });

  it("adds the repair warranty on top of the original one: it covers past the original end", () => {
    // Original warranty to 2026-01-10; repaired and shipped on 2025-12-20: covered to 2026-03-20.
    const original = warrantyVerdict("2024-01-10", "2026-02-01");
    expect(combinedVerdict(original, [repaired("RMA-2", "2025-12-20")], "2026-02-01")).toMatchObject({
      covered: true,
      basis: "repair",
      until: "2026-03-20",
    });
  });

  it("picks the latest of several repairs", () => {
    const original = warrantyVerdict("2020-01-01", "2026-05-01");
    const v = combinedVerdict(original, [repaired("RMA-A", "2026-01-05"), repaired("RMA-B", "2026-03-01")], "2026-04-20");
    expect(v.repair?.rmaNumber).toBe("RMA-B");
  });

  it("does not count a returned unit that was not repaired (declined quote, no fault found)", () => {
    const original = warrantyVerdict("2020-01-01", "2026-05-01");
    expect(
      combinedVerdict(original, [{ rmaNumber: "RMA-C", shippedAt: "2026-04-01", repaired: false }], "2026-05-01").covered,
    ).toBe(false);
  });
});

describe("the warranty verdict with the unit's past repairs", () => {
  it("is the original verdict without repairs, and names the repair's RMA when only its warranty covers the unit", () => {
    expect(warrantyVerdict("2023-01-10", "2026-05-01")).toEqual({ covered: false, until: "2025-01-10" });
    expect(warrantyVerdict("2023-01-10", "2026-05-01", { past: [repaired("RMA-26-048173-V", "2026-03-10")] })).toEqual({
      covered: true,
      until: "2026-06-10",
      repair: { rmaNumber: "RMA-26-048173-V", until: "2026-06-10" },
    });
    expect(warrantyVerdict("2023-01-10", "2026-05-01", { past: [repaired("RMA-1", "2026-03-10")], months: 1 })).toEqual({
      covered: false,
      until: "2026-04-10",
    });
  });
});
