/**
 * The warranty on a repair, wherever the customer is told a verdict (issue 17): a unit out of its
 * original 24 months, repaired under an RMA shipped back a month ago, is "covered by the repair warranty of
 * RMA-… until …" in the serial check (in the reader's language) and is issued under warranty until that
 * day, with the receipt and the authorisation email saying so. Real sqld, the app in Node.
 */

import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../db/client.ts";
import { noPastRepairCondition } from "../../functions/services/insight/repair-warranty.ts";
import { daysAgo, longDate, monthsOn, surelyCovered, surelyNotCovered } from "../support/dates.ts";
import { markShippedBack } from "../support/lifecycle.ts";
import { freshUnits, requestBody, statedBody } from "../support/requests.ts";
import { useStaffApi } from "../support/staff.ts";

const stack = useStaffApi();

type Created = { requestId: string; rmas: { rmaNumber: string; status: string; warranty: Record<string, unknown> }[] };

/** An RMA for `unit`, repaired and shipped back `shippedDaysAgo` days ago, then closed: its number. */
async function repairedAndShipped(unit: { serialNumber: string }, shippedDaysAgo: number, repaired = true): Promise<string> {
  const res = await stack.api.json("/api/rma-requests", requestBody([unit as never]));
  expect(res.status).toBe(201);
  const rmaNumber = ((await res.json()) as Created).rmas[0]?.rmaNumber ?? "";
  await markShippedBack(stack.db, rmaNumber, shippedDaysAgo, repaired);
  return rmaNumber;
}

const check = (serial: string, language: string) =>
  stack.api.request(`/api/serials/${serial}`, { headers: { accept: "application/json", "accept-language": language } });

describe("a unit out of its original warranty, repaired under an RMA shipped back a month ago", () => {
  it("is covered by the repair warranty of that RMA until 3 months after the shipment, said in English and Italian", async () => {
    const [unit] = freshUnits(1, surelyNotCovered);
    if (!unit) throw new Error("no unit");
    const before = (await (await check(unit.serialNumber, "en")).json()) as { warranty: Record<string, unknown> };
    expect(before.warranty).toMatchObject({ covered: false });
    expect(before.warranty["repair"]).toBeUndefined();

    const old = await repairedAndShipped(unit, 30);
    const until = monthsOn(daysAgo(30), 3);
    const en = (await (await check(unit.serialNumber, "en")).json()) as { warranty: Record<string, unknown> };
    expect(en.warranty).toEqual({
      covered: true,
      until,
      repair: { rmaNumber: old, until, words: `Covered by the repair warranty of ${old} until ${longDate("en-GB", until)}.` },
    });
    const it_ = (await (await check(unit.serialNumber, "it-IT,it;q=0.9")).json()) as { warranty: { repair: { words: string } } };
    expect(it_.warranty.repair.words).toBe(
      `Coperta dalla garanzia sulla riparazione della pratica ${old} fino al ${longDate("it-IT", until)}.`,
    );
  });

  it("is issued under warranty until the repair warranty's last day; the receipt and the authorisation email say which RMA's", async () => {
    await stack.db.query(
      "INSERT INTO settings (key, value) VALUES ('auto_authorize', 'on') ON CONFLICT (key) DO UPDATE SET value = 'on'",
    );
    const [unit] = freshUnits(1, surelyNotCovered);
    if (!unit) throw new Error("no unit");
    const old = await repairedAndShipped(unit, 30);
    const until = monthsOn(daysAgo(30), 3);
    for (const [locale, words] of [
      ["en", `covered by the repair warranty of ${old} until ${longDate("en-GB", until)}`],
      ["it", `coperta dalla garanzia sulla riparazione della pratica ${old} fino al ${longDate("it-IT", until)}`],
    ] as const) {
      const res = await stack.api.json("/api/rma-requests", requestBody([unit], { locale }));
      expect(res.status).toBe(201);
      const created = (await res.json()) as Created;
      const [rma] = created.rmas;
      // Registered and covered: with automatic authorisation on, authorised as it is requested.
      expect(rma).toMatchObject({ status: "authorized", warranty: { covered: true, until, repair: { rmaNumber: old, until } } });
      const [row] = await stack.db.query<{ warranty_covered: number; warranty_until: string; status: string }>(
        "SELECT warranty_covered, warranty_until, status FROM rmas WHERE rma_number = ?",
        [rma?.rmaNumber ?? ""],
      );
      expect(row).toEqual({ warranty_covered: 1, warranty_until: until, status: "authorized" });
      const mails = await stack.db.query<{ recipient: string; subject: string; text: string }>(
        "SELECT recipient, subject, text FROM outbox WHERE request_id = ? AND recipient = ? ORDER BY created_at, rowid",
        [created.requestId, requestBody([unit]).contact.email],
      );
      // Each customer email giving the verdict (the receipt, the authorisation) names the repair's RMA and day.
      expect(mails).toHaveLength(2); // the receipt, then the authorisation
      for (const mail of mails) expect(mail.text, mail.subject).toContain(words);
      expect(mails[1]?.subject).toContain(locale === "en" ? "RMA authorised" : "RMA autorizzata");
      // Cancel it, so the unit can be requested again in the next language.
      await stack.db.query("UPDATE rmas SET status = 'cancelled', cancelled_at = ? WHERE rma_number = ?", [
        new Date().toISOString(),
        rma?.rmaNumber ?? "",
      ]);
    }
  });

  it("names the repair's RMA in the authorisation email when a staff member authorises the request later", async () => {
    await stack.db.query("UPDATE settings SET value = 'off' WHERE key = 'auto_authorize'");
    const [unit] = freshUnits(1, surelyNotCovered);
    if (!unit) throw new Error("no unit");
    const old = await repairedAndShipped(unit, 40);
    const until = monthsOn(daysAgo(40), 3);
    const res = await stack.api.json("/api/rma-requests", requestBody([unit], { locale: "it" }));
    const [rma] = ((await res.json()) as Created).rmas;
    expect(rma?.status).toBe("requested");
    const done = await stack.staff.act(rma?.rmaNumber ?? "", "authorize", {});
    expect(done.status).toBe(200);
    const [mail] = await stack.db.query<{ subject: string; text: string }>(
      "SELECT subject, text FROM outbox WHERE subject LIKE 'RMA autorizzata%' AND text LIKE ?",
      [`%${rma?.rmaNumber}%`],
    );
    expect(mail?.text).toContain(
      `coperta dalla garanzia sulla riparazione della pratica ${old} fino al ${longDate("it-IT", until)}`,
    );
  });

  it("answers a repeated Idempotency-Key with the first answer, the repair's RMA named again", async () => {
    const [unit] = freshUnits(1, surelyNotCovered);
    if (!unit) throw new Error("no unit");
    const old = await repairedAndShipped(unit, 20);
    const headers = { "idempotency-key": "repair-verdict-key-0001" };
    const first = await stack.api.json("/api/rma-requests", requestBody([unit]), headers);
    expect(first.status).toBe(201);
    const firstBody = (await first.json()) as Created;
    expect(firstBody.rmas[0]?.warranty).toMatchObject({ covered: true, repair: { rmaNumber: old } });
    const again = await stack.api.json("/api/rma-requests", requestBody([unit]), headers);
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(firstBody);
  });

  it("is issued under the repair's warranty when the client states the unit's purchase date (the one-round-trip path)", async () => {
    const [unit] = freshUnits(1, surelyNotCovered);
    if (!unit) throw new Error("no unit");
    const old = await repairedAndShipped(unit, 25);
    const until = monthsOn(daysAgo(25), 3);
    // The stated purchase date is the registry's, so the stated facts are right: only the past repair is unsaid.
    const res = await stack.api.json("/api/rma-requests", statedBody([unit]));
    expect(res.status).toBe(201);
    const [rma] = ((await res.json()) as Created).rmas;
    expect(rma?.warranty).toMatchObject({ covered: true, until, repair: { rmaNumber: old, until } });
    const [row] = await stack.db.query<{ warranty_covered: number; warranty_until: string }>(
      "SELECT warranty_covered, warranty_until FROM rmas WHERE rma_number = ?",
      [rma?.rmaNumber ?? ""],
    );
    expect(row).toEqual({ warranty_covered: 1, warranty_until: until });
  });

  it("fails the one-round-trip path's guard condition for a serial with a past repair, and only for it", async () => {
    const [repairedUnit, never] = freshUnits(2, surelyNotCovered);
    if (!repairedUnit || !never) throw new Error("no units");
    await repairedAndShipped(repairedUnit, 40);
    const db = createDb({ DATABASE_URL: stack.db.url });
    const holds = async (serials: string[]) =>
      (await db.all<{ ok: number }>(sql`SELECT ${noPastRepairCondition(serials)} AS ok`))[0]?.ok;
    expect(await holds([never.serialNumber])).toBe(1);
    expect(await holds([never.serialNumber, repairedUnit.serialNumber])).toBe(0);
  });

  it("gives nothing once the 3 months are over, nor for a unit sent back unrepaired; the original warranty wins while it runs", async () => {
    const [lapsed, unrepaired] = freshUnits(2, surelyNotCovered);
    const [inWarranty] = freshUnits(1, surelyCovered);
    if (!lapsed || !unrepaired || !inWarranty) throw new Error("no units");
    await repairedAndShipped(lapsed, 100);
    await repairedAndShipped(unrepaired, 10, false);
    await repairedAndShipped(inWarranty, 10);
    for (const u of [lapsed, unrepaired]) {
      const body = (await (await check(u.serialNumber, "en")).json()) as { warranty: Record<string, unknown> };
      expect(body.warranty["covered"], u.serialNumber).toBe(false);
      expect(body.warranty["repair"], u.serialNumber).toBeUndefined();
    }
    const covered = (await (await check(inWarranty.serialNumber, "en")).json()) as { warranty: Record<string, unknown> };
    expect(covered.warranty["covered"]).toBe(true);
    expect(covered.warranty["repair"]).toBeUndefined();
  });
});
