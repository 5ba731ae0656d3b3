import { describe, expect, it } from "vitest";
import { demoRegistry } from "../../db/seed.ts";
import { parseRegistryCsv } from "../../functions/domain/registry-csv.ts";
import { normalizeSerial } from "../../functions/domain/serial.ts";

describe("registry CSV", () => {
  it("reads good rows and normalises serial numbers", () => {
    const { rows, errors } = parseRegistryCsv("serial_number,model,purchase_date\n ce 104521 ,Celera C1920,2025-01-02\n");
    expect(errors).toEqual([]);
    expect(rows).toEqual([{ line: 2, serialNumber: "CE104521", model: "Celera C1920", purchaseDate: "2025-01-02" }]);
  });

  it("refuses a wrong header", () => {
    const { rows, errors } = parseRegistryCsv("serial,model,date\nCE1,Celera,2025-01-01\n");
    expect(rows).toEqual([]);
    expect(errors[0]?.reason).toMatch(/header serial_number,model,purchase_date/);
  });

  it("gives a reason per refused row, with its line", () => {
    const csv = [
      "serial_number,model,purchase_date",
      "CE100001,Celera C1920,2025-02-30",
      "C!,Celera C1920,2025-01-01",
      "CE100002,,2025-01-01",
      "CE100003,Celera C1920",
      "CE100004,Celera C1920,2025-01-01",
      "ce100004,Celera C1920,2025-01-01",
      '"CE100005","Necta, N1280",2024-06-01',
    ].join("\n");
    const { rows, errors } = parseRegistryCsv(csv);
    expect(errors.map((e) => [e.line, e.reason.split(" ")[0]])).toEqual([
      [2, "Purchase"],
      [3, "Serial"],
      [4, "Model"],
      [5, "Expected"],
      [7, "Serial"],
    ]);
    expect(errors[4]?.reason).toContain("line 6");
    expect(rows.map((r) => [r.serialNumber, r.model])).toEqual([
      ["CE100004", "Celera C1920"],
      ["CE100005", "Necta, N1280"],
    ]);
  });
});

describe("serial numbers", () => {
  it("are trimmed, upper-cased and stripped of inner spaces", () => {
    expect(normalizeSerial("  ce 104 521\t")).toBe("CE104521");
  });
});

describe("the demo registry", () => {
  it("has at least 200 valid units with both in- and out-of-warranty purchase dates on any day", () => {
    for (const today of ["2026-11-25", "2031-06-30"]) {
      const { rows, errors } = demoRegistry(today);
      expect(errors).toEqual([]);
      expect(rows.length).toBeGreaterThanOrEqual(200);
      const twoYearsAgo = `${Number(today.slice(0, 4)) - 2}${today.slice(4)}`;
      expect(rows.some((r) => r.purchaseDate > twoYearsAgo)).toBe(true);
      expect(rows.some((r) => r.purchaseDate < twoYearsAgo)).toBe(true);
      expect(new Set(rows.map((r) => r.model)).size).toBeGreaterThanOrEqual(5);
    }
  });
});
