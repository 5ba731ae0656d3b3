import { describe, expect, it } from "vitest";
import { BOM, csvCell, toCsv } from "../../functions/services/insight/csv.ts";

describe("CSV cells for spreadsheets", () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", `"'\r=1+1"`],
  ])("neutralises a cell that a spreadsheet would run as a formula: %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("quotes commas, quotes and line breaks, and leaves plain text alone", () => {
    expect(csvCell("Ottica Srl")).toBe("Ottica Srl");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell("line 1\nline 2")).toBe('"line 1\nline 2"');
    expect(csvCell(" padded ")).toBe('" padded "');
  });

  it("keeps numbers as numbers, negative ones too, and writes booleans and absent values plainly", () => {
    expect(csvCell(-12.5)).toBe("-12.5");
    expect(csvCell(true)).toBe("yes");
    expect(csvCell(null)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
  });

  it("starts the document with a byte-order mark and ends every line with CRLF", () => {
    const csv = toCsv(["a", "b"], [["Müller", "=1"]]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.slice(1)).toBe("a,b\r\nMüller,'=1\r\n");
  });
});
