/**
 * "My returns" against a real sqld with seeded data: one customer with 1 000 RMAs (250 requests of 4
 * units) among 2 000 of others, and one with a handcrafted history. The list (newest first, grouped by
 * request, every RMA exactly once across its pages, one round trip per page), its filters and search,
 * a unit's history (failure found, repair done, warranty and repair warranty left), the request form's
 * pre-filled values, and SQLite's plan for each query: a range of an index, never a whole table.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.ts";
import { checkLetter } from "../../functions/domain/rma-number.ts";
import { accountPrefill } from "../../functions/services/account/prefill.ts";
import {
  latestRequestQuery,
  listReturns,
  pageQuery,
  prefillFor,
  searchQuery,
  unitHistory,
  unitOutcomesQuery,
  unitRmasQuery,
} from "../../functions/services/account/returns.ts";
import { type RoundTrips, startCountedDb } from "../support/app.ts";
import { type BuiltQuery, queryPlan, type TestDatabase } from "../support/database.ts";

let tdb: TestDatabase;
let db: Db;
let trips: RoundTrips;
const NOW = new Date("2026-11-25T09:00:00.000Z");
const ANN_RMAS = 1_000;
const OTHER_RMAS = 2_000;

const rmaNumber = (n: number) => {
  const digits = `26${String(n).padStart(6, "0")}`;
  return `RMA-26-${String(n).padStart(6, "0")}-${checkLetter(digits)}`;
};

beforeAll(async () => {
  ({ tdb, db, trips } = await startCountedDb());
  // Ann: 250 requests of 4 units, one every 3 days, her address typed in varying case.
  // Others: 500 requests of 4 units, interleaved in time.
  await tdb.query(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${(ANN_RMAS + OTHER_RMAS) / 4})
    INSERT INTO return_requests (id, contact_name, company, email, phone, country, return_street, return_postal_code, return_city, return_country, created_at)
    SELECT printf('req-%04d', i), 'Contact ' || i, 'Company ' || i,
      CASE WHEN i % 3 = 0 THEN (CASE WHEN i % 2 = 0 THEN 'Ann@Example.com' ELSE 'ann@example.com' END) ELSE 'other' || (i % 40) || '@example.org' END,
      '+39 050 000 ' || i, 'Italy', 'Via Roma ' || i, '56100', 'Pisa', 'Italy',
      strftime('%Y-%m-%dT%H:%M:%fZ', '2024-01-01', '+' || i || ' days')
    FROM n`);
  const annRequests = await tdb.query<{ n: number }>(
    "SELECT count(*) AS n FROM return_requests WHERE lower(email) = 'ann@example.com'",
  );
  expect(annRequests[0]?.n).toBe(ANN_RMAS / 4);
  await tdb.query(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ANN_RMAS + OTHER_RMAS}),
    s(i, status) AS (SELECT i, CASE i % 10 WHEN 0 THEN 'requested' WHEN 1 THEN 'authorized' WHEN 2 THEN 'received' WHEN 3 THEN 'quoted'
      WHEN 4 THEN 'repairing' WHEN 5 THEN 'returning' WHEN 6 THEN 'shipped' WHEN 7 THEN 'closed' WHEN 8 THEN 'rejected' ELSE 'expired' END FROM n)
    INSERT INTO rmas (rma_number, request_id, serial_number, model, purchase_date, issue_description, warranty_covered, warranty_until,
      status, requested_at, valid_until, updated_at)
    SELECT printf('RMA-25-%06d-A', i), printf('req-%04d', (i - 1) / 4 + 1), printf('SN%07d', i), 'Vega V640', '2024-06-01',
      'The image freezes after ten minutes of streaming.', 1, '2026-06-01', status,
      strftime('%Y-%m-%dT%H:%M:%fZ', '2024-01-01', '+' || ((i - 1) / 4 + 1) || ' days'),
      CASE WHEN status = 'authorized' THEN (CASE WHEN i % 20 = 1 THEN '2026-11-01T23:59:59.999Z' ELSE '2026-12-10T23:59:59.999Z' END) END,
      strftime('%Y-%m-%dT%H:%M:%fZ', '2024-01-01', '+' || i || ' hours')
    FROM s`);
  // Kim: one unit returned twice (a repair under warranty, then an RMA that expired), one authorised
  // unit; the same serial was also returned by its earlier owner, whose RMA Kim must not see.
  await tdb.batch([
    {
      sql: `INSERT INTO return_requests (id, contact_name, company, email, phone, country, return_street, return_postal_code, return_city, return_country, created_at)
        VALUES ('kim-0', 'Former Owner', NULL, 'former@example.net', '+39 000 0000', 'Italy', 'Via Vecchia 1', '00100', 'Roma', 'Italy', '2025-01-10T10:00:00.000Z'),
               ('kim-1', 'Kim Weber', 'Weber GmbH', 'kim@example.de', '+49 30 1234567', 'Germany', 'Hauptstraße 5', '10115', 'Berlin', 'Germany', '2025-06-02T10:00:00.000Z'),
               ('kim-2', 'Kim Weber', 'Weber Optik GmbH', 'Kim@Example.de', '+49 30 7654321', 'Germany', 'Lindenallee 9', '10117', 'Berlin', 'Germany', '2026-09-01T10:00:00.000Z')`,
    },
    {
      sql: `INSERT INTO rmas (rma_number, request_id, serial_number, model, purchase_date, invoice_number, issue_description, warranty_covered, warranty_until, status, requested_at, valid_until, updated_at)
        VALUES (?, 'kim-0', 'KIMSN001', 'Celera C1920', '2025-01-20', NULL, 'Dead on arrival, no light at all.', 1, '2027-01-20', 'closed', '2025-01-10T10:00:00.000Z', NULL, '2025-02-01T10:00:00.000Z'),
               (?, 'kim-1', 'KIMSN001', 'Celera C1920', '2025-01-20', 'INV-77', 'Lines across the image after an hour.', 1, '2027-01-20', 'closed', '2025-06-02T10:00:00.000Z', NULL, '2025-07-01T10:00:00.000Z'),
               (?, 'kim-2', 'KIMSN001', 'Celera C1920', '2025-01-20', 'INV-77', 'The lines came back after a month.', 1, '2027-01-20', 'authorized', '2026-09-01T10:00:00.000Z', '2026-10-01T23:59:59.999Z', '2026-09-02T10:00:00.000Z'),
               (?, 'kim-2', 'KIMSN002', 'Vega V640', '2023-03-01', NULL, 'The camera restarts under load.', 0, '2025-03-01', 'authorized', '2026-09-01T10:00:00.000Z', '2026-12-20T23:59:59.999Z', '2026-09-02T10:00:00.000Z')`,
      args: [rmaNumber(900001), rmaNumber(900002), rmaNumber(900003), rmaNumber(900004)],
    },
    {
      sql: `INSERT INTO rma_events (rma_number, at, actor, from_status, to_status, kind, note) VALUES
        (?, '2025-01-20T10:00:00.000Z', 'staff:a@alkeria.example', 'received', 'repairing', 'status', 'Warranty confirmed at diagnosis. Former owner''s fault: a burnt regulator.'),
        (?, '2025-06-10T10:00:00.000Z', 'staff:a@alkeria.example', 'received', 'repairing', 'status', 'Warranty confirmed at diagnosis. A cracked solder joint on the sensor board.'),
        (?, '2025-06-20T10:00:00.000Z', 'staff:a@alkeria.example', 'repairing', 'returning', 'status', 'Repair finished. Sensor board replaced and recalibrated.'),
        (?, '2025-06-25T10:00:00.000Z', 'staff:a@alkeria.example', 'returning', 'shipped', 'status', 'Shipped back with DHL, tracking number 123.')`,
      args: [rmaNumber(900001), rmaNumber(900002), rmaNumber(900002), rmaNumber(900002)],
    },
    // KIMSN003, out of its original warranty since 2024: repaired under an RMA shipped back a month ago (a
    // repair warranty running), an earlier repair whose warranty ended, and one sent back with no fault found.
    {
      sql: `INSERT INTO rmas (rma_number, request_id, serial_number, model, purchase_date, issue_description, warranty_covered, warranty_until, status, requested_at, repairing_at, shipped_at, updated_at)
        VALUES (?, 'kim-1', 'KIMSN003', 'Vega V640', '2022-05-01', 'No image on the GigE port.', 0, '2024-05-01', 'closed', '2025-06-02T10:00:00.000Z', '2025-06-12T10:00:00.000Z', '2025-06-30T10:00:00.000Z', '2025-07-05T10:00:00.000Z'),
               (?, 'kim-2', 'KIMSN003', 'Vega V640', '2022-05-01', 'Flickering rows in dark scenes.', 0, '2024-05-01', 'shipped', '2026-09-01T10:00:00.000Z', '2026-10-05T10:00:00.000Z', '2026-10-25T10:00:00.000Z', '2026-10-25T10:00:00.000Z'),
               (?, 'kim-2', 'KIMSN003', 'Vega V640', '2022-05-01', 'Flickering again, maybe the cable.', 0, '2024-05-01', 'closed', '2026-11-01T10:00:00.000Z', '2026-11-10T10:00:00.000Z', '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00.000Z')`,
      args: [rmaNumber(900005), rmaNumber(900006), rmaNumber(900007)],
    },
    {
      sql: `INSERT INTO rma_diagnoses (rma_number, category_code) VALUES (?, 'interface'), (?, 'sensor'), (?, 'no-fault-found')`,
      args: [rmaNumber(900005), rmaNumber(900006), rmaNumber(900007)],
    },
  ]);
}, 120_000);
afterAll(() => tdb?.stop());

describe(`the list of a customer with ${ANN_RMAS} RMAs`, () => {
  it("lists every RMA of her address once, newest request first, 10 requests a page, one round trip each", async () => {
    const seen: string[] = [];
    const requestDates: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      trips.reset();
      const page = await listReturns(db, "ANN@example.com ", { after }, NOW);
      expect(trips.total).toBe(1);
      expect(page.groups.length).toBeLessThanOrEqual(10);
      for (const g of page.groups) {
        requestDates.push(g.createdAt);
        expect(g.units).toHaveLength(4);
        seen.push(...g.units.map((u) => u.rmaNumber));
      }
      after = page.next ?? undefined;
      pages++;
    } while (after);
    expect(pages).toBe(25);
    expect(seen).toHaveLength(ANN_RMAS);
    expect(new Set(seen).size).toBe(ANN_RMAS);
    expect([...requestDates].sort().reverse()).toEqual(requestDates);
    const [others] = await tdb.query<{ n: number }>(
      `SELECT count(*) AS n FROM rmas m JOIN return_requests r ON r.id = m.request_id WHERE lower(r.email) <> 'ann@example.com' AND m.rma_number IN (${seen.map(() => "?").join(",")})`,
      seen,
    );
    expect(others?.n).toBe(0);
  });

  it("filters by status as the customer sees it: an authorised RMA past its ship-by date is expired", async () => {
    const all = async (status: "authorized" | "expired" | "closed") => {
      const out: { status: string; shipBy: string | null; canRequestAgain: boolean }[] = [];
      let after: string | undefined;
      do {
        const page = await listReturns(db, "ann@example.com", { status, after }, NOW);
        out.push(...page.groups.flatMap((g) => g.units));
        after = page.next ?? undefined;
      } while (after);
      return out;
    };
    const [counts] = await tdb.query<{ authorized: number; lapsed: number; expired: number; closed: number }>(
      `SELECT sum(m.status = 'authorized' AND m.valid_until >= ?1) AS authorized, sum(m.status = 'authorized' AND m.valid_until < ?1) AS lapsed,
        sum(m.status = 'expired') AS expired, sum(m.status = 'closed') AS closed
       FROM rmas m JOIN return_requests r ON r.id = m.request_id WHERE lower(r.email) = 'ann@example.com'`,
      [NOW.toISOString()],
    );
    const authorized = await all("authorized");
    expect(authorized).toHaveLength(counts?.authorized ?? -1);
    expect(authorized.every((u) => u.status === "authorized" && u.shipBy === "2026-12-10")).toBe(true);
    const expired = await all("expired");
    expect(counts?.lapsed).toBeGreaterThan(0);
    expect(expired).toHaveLength((counts?.expired ?? 0) + (counts?.lapsed ?? 0));
    expect(expired.every((u) => u.status === "expired" && u.canRequestAgain && u.shipBy === null)).toBe(true);
    expect((await all("closed")).every((u) => u.canRequestAgain)).toBe(true);
  });

  it("finds an RMA by its number (as typed, any case or spacing) or by serial, only among her own", async () => {
    const mine = await listReturns(db, "ann@example.com", { q: " sn0000009 " }, NOW);
    expect(mine.groups.flatMap((g) => g.units.map((u) => u.rmaNumber))).toEqual(["RMA-25-000009-A"]);
    const byNumber = await listReturns(db, "ann@example.com", { q: "rma-25-000010-a" }, NOW);
    expect(byNumber.groups.flatMap((g) => g.units.map((u) => u.serialNumber))).toEqual(["SN0000010"]);
    // SN0000001 belongs to request 1, which is another address's.
    expect((await listReturns(db, "ann@example.com", { q: "SN0000001" }, NOW)).groups).toEqual([]);
    const kim = await listReturns(db, "kim@example.de", { q: rmaNumber(900003).toLowerCase().replace(/-/g, " ") }, NOW);
    expect(kim.groups.flatMap((g) => g.units.map((u) => u.rmaNumber))).toEqual([rmaNumber(900003)]);
  });
});

describe("a unit's history", () => {
  it("lists every RMA of the serial requested with her address, newest first, with the failure found and the repair done", async () => {
    const h = await unitHistory(db, "kim@example.de", "kimsn001", NOW);
    expect(h).not.toBeNull();
    expect(h?.model).toBe("Celera C1920");
    expect(h?.warrantyUntil).toBe("2027-01-20");
    expect(h?.warrantyActive).toBe(true);
    expect(h?.repairWarranty).toBeNull();
    expect(h?.coveredBy).toBe("original");
    expect(h?.rmas.map((r) => [r.rmaNumber, r.status])).toEqual([
      [rmaNumber(900003), "expired"],
      [rmaNumber(900002), "closed"],
    ]);
    const [lapsed, repaired] = h?.rmas ?? [];
    expect(lapsed).toMatchObject({
      failureFound: null,
      warrantyConfirmed: null,
      repairDone: null,
      repaired: false,
      canRequestAgain: true,
    });
    expect(repaired).toMatchObject({
      failureFound: "A cracked solder joint on the sensor board.",
      warrantyConfirmed: true,
      repairDone: "Sensor board replaced and recalibrated.",
      repaired: true,
    });
    // The earlier owner's RMA of the same unit is not hers.
    expect(JSON.stringify(h)).not.toContain("burnt regulator");
  });

  it("says when the warranty ended", async () => {
    const h = await unitHistory(db, "kim@example.de", "KIMSN002", NOW);
    expect(h?.warrantyActive).toBe(false);
    expect(h?.warrantyUntil).toBe("2025-03-01");
    expect(h?.repairWarranty).toBeNull();
    expect(h?.coveredBy).toBe("none");
  });

  it("shows the repair warranty left (issue 17's rule: months from shipment, a repair, not a unit with no fault found)", async () => {
    const h = await unitHistory(db, "kim@example.de", "KIMSN003", NOW);
    expect(h?.warrantyActive).toBe(false);
    expect(h?.warrantyUntil).toBe("2024-05-01");
    // Shipped back on 2026-10-25 after a repair: 3 months (the default) to 2027-01-25, which alone covers it today.
    expect(h?.repairWarranty).toEqual({ rmaNumber: rmaNumber(900006), until: "2027-01-25" });
    expect(h?.coveredBy).toBe("repair");
    expect(h?.rmas.map((r) => [r.rmaNumber, r.repairWarranty])).toEqual([
      [rmaNumber(900007), null],
      [rmaNumber(900006), { until: "2027-01-25", active: true }],
      [rmaNumber(900005), { until: "2025-09-30", active: false }],
    ]);
    // The setting's months, read in the same batch.
    await tdb.query("INSERT INTO settings (key, value) VALUES ('repair_warranty_months', '6')");
    try {
      trips.reset();
      const six = await unitHistory(db, "kim@example.de", "KIMSN003", NOW);
      expect(trips.total).toBe(1);
      expect(six?.repairWarranty).toEqual({ rmaNumber: rmaNumber(900006), until: "2027-04-25" });
      // Months later, no repair warranty is left either.
      const later = await unitHistory(db, "kim@example.de", "KIMSN003", new Date("2027-05-01T00:00:00.000Z"));
      expect(later?.repairWarranty).toBeNull();
      expect(later?.coveredBy).toBe("none");
      expect(later?.rmas.every((r) => r.repairWarranty === null || !r.repairWarranty.active)).toBe(true);
    } finally {
      await tdb.query("DELETE FROM settings WHERE key = 'repair_warranty_months'");
    }
  });

  it("is null for a serial she never returned, whoever did", async () => {
    expect(await unitHistory(db, "ann@example.com", "KIMSN001", NOW)).toBeNull();
    expect(await unitHistory(db, "kim@example.de", "NOSUCHSERIAL", NOW)).toBeNull();
  });

  it("is one round trip", async () => {
    trips.reset();
    await unitHistory(db, "kim@example.de", "KIMSN001", NOW);
    expect(trips.total).toBe(1);
  });
});

describe("the request form pre-filled", () => {
  it("takes contact and return address from her last request; with an expired or closed RMA of hers, its unit", async () => {
    const values = await prefillFor(db, "KIM@example.de", { now: NOW });
    expect(values).toEqual({
      contact: {
        name: "Kim Weber",
        company: "Weber Optik GmbH",
        email: "Kim@Example.de",
        phone: "+49 30 7654321",
        country: "Germany",
      },
      returnAddress: { street: "Lindenallee 9", postalCode: "10117", city: "Berlin", country: "Germany" },
      units: [],
    });
    const again = await prefillFor(db, "kim@example.de", { unit: rmaNumber(900003), now: NOW });
    expect(again?.units).toEqual([
      {
        model: "Celera C1920",
        serialNumber: "KIMSN001",
        purchaseDate: "2025-01-20",
        invoiceNumber: "INV-77",
        issueDescription: "The lines came back after a month.",
      },
    ]);
  });

  it("leaves the units empty for an RMA still open, or another address's, and gives nothing to an address without requests", async () => {
    expect((await prefillFor(db, "kim@example.de", { unit: rmaNumber(900004), now: NOW }))?.units).toEqual([]);
    expect((await prefillFor(db, "kim@example.de", { unit: rmaNumber(900001), now: NOW }))?.units).toEqual([]);
    expect((await prefillFor(db, "kim@example.de", { unit: "not a number", now: NOW }))?.units).toEqual([]);
    expect(await prefillFor(db, "nobody@example.com", { now: NOW })).toBeNull();
  });
});

describe("accountPrefill: the form page's initial values from the session and the address", () => {
  const token = "kimsession".padEnd(43, "K");
  const at = (query: string, cookie = `rma_customer=${token}`) =>
    new Request(`http://127.0.0.1:8787/rma/new${query}`, { headers: cookie ? { cookie } : {} });
  beforeAll(() =>
    tdb.query(
      "INSERT INTO customer_sessions (token_hash, email, expires_at) VALUES (?, 'kim@example.de', '2999-01-01T00:00:00.000Z')",
      [createHash("sha256").update(`session:${token}`).digest("hex")],
    ),
  );

  it("fills contact and address for ?from=account, and the unit for &unit= of an expired or closed RMA of hers", async () => {
    const values = await accountPrefill(db, at("?from=account"), NOW);
    expect(values?.contact.name).toBe("Kim Weber");
    expect(values?.returnAddress.street).toBe("Lindenallee 9");
    expect(values?.units).toEqual([]);
    const again = await accountPrefill(db, at(`?from=account&unit=${rmaNumber(900002)}`), NOW);
    expect(again?.units.map((u) => u.serialNumber)).toEqual(["KIMSN001"]);
  });

  it("gives nothing without the parameter, without a session, or with a session that ended", async () => {
    expect(await accountPrefill(db, at(""), NOW)).toBeNull();
    expect(await accountPrefill(db, at("?from=elsewhere"), NOW)).toBeNull();
    expect(await accountPrefill(db, at("?from=account", ""), NOW)).toBeNull();
    expect(await accountPrefill(db, at("?from=account", `rma_customer=${"x".repeat(43)}`), NOW)).toBeNull();
    expect(await accountPrefill(db, at("?from=account", `rma_staff=${token}`), NOW)).toBeNull();
    expect(await accountPrefill(db, at("?from=account"), new Date("3000-01-01T00:00:00.000Z"))).toBeNull();
  });
});

/** SQLite's plan for a drizzle query, one line per step. */
const plan = (query: BuiltQuery) => queryPlan(tdb, query);
/** Any SCAN of rmas or return_requests (with or without an index) reads it whole; a SEARCH reads a range. */
const fullScans = (steps: string[]) => steps.filter((s) => /^SCAN (rmas|return_requests)\b/.test(s));

describe("query plans: a page costs the same at 10 or 1 000 RMAs of hers", () => {
  it("reads her requests newest first from one range of the email index, without sorting them, then their RMAs by request", async () => {
    const page = await listReturns(db, "ann@example.com", {}, NOW);
    for (const [name, query] of Object.entries({
      "first page": pageQuery(db, "ann@example.com", {}, NOW),
      "a later page": pageQuery(db, "ann@example.com", { after: page.next ?? "" }, NOW),
      "filtered by status": pageQuery(db, "ann@example.com", { status: "quoted" }, NOW),
      "expired (lapsed included)": pageQuery(db, "ann@example.com", { status: "expired", after: page.next ?? "" }, NOW),
    })) {
      const steps = await plan(query);
      const text = steps.join(" | ");
      expect(fullScans(steps), `${name}: ${text}`).toEqual([]);
      expect(text, name).toMatch(
        /SEARCH return_requests USING (COVERING )?INDEX return_requests_email_created_idx \(<expr>=\? AND \(created_at,id\)<\(\?,\?\)\)|SEARCH return_requests USING (COVERING )?INDEX return_requests_email_created_idx \(<expr>=\?\)/,
      );
      expect(text, name).toMatch(/SEARCH rmas USING INDEX rmas_request_idx \(request_id=\?\)/);
      // Never every customer's RMAs of one status (an index that grows with the whole table).
      expect(text, name).not.toMatch(/rmas_status/);
      // The page's requests come out of the index in order: only the page itself (at most 11 requests) is sorted.
      const cte = steps.slice(0, steps.findIndex((s) => /SCAN page/.test(s)) + 1).join(" | ");
      expect(cte, name).not.toMatch(/TEMP B-TREE FOR ORDER BY.*SCAN page/);
    }
    const later = (await plan(pageQuery(db, "ann@example.com", { after: page.next ?? "" }, NOW))).join(" | ");
    expect(later).toContain("(<expr>=? AND (created_at,id)<(?,?))");
  });

  it("finds a search, a unit's RMAs and the last request by index", async () => {
    for (const [name, query] of Object.entries({
      "search by serial or number": searchQuery(db, "ann@example.com", "SN0000009", undefined, NOW),
      "search with a status": searchQuery(db, "ann@example.com", "RMA-25-000010-A", "expired", NOW),
      "a unit's RMAs": unitRmasQuery(db, "kim@example.de", "KIMSN001"),
      "a unit's diagnosis outcomes": unitOutcomesQuery(db, "kim@example.de", "KIMSN003"),
      "the last request": latestRequestQuery(db, "kim@example.de"),
    })) {
      const steps = await plan(query);
      expect(fullScans(steps), `${name}: ${steps.join(" | ")}`).toEqual([]);
      expect(steps.join(" | "), name).toMatch(/SEARCH/);
      expect(steps.join(" | "), name).not.toMatch(/SCAN rma_diagnoses\b/);
    }
    const last = (await plan(latestRequestQuery(db, "kim@example.de"))).join(" | ");
    expect(last).not.toMatch(/TEMP B-TREE/);
  });
});
