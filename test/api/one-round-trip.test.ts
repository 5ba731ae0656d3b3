/**
 * Issuing in one round trip: a request that states every unit's purchase date (as the form does once
 * its live check found the serial) is written in one batch that verifies what it took as stated. When
 * the database says otherwise, nothing of that batch stays and the answer is the one the full path
 * (read, then write) gives.
 */
import { describe, expect, it } from "vitest";
import { useApi } from "../support/app.ts";
import { surelyCovered, surelyNotCovered, twoYearsOn } from "../support/dates.ts";
import { authorizeDaysAgo } from "../support/lifecycle.ts";
import { freshUnits, requestBody, statedBody } from "../support/requests.ts";
import type { ErrorBody } from "../support/staff.ts";

const stack = useApi();

type Created = {
  requestId: string;
  rmas: { rmaNumber: string; status: string; warranty: { covered: boolean; until: string } }[];
};

const totals = async () =>
  (
    await stack.db.query<{ r: number; m: number; e: number; o: number }>(
      "SELECT (SELECT count(*) FROM return_requests) r, (SELECT count(*) FROM rmas) m, (SELECT count(*) FROM rma_events) e, (SELECT count(*) FROM outbox) o",
    )
  )[0];

/** What a request stored, without its ids and times: the same for both paths. */
async function stored(requestId: string) {
  const rmas = await stack.db.query(
    `SELECT serial_number, model, purchase_date, invoice_number, warranty_covered, warranty_until, status, version
     FROM rmas WHERE request_id = ? ORDER BY serial_number`,
    [requestId],
  );
  const events = await stack.db.query(
    `SELECT e.actor, e.from_status, e.to_status, e.note FROM rma_events e JOIN rmas r ON r.rma_number = e.rma_number
     WHERE r.request_id = ? ORDER BY r.serial_number, e.id`,
    [requestId],
  );
  const mails = await stack.db.query("SELECT recipient, status FROM outbox WHERE request_id = ? ORDER BY recipient, dedupe_key", [
    requestId,
  ]);
  return { rmas, events, mails };
}

async function issue(body: unknown, headers: Record<string, string> = {}) {
  stack.api.trips.reset();
  const res = await stack.api.json("/api/rma-requests", body, headers);
  return { res, trips: { total: stack.api.trips.total, writes: stack.api.trips.writes } };
}

describe("issuing a request that states its units' purchase dates", () => {
  it("takes one round trip for 1 and for 10 units, and stores what the full path stores", async () => {
    for (const n of [1, 10]) {
      const fast = await issue(statedBody(freshUnits(n)));
      expect(fast.res.status).toBe(201);
      expect({ units: n, ...fast.trips }).toEqual({ units: n, total: 1, writes: 1 });
      const full = await issue(requestBody(freshUnits(n)));
      expect(full.trips).toEqual({ total: 2, writes: 1 });
      const a = await stored(((await fast.res.json()) as Created).requestId);
      const b = await stored(((await full.res.json()) as Created).requestId);
      // Same shape, units aside (other serials): statuses, events, emails.
      expect(
        a.rmas.map(
          ({ serial_number: _s, model: _m, purchase_date: _p, warranty_covered: _c, warranty_until: _u, ...rest }) => rest,
        ),
      ).toEqual(
        b.rmas.map(
          ({ serial_number: _s, model: _m, purchase_date: _p, warranty_covered: _c, warranty_until: _u, ...rest }) => rest,
        ),
      );
      expect(a.events).toEqual(b.events);
      expect(a.mails).toEqual(b.mails);
    }
  });

  it("answers and stores the registry's warranty verdict, as the full path does", async () => {
    // Two units bought well inside the 24 months and two bought well before them, for each path; what each
    // must get is written out here, not asked of the warranty rule: covered or not by position, and the
    // last day covered two years on from the registry's purchase date.
    const mix = () => [...freshUnits(2, surelyCovered), ...freshUnits(2, surelyNotCovered)];
    const expected = (units: { purchaseDate: string }[]) =>
      units.map((u, i) => ({ covered: i < 2, until: twoYearsOn(u.purchaseDate) }));

    const units = mix();
    const { res, trips } = await issue(statedBody(units));
    expect(res.status).toBe(201);
    expect(trips.total).toBe(1);
    const body = (await res.json()) as Created;
    const rows = await stack.db.query<{ purchase_date: string; warranty_covered: number; warranty_until: string }>(
      "SELECT purchase_date, warranty_covered, warranty_until FROM rmas WHERE request_id = ? ORDER BY rowid",
      [body.requestId],
    );
    expect(rows.map((r) => r.purchase_date)).toEqual(units.map((u) => u.purchaseDate));
    expect(body.rmas.map((r) => r.warranty)).toEqual(expected(units));
    expect(rows.map((r) => ({ covered: Boolean(r.warranty_covered), until: r.warranty_until }))).toEqual(expected(units));

    // The full path (no purchase dates stated), for units of the same kinds, answers the same way.
    const others = mix();
    const full = await issue(requestBody(others));
    expect(full.res.status).toBe(201);
    expect(full.trips.total).toBe(2);
    expect(((await full.res.json()) as Created).rmas.map((r) => r.warranty)).toEqual(expected(others));
  });

  it("keeps the registry's purchase date when the stated one differs: the guard rolls the batch back", async () => {
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const before = await totals();
    const { res, trips } = await issue(statedBody([{ ...unit, purchaseDate: "2026-01-01" }]));
    expect(res.status).toBe(201);
    expect(trips).toEqual({ total: 3, writes: 2 }); // refused write, read, write
    const [row] = await stack.db.query<{ purchase_date: string }>("SELECT purchase_date FROM rmas WHERE serial_number = ?", [
      unit.serialNumber,
    ]);
    expect(row?.purchase_date).toBe(unit.purchaseDate);
    const after = await totals();
    expect({ r: (after?.r ?? 0) - (before?.r ?? 0), m: (after?.m ?? 0) - (before?.m ?? 0) }).toEqual({ r: 1, m: 1 });
  });

  it("refuses a stated model the registry does not have for that serial, storing nothing", async () => {
    const [unit] = freshUnits(1, (r) => r.model !== "Vega V640");
    if (!unit) throw new Error("no unit");
    const before = await totals();
    const { res } = await issue(statedBody([{ ...unit, model: "Vega V640" }]));
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.fields?.["units.0.model"]).toContain(`registered as a ${unit.model}`);
    expect(await totals()).toEqual(before);
  });

  it("refuses a serial that already has an open RMA, naming it, and stores nothing", async () => {
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const first = (await (await issue(statedBody([unit]))).res.json()) as Created;
    const before = await totals();
    const { res } = await issue(statedBody([unit]));
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.fields?.["units.0.serialNumber"]).toContain(first.rmas[0]?.rmaNumber);
    expect(await totals()).toEqual(before);
  });

  it("records a lapsed RMA of the unit as expired and issues the new one", async () => {
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const old = (await (await issue(statedBody([unit]))).res.json()) as Created;
    const oldNumber = old.rmas[0]?.rmaNumber ?? "";
    await authorizeDaysAgo(stack.db.url, oldNumber, 40);
    const { res } = await issue(statedBody([unit]));
    expect(res.status).toBe(201);
    const rows = await stack.db.query("SELECT rma_number, status FROM rmas WHERE serial_number = ? ORDER BY rowid", [
      unit.serialNumber,
    ]);
    expect(rows).toEqual([
      { rma_number: oldNumber, status: "expired" },
      { rma_number: ((await res.json()) as Created).rmas[0]?.rmaNumber, status: "requested" },
    ]);
  });

  it("accepts a serial the registry does not know with its purchase date and invoice (the full path)", async () => {
    const body = statedBody([{ line: 0, serialNumber: "ZQ990001", model: "Celera C1920", purchaseDate: "2026-02-10" }]);
    body.units = body.units.map((u) => ({ ...u, invoiceNumber: "INV-2026-0042" }));
    const { res, trips } = await issue(body);
    expect(res.status).toBe(201);
    expect(trips.total).toBe(3);
    const [row] = await stack.db.query("SELECT purchase_date, invoice_number FROM rmas WHERE serial_number = 'ZQ990001'");
    expect(row).toEqual({ purchase_date: "2026-02-10", invoice_number: "INV-2026-0042" });
  });

  it("answers a repeated Idempotency-Key with the first answer, one request stored", async () => {
    const body = statedBody(freshUnits(2));
    const headers = { "idempotency-key": "stated-key-000001" };
    const first = await issue(body, headers);
    const before = await totals();
    const again = await issue(body, headers);
    expect(again.res.status).toBe(201);
    expect(await again.res.json()).toEqual(await first.res.json());
    expect(await totals()).toEqual(before);
  });

  it("follows the auto-authorise setting when staff change it: the first request after a change corrects the prediction", async () => {
    const covered = () =>
      freshUnits(1, (r) => r.purchaseDate > new Date(Date.now() - 600 * 86_400_000).toISOString().slice(0, 10));
    await stack.db.query("INSERT INTO settings (key, value) VALUES ('auto_authorize', 'on')");
    const statuses: string[] = [];
    const tripCounts: number[] = [];
    for (let i = 0; i < 2; i++) {
      const { res, trips } = await issue(statedBody(covered()));
      statuses.push(((await res.json()) as Created).rmas[0]?.status ?? "");
      tripCounts.push(trips.total);
    }
    await stack.db.query("UPDATE settings SET value = 'off' WHERE key = 'auto_authorize'");
    for (let i = 0; i < 2; i++) {
      const { res, trips } = await issue(statedBody(covered()));
      statuses.push(((await res.json()) as Created).rmas[0]?.status ?? "");
      tripCounts.push(trips.total);
    }
    expect(statuses).toEqual(["authorized", "authorized", "requested", "requested"]);
    expect(tripCounts).toEqual([3, 1, 3, 1]);
  });
});
