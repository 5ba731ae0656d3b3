/** The registry's CSV import through the admin API: preview, refusals per row, nothing written until commit, one batch. */
import { describe, expect, it } from "vitest";
import { DEMO_SERIALS } from "../../db/seed.ts";
import { type ErrorBody, requestRmas, useStaffApi } from "../support/staff.ts";

const stack = useStaffApi();

type Preview = {
  added: { line: number; serialNumber: string; model: string; purchaseDate: string }[];
  changed: {
    row: { serialNumber: string; model: string; purchaseDate: string };
    before: { model: string; purchaseDate: string };
  }[];
  unchanged: number;
  refused: { line: number; raw: string; reason: string }[];
};

const snapshot = () =>
  stack.db.query("SELECT serial_number, model, purchase_date, updated_at FROM products ORDER BY serial_number");

const CSV = [
  "serial_number,model,purchase_date",
  "IM000001,Celera C1920,2026-01-15",
  " im000002 ,Vega V640,2025-06-30",
  `${DEMO_SERIALS.outOfWarranty},Necta N1280,2020-02-01`,
  `${DEMO_SERIALS.inWarranty},Celera C1920,today-200d`,
  "IM000003,Celera C1920,2026-02-30",
  "X!,Celera C1920,2026-01-01",
  "IM000001,Celera C1920,2026-01-15",
  "IM000004,Celera C1920",
  "",
  "# a comment",
].join("\n");

describe("registry CSV import", () => {
  it("previews rows added, changed and refused with the reason per row, writing nothing", async () => {
    const before = await snapshot();
    const res = await stack.staff.send("POST", "/api/admin/registry/preview", { csv: CSV });
    expect(res.status).toBe(200);
    const preview = (await res.json()) as Preview;
    expect(preview.added.map((r) => [r.serialNumber, r.model, r.purchaseDate])).toEqual([
      ["IM000001", "Celera C1920", "2026-01-15"],
      ["IM000002", "Vega V640", "2025-06-30"],
    ]);
    expect(preview.changed).toEqual([
      {
        row: expect.objectContaining({ serialNumber: DEMO_SERIALS.outOfWarranty, purchaseDate: "2020-02-01" }),
        before: { model: "Necta N1280", purchaseDate: "2019-03-14" },
      },
    ]);
    expect(preview.refused.map((r) => [r.line, r.reason])).toEqual([
      [5, expect.stringMatching(/Purchase date "today-200d" is not a date/)],
      [6, expect.stringMatching(/Purchase date "2026-02-30" is not a date/)],
      [7, expect.stringMatching(/Serial number "X!" is malformed/)],
      [8, "Serial number IM000001 already appears on line 2."],
      [9, expect.stringMatching(/Expected 3 fields/)],
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a file without the header, and says so", async () => {
    const res = await stack.staff.send("POST", "/api/admin/registry/preview", { csv: "serial,model\nA1234,B,2020-01-01" });
    const preview = (await res.json()) as Preview;
    expect(preview.added).toEqual([]);
    expect(preview.refused[0]?.reason).toMatch(/first line must be the header serial_number,model,purchase_date/);
  });

  it("imports the good rows in one batch: added and changed rows written, refused and unchanged ones not", async () => {
    const before = await snapshot();
    stack.api.trips.reset();
    const res = await stack.staff.send("POST", "/api/admin/registry/import", { csv: CSV, expected: { added: 2, changed: 1 } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ added: 2, changed: 1, unchanged: 0, refused: expect.any(Array) });
    // One writing round trip for the import; the others are the session check sliding its expiry and the
    // audit log's entry for the import (written after the import succeeded).
    expect(stack.api.trips.writes).toBe(3);
    expect(stack.api.trips.total).toBe(4);
    const after = await snapshot();
    expect(after.length).toBe(before.length + 2);
    const rows = await stack.db.query(
      "SELECT serial_number, model, purchase_date FROM products WHERE serial_number IN (?, ?, ?)",
      ["IM000001", "IM000002", DEMO_SERIALS.outOfWarranty],
    );
    expect(rows).toEqual([
      { serial_number: "IM000001", model: "Celera C1920", purchase_date: "2026-01-15" },
      { serial_number: "IM000002", model: "Vega V640", purchase_date: "2025-06-30" },
      { serial_number: DEMO_SERIALS.outOfWarranty, model: "Necta N1280", purchase_date: "2020-02-01" },
    ]);
    // The same file again adds and changes nothing.
    const again = await stack.staff.send("POST", "/api/admin/registry/import", { csv: CSV });
    expect(await again.json()).toMatchObject({ added: 0, changed: 0, unchanged: 3 });
  });

  it("imports 3 000 rows in one batch", async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `BULK${String(i).padStart(5, "0")},Lince L2048,2025-03-01`);
    stack.api.trips.reset();
    const res = await stack.staff.send("POST", "/api/admin/registry/import", {
      csv: ["serial_number,model,purchase_date", ...lines].join("\r\n"),
    });
    expect(await res.json()).toMatchObject({ added: 3000, changed: 0 });
    // The session check, the import's one batch, the audit entry.
    expect(stack.api.trips.writes).toBe(3);
    const [row] = await stack.db.query("SELECT count(*) n FROM products WHERE serial_number LIKE 'BULK%'");
    expect(row?.["n"]).toBe(3000);
  });

  it("refuses to import when the registry changed since the preview, writing nothing", async () => {
    const before = await snapshot();
    const res = await stack.staff.send("POST", "/api/admin/registry/import", {
      csv: "serial_number,model,purchase_date\nIM000009,Vega V640,2025-01-01",
      expected: { added: 0, changed: 1 },
    });
    const { error } = (await res.json()) as ErrorBody;
    expect(res.status).toBe(409);
    expect(error.message).toMatch(/changed since the preview: now 1 rows would be added and 0 changed/);
    expect(await snapshot()).toEqual(before);
  });

  it("searches serial numbers by their beginning, with warranty today and the open RMA", async () => {
    const { rmaNumbers } = await requestRmas(stack.api, 1);
    const [rma] = await stack.db.query<{ serial_number: string }>("SELECT serial_number FROM rmas WHERE rma_number = ?", [
      rmaNumbers[0] ?? "",
    ]);
    const serial = rma?.serial_number ?? "";
    const res = await stack.staff.get(`/api/admin/registry?q=${serial.slice(0, -1).toLowerCase()}`);
    const found = (await res.json()) as {
      rows: { serialNumber: string; openRma: string | null; warrantyToday: { covered: boolean } }[];
      total: number;
    };
    expect(found.rows.map((r) => r.serialNumber)).toContain(serial);
    expect(found.rows.find((r) => r.serialNumber === serial)?.openRma).toBe(rmaNumbers[0]);
    const paged = (await (await stack.staff.get("/api/admin/registry?q=BULK&page=3")).json()) as {
      rows: unknown[];
      total: number;
      pages: number;
    };
    expect(paged).toMatchObject({ total: 3000, pages: 60 });
    expect(paged.rows).toHaveLength(50);
  });
});
