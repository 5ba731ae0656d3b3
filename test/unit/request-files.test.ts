/** The request's files (functions/services/files/request-files.ts): which unit a part is, refusing parts of no unit, and each row with its unit's RMA. */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../functions/errors.ts";
import { checkFileUnits, requestFileRows, unitOfField } from "../../functions/services/files/request-files.ts";
import type { ReceivedFile } from "../../functions/services/files/store.ts";

const file = (field: string, name = "a.png"): ReceivedFile => ({
  id: `id-${field}-${name}`,
  field,
  name,
  kind: "png",
  contentType: "image/png",
  size: 10,
  sha256: "ab".repeat(32),
  pieces: 1,
});

describe("unitOfField", () => {
  it.each([
    ["units.0.files", 0],
    ["units.19.files", 19],
    ["units.20.files", null],
    ["units.007.files", null],
    ["units.1.file", null],
    ["files", null],
    ["units.-1.files", null],
    ["xunits.1.files", null],
  ])("%s → %s", (field, unit) => {
    expect(unitOfField(field)).toBe(unit);
  });
});

describe("checkFileUnits", () => {
  it("accepts files of the request's units", () => {
    expect(() => checkFileUnits([file("units.0.files"), file("units.1.files")], 2)).not.toThrow();
  });

  it("refuses a file of a unit the request does not have, naming the file and the part, at that part", () => {
    let refused: unknown;
    try {
      checkFileUnits([file("units.0.files"), file("units.7.files", "stray.png")], 2);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(ApiError);
    const e = refused as ApiError;
    expect([e.status, e.code]).toEqual([422, "validation_failed"]);
    expect(e.messageIn("en")).toBe(
      "“stray.png” was sent in units.7.files, but the request has no unit 7: its units are numbered from 0 to 1. Send each file in the part of the unit it belongs to.",
    );
    expect(Object.keys(e.fieldsIn("it") ?? {})).toEqual(["units.7.files"]);
    expect(e.fieldsIn("it")?.["units.7.files"]).toMatch(/^«stray\.png» è stato inviato/);
  });
});

describe("requestFileRows", () => {
  it("ties each file to its unit's RMA and the request, uploaded by the customer", () => {
    const now = new Date("2026-11-30T10:00:00Z");
    const rows = requestFileRows(
      [file("units.1.files", "b.png"), file("units.0.files", "a.png")],
      ["RMA-A", "RMA-B"],
      "req-1",
      now,
    );
    expect(rows.map((r) => [r.name, r.rmaNumber, r.requestId, r.messageId, r.uploadedBy, r.createdAt])).toEqual([
      ["b.png", "RMA-B", "req-1", null, "customer", "2026-11-30T10:00:00.000Z"],
      ["a.png", "RMA-A", "req-1", null, "customer", "2026-11-30T10:00:00.000Z"],
    ]);
  });

  it("throws (a caller's error) for a file of a unit that got no RMA", () => {
    expect(() => requestFileRows([file("units.2.files")], ["RMA-A"], "req-1", new Date())).toThrow(/no issued unit/);
  });
});
