import { describe, expect, it } from "vitest";
import { addMonths } from "../../functions/domain/dates.ts";
import { warrantyVerdict } from "../../functions/domain/warranty.ts";

describe("warranty: 24 months from the purchase date, the last day included", () => {
  it("covers a unit returned on the day 24 months after purchase", () => {
    expect(warrantyVerdict("2024-03-15", "2026-03-15")).toEqual({ covered: true, until: "2026-03-15" });
  });

  it("does not cover it the day after", () => {
    expect(warrantyVerdict("2024-03-15", "2026-03-16")).toEqual({ covered: false, until: "2026-03-15" });
  });

  it("covers a unit returned the day it was bought", () => {
    expect(warrantyVerdict("2026-11-25", "2026-11-25").covered).toBe(true);
  });

  it("ends a leap-day purchase on 28 February two years later", () => {
    expect(warrantyVerdict("2024-02-29", "2026-02-28")).toEqual({ covered: true, until: "2026-02-28" });
    expect(warrantyVerdict("2024-02-29", "2026-03-01").covered).toBe(false);
  });

  it("keeps month ends: 31 August + 24 months is 31 August", () => {
    expect(warrantyVerdict("2023-08-31", "2025-08-31").until).toBe("2025-08-31");
  });

  it("refuses a purchase date after the request date", () => {
    expect(warrantyVerdict("2026-12-01", "2026-11-25").covered).toBe(false);
  });

  it("rejects dates that do not exist", () => {
    expect(() => warrantyVerdict("2025-02-29", "2026-01-01")).toThrow(RangeError);
    expect(() => warrantyVerdict("2025-01-01", "2026-13-01")).toThrow(RangeError);
  });
});

describe("addMonths", () => {
  it.each([
    ["2025-01-31", 1, "2025-02-28"],
    ["2024-01-31", 1, "2024-02-29"],
    ["2025-03-31", -1, "2025-02-28"],
    ["2025-12-15", 1, "2026-01-15"],
    ["2025-01-15", -13, "2023-12-15"],
    ["2023-05-31", 24, "2025-05-31"],
    ["2022-04-30", 24, "2024-04-30"],
  ])("%s + %i months = %s", (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected);
  });
});
