/**
 * A unit's history on "My returns" shows the repair warranty left (issue 17's rule), in English, Italian
 * and German, through the built Worker: a unit out of its original warranty, repaired under an RMA shipped
 * back a month ago, is covered by that repair's warranty until three months after shipment (the setting's
 * default), and the page names the RMA and its last day; the API says the same as data.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { addMonths } from "../../functions/domain/dates.ts";
import { type Locale, translator } from "../../functions/i18n/index.ts";
import { getPage, signInAs, siteOf } from "../support/account.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack();
const site = siteOf(stack);
const EMAIL = "repaired.unit@example.com";
let cookie = "";
let serial = "";
let repairedRma = "";
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
const shippedOn = day(30).slice(0, 10);
const repairWarrantyEnd = addMonths(shippedOn, 3);

beforeAll(async () => {
  const units = freshUnits(1);
  serial = units[0]?.serialNumber ?? "";
  const body = requestBody(units);
  const first = await issueThroughWorker(stack.worker.url, { ...body, contact: { ...body.contact, email: EMAIL } });
  repairedRma = first.rmaNumbers[0] ?? "";
  // The unit, bought three years ago (its 24 months long over), was repaired under this RMA and shipped
  // back 30 days ago: straight into this test's own database, as the desk's transitions leave it.
  const purchase = day(3 * 365).slice(0, 10);
  await stack.db.batch([
    {
      sql: `UPDATE rmas SET purchase_date = ?, warranty_covered = 0, warranty_until = ?, status = 'closed',
              repairing_at = ?, shipped_at = ?, updated_at = ? WHERE rma_number = ?`,
      args: [purchase, addMonths(purchase, 24), day(45), day(30), day(25), repairedRma],
    },
    { sql: "INSERT INTO rma_diagnoses (rma_number, category_code) VALUES (?, 'sensor')", args: [repairedRma] },
    {
      sql: `INSERT INTO rma_events (rma_number, at, actor, from_status, to_status, kind, note) VALUES
              (?, ?, 'staff:t@alkeria.example', 'repairing', 'returning', 'status', 'Repair finished. Sensor replaced.')`,
      args: [repairedRma, day(32)],
    },
  ]);
  cookie = await signInAs(site, stack.db, EMAIL);
});

const WORDS: Record<Locale, { prefix: string; ended: string }> = {
  en: { prefix: "", ended: "The warranty ended on" },
  it: { prefix: "/it", ended: "La garanzia è scaduta il" },
  de: { prefix: "/de", ended: "Die Garantie ist am" },
};

describe("a unit's history with a repair warranty left", () => {
  for (const locale of ["en", "it", "de"] as const) {
    it(`names the repair warranty's end and its RMA (${locale})`, async () => {
      const tr = translator(locale);
      const res = await getPage(site, `${WORDS[locale].prefix}/account/units/${serial}`, { cookie });
      expect(res.status).toBe(200);
      const html = await res.text();
      const text = html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
      const end = tr.date(repairWarrantyEnd);
      expect(text).toContain(WORDS[locale].ended);
      // "Repair warranty until … (RMA-…)" beside the unit, and the original warranty's line says the repair covers it.
      expect(text).toContain(tr.t("account.unit.repairWarrantyUntil", { date: end, rma: repairedRma }));
      expect(text).toContain(tr.t("insight.repairWarranty.covered", { rma: repairedRma, until: end }));
      // Under the RMA that gave it.
      expect(text).toContain(tr.t("account.unit.rmaRepairWarrantyUntil", { date: end }));
    });
  }

  it("says the same as data through the API", async () => {
    const res = await getPage(site, `/api/account/units/${serial}`, { cookie });
    expect(res.status).toBe(200);
    const h = (await res.json()) as {
      warrantyActive: boolean;
      coveredBy: string;
      repairWarranty: { rmaNumber: string; until: string } | null;
      rmas: { rmaNumber: string; repairWarranty: { until: string; active: boolean } | null }[];
    };
    expect(h.warrantyActive).toBe(false);
    expect(h.coveredBy).toBe("repair");
    expect(h.repairWarranty).toEqual({ rmaNumber: repairedRma, until: repairWarrantyEnd });
    expect(h.rmas).toEqual([
      expect.objectContaining({ rmaNumber: repairedRma, repairWarranty: { until: repairWarrantyEnd, active: true } }),
    ]);
  });
});
