import { describe, expect, it } from "vitest";
import { parseRegistryCsv } from "../../functions/domain/registry-csv.ts";

describe("the registry CSV's optional batch and production date", () => {
  it("reads a batch column, a production date column, or both, in any order", () => {
    const { rows, errors } = parseRegistryCsv(
      [
        "serial_number,model,purchase_date,production_date,batch",
        "AK100001,Vega V640,2026-03-01,2026-01-15,L2601",
        "AK100002,Vega V640,2026-03-01,2026-02-03,",
        "AK100003,Vega V640,2026-03-01,,",
      ].join("\n"),
    );
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.serialNumber, r.batch, r.productionDate])).toEqual([
      ["AK100001", "L2601", "2026-01-15"],
      ["AK100002", "2026-02", "2026-02-03"],
      ["AK100003", undefined, undefined],
    ]);
    expect(parseRegistryCsv("serial_number,model,purchase_date,batch\nAK100004,Vega V640,2026-03-01,B7").rows[0]?.batch).toBe(
      "B7",
    );
  });

  it("still reads the three-column CSV", () => {
    const { rows } = parseRegistryCsv("serial_number,model,purchase_date\nAK100005,Vega V640,2026-03-01");
    expect(rows[0]).toEqual({ line: 2, serialNumber: "AK100005", model: "Vega V640", purchaseDate: "2026-03-01" });
  });

  it("refuses an unknown or repeated column, a bad production date, one after the purchase, and a row of the wrong width", () => {
    expect(parseRegistryCsv("serial_number,model,purchase_date,colour\n").errors[0]?.reason).toMatch(
      /optionally followed by batch and\/or production_date/,
    );
    expect(parseRegistryCsv("serial_number,model,purchase_date,batch,batch\n").errors).toHaveLength(1);
    const { errors } = parseRegistryCsv(
      [
        "serial_number,model,purchase_date,production_date",
        "AK100006,Vega V640,2026-03-01,2026-02-30",
        "AK100007,Vega V640,2026-03-01,2026-04-01",
        "AK100008,Vega V640,2026-03-01",
      ].join("\n"),
    );
    expect(errors.map((e) => [e.line, e.reason])).toEqual([
      [2, 'Production date "2026-02-30" is not a date in the form YYYY-MM-DD.'],
      [3, "Production date 2026-04-01 is after the purchase date 2026-03-01."],
      [4, "Expected 4 fields (serial_number,model,purchase_date,production_date), found 3."],
    ]);
  });
});
