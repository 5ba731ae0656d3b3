/** The registry import's batch column against a real sqld: batches stored, counted per model, changed by a later import. */
import { describe, expect, it } from "vitest";
import { useStaffApi } from "../support/staff.ts";

const stack = useStaffApi();

const importCsv = async (csv: string) => {
  const res = await stack.staff.send("POST", "/api/admin/registry/import", { csv });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
};
const units = (model: string) =>
  stack.db.query("SELECT batch, units FROM insight_registry_units WHERE model = ? AND units > 0 ORDER BY batch", [model]);

describe("the registry import's production batch", () => {
  it("stores each unit's batch, counts units per model and batch, and moves a unit to its new batch", async () => {
    const first = await importCsv(
      [
        "serial_number,model,purchase_date,batch,production_date",
        "BT000001,Batch Cam,2026-03-01,L1,2026-01-10",
        "BT000002,Batch Cam,2026-03-01,L1,",
        "BT000003,Batch Cam,2026-03-01,,2026-02-10",
        "BT000004,Batch Cam,2026-03-01,,",
      ].join("\n"),
    );
    expect(first).toMatchObject({ added: 4, changed: 0 });
    expect(
      await stack.db.query(
        "SELECT serial_number, batch, production_date FROM product_batches WHERE serial_number LIKE 'BT%' ORDER BY 1",
      ),
    ).toEqual([
      { serial_number: "BT000001", batch: "L1", production_date: "2026-01-10" },
      { serial_number: "BT000002", batch: "L1", production_date: null },
      { serial_number: "BT000003", batch: "2026-02", production_date: "2026-02-10" },
    ]);
    expect(await units("Batch Cam")).toEqual([
      { batch: "", units: 1 },
      { batch: "2026-02", units: 1 },
      { batch: "L1", units: 2 },
    ]);
    // A later import names a batch for BT000004 and moves BT000002: two changed rows; a row without a batch changes nothing.
    const second = await importCsv(
      [
        "serial_number,model,purchase_date,batch",
        "BT000002,Batch Cam,2026-03-01,L2",
        "BT000003,Batch Cam,2026-03-01,",
        "BT000004,Batch Cam,2026-03-01,L2",
      ].join("\n"),
    );
    expect(second).toMatchObject({ added: 0, changed: 2, unchanged: 1 });
    expect(await units("Batch Cam")).toEqual([
      { batch: "2026-02", units: 1 },
      { batch: "L1", units: 1 },
      { batch: "L2", units: 2 },
    ]);
  });
});
