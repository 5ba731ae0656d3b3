/** The staff setting "authorise automatically": registered units under warranty skip the review, nothing else does. */
import { describe, expect, it } from "vitest";
import { useApi } from "../support/app.ts";
import { surelyCovered, surelyNotCovered, today } from "../support/dates.ts";
import { freshUnits, requestBody } from "../support/requests.ts";

const stack = useApi();

// Chosen without asking the warranty rule: bought well inside, or well past, 24 months ago.
const covered = surelyCovered;
type Created = { rmas: { rmaNumber: string; status: string }[] };

describe("automatic authorisation", () => {
  it("is off by default: every unit waits for staff", async () => {
    const res = await stack.api.json("/api/rma-requests", requestBody(freshUnits(1, covered)));
    expect(((await res.json()) as Created).rmas.map((r) => r.status)).toEqual(["requested"]);
  });

  it("when on, authorises registered units under warranty in the same single write, with their email", async () => {
    await stack.db.query("INSERT INTO settings (key, value) VALUES ('auto_authorize', 'on')");
    const [inWarranty] = freshUnits(1, covered);
    const [outOfWarranty] = freshUnits(1, surelyNotCovered);
    if (!inWarranty || !outOfWarranty) throw new Error("no units");
    stack.api.trips.reset();
    const res = await stack.api.json("/api/rma-requests", requestBody([inWarranty, outOfWarranty]));
    expect(res.status).toBe(201);
    expect(stack.api.trips.writes).toBe(1);
    const { rmas } = (await res.json()) as Created;
    expect(rmas.map((r) => r.status)).toEqual(["authorized", "requested"]);
    const [auto, manual] = rmas;
    const rows = await stack.db.query<{ status: string; valid_until: string | null }>(
      "SELECT status, valid_until FROM rmas WHERE rma_number IN (?, ?) ORDER BY status",
      [auto?.rmaNumber ?? "", manual?.rmaNumber ?? ""],
    );
    expect(rows[0]?.status).toBe("authorized");
    expect(rows[0]?.valid_until).toMatch(/T23:59:59\.999Z$/);
    expect(rows[1]).toEqual({ status: "requested", valid_until: null });
    const events = await stack.db.query("SELECT actor, from_status, to_status FROM rma_events WHERE rma_number = ? ORDER BY id", [
      auto?.rmaNumber ?? "",
    ]);
    expect(events).toEqual([
      { actor: "customer", from_status: null, to_status: "requested" },
      { actor: "system", from_status: "requested", to_status: "authorized" },
    ]);
    const mails = await stack.db.query<{ subject: string; text: string }>(
      "SELECT subject, text FROM outbox WHERE subject LIKE 'RMA authorised%'",
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain(auto?.rmaNumber);
    expect(mails[0]?.text).not.toContain(manual?.rmaNumber);
    expect(mails[0]?.text).toMatch(/\/print\?t=/);
  });

  it("never authorises a serial the registry does not know", async () => {
    const body = requestBody([{ line: 0, serialNumber: "XX123456", model: "Celera C1920", purchaseDate: "" }]);
    Object.assign(body.units[0] as object, { purchaseDate: today(), invoiceNumber: "INV-1" });
    const res = await stack.api.json("/api/rma-requests", body);
    expect(((await res.json()) as Created).rmas.map((r) => r.status)).toEqual(["requested"]);
  });
});
