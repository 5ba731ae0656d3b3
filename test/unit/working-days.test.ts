import { readFileSync, writeFileSync } from "node:fs";
import Holidays from "date-holidays";
import { describe, expect, it } from "vitest";
import { FIRST_YEAR, ITALIAN_PUBLIC_HOLIDAYS, LAST_YEAR } from "../../functions/domain/italian-holidays.ts";
import { addWorkingDays, isWorkingDay, italianHolidays, workingDaysBetween } from "../../functions/domain/working-days.ts";

describe("working days: Monday to Friday, less Italy's public holidays", () => {
  it("does not count Saturdays and Sundays", () => {
    expect(isWorkingDay("2026-11-27")).toBe(true); // Friday
    expect(isWorkingDay("2026-11-28")).toBe(false);
    expect(isWorkingDay("2026-11-29")).toBe(false);
    expect(addWorkingDays("2026-11-27", 1)).toBe("2026-11-30");
    expect(workingDaysBetween("2026-11-27", "2026-11-30")).toBe(1);
  });

  it("does not count Easter Monday, whose date moves every year", () => {
    expect(isWorkingDay("2026-04-06")).toBe(false);
    expect(isWorkingDay("2027-03-29")).toBe(false);
    expect(isWorkingDay("2025-04-21")).toBe(false);
    // Thursday 2 April 2026 + 2 working days: Friday 3, (weekend, Easter Monday), Tuesday 7.
    expect(addWorkingDays("2026-04-02", 2)).toBe("2026-04-07");
  });

  it("does not count the fixed national holidays", () => {
    for (const d of [
      "2026-01-01",
      "2026-01-06",
      "2026-04-25",
      "2026-05-01",
      "2026-06-02",
      "2026-08-15",
      "2026-12-08",
      "2026-12-25",
    ]) {
      expect(italianHolidays(2026).has(d), d).toBe(true);
    }
    // Christmas (Friday) and St Stephen's (Saturday) 2026: from Thursday 24 December one working day is Monday 28.
    expect(addWorkingDays("2026-12-24", 1)).toBe("2026-12-28");
  });

  it("counts Italy's new 4 October holiday from 2026, not before", () => {
    expect(isWorkingDay("2027-10-04")).toBe(false); // a Monday
    expect(isWorkingDay("2021-10-04")).toBe(true); // a Monday, before the law
  });

  it("counts observances such as Mother's Day as ordinary days", () => {
    expect(italianHolidays(2026).has("2026-05-10")).toBe(false);
  });

  it("counts the working days between two days, the first not included", () => {
    expect(workingDaysBetween("2026-11-30", "2026-11-30")).toBe(0);
    expect(workingDaysBetween("2026-11-30", "2026-12-11")).toBe(8); // 8 December is a holiday
    expect(workingDaysBetween("2026-12-11", "2026-11-30")).toBe(-8);
  });

  it("adding zero working days gives the day itself or the next working day", () => {
    expect(addWorkingDays("2026-11-30", 0)).toBe("2026-11-30");
    expect(addWorkingDays("2026-04-05", 0)).toBe("2026-04-07");
  });

  it("refuses dates that do not exist and negative counts", () => {
    expect(() => isWorkingDay("2026-02-30")).toThrow(RangeError);
    expect(() => addWorkingDays("2026-01-01", -1)).toThrow(RangeError);
  });
});

describe("the holiday table the Worker carries", () => {
  /** What the maintained library says, year by year, as the table writes it. */
  function fromLibrary(): Record<number, string> {
    const calendar = new Holidays("IT");
    const out: Record<number, string> = {};
    for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
      const days = calendar
        .getHolidays(y)
        .filter((h) => h.type === "public")
        .map((h) => h.date.slice(5, 10));
      out[y] = [...new Set(days)].sort().join(" ");
    }
    return out;
  }

  it("is the date-holidays library's list of Italian public holidays for every year it covers", () => {
    const expected = fromLibrary();
    if (process.env["UPDATE_HOLIDAYS"] === "1") {
      // Rewrites the table below the file's header from the library (see functions/domain/italian-holidays.ts).
      const path = new URL("../../functions/domain/italian-holidays.ts", import.meta.url);
      const current = readFileSync(path, "utf8");
      const head = current.slice(0, current.indexOf("= {\n") + 4);
      const rows = Object.entries(expected).map(([y, d]) => `  ${y}: ${JSON.stringify(d)},`);
      writeFileSync(path, `${head}${rows.join("\n")}\n};\n`);
    }
    expect(ITALIAN_PUBLIC_HOLIDAYS).toEqual(expected);
  });
});
