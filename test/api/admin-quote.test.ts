/** Quotes through the API: totals with and without warranty, and the customer's signed link to answer. */
import { describe, expect, it } from "vitest";
import { signToken } from "../../functions/auth/tokens.ts";
import { advance, type ErrorBody, QUOTE, requestRmas, TO_RECEIVED, useStaffApi } from "../support/staff.ts";

const stack = useStaffApi();

async function quotedRma(opts: { covered: boolean }): Promise<string> {
  const n = (await requestRmas(stack.api, 1, { covered: opts.covered })).rmaNumbers[0] as string;
  const diagnosis: [string, Record<string, unknown>?][] = opts.covered
    ? [["refuse-warranty", { reason: "Connector torn off: damage caused in use." }]]
    : [];
  await advance(stack.staff, n, [...TO_RECEIVED, ...diagnosis, ["quote", QUOTE]]);
  return n;
}

/** The link the quote email carries, as the customer would open it. */
async function linkOf(n: string): Promise<string> {
  const [mail] = await stack.db.query<{ text: string }>(
    "SELECT text FROM outbox WHERE rma_number = ? AND subject LIKE 'Repair quote%'",
    [n],
  );
  const url = new RegExp(`http://portal\\.test(/rma/${n}/quote\\?t=[\\w-]{22})`).exec(mail?.text ?? "")?.[1];
  if (!url) throw new Error(`no quote link in ${mail?.text}`);
  return url;
}
const tokenOf = async (n: string) => new URL(await linkOf(n), "http://x").searchParams.get("t") ?? "";
const answer = (n: string, t: string, decision: string) => stack.api.json(`/api/quotes/${n}`, { t, decision });

describe("quote totals through the admin API", () => {
  it("charges labour, parts, handling and return shipping on a unit out of warranty", async () => {
    const n = await quotedRma({ covered: false });
    const [row] = await stack.db.query("SELECT * FROM rmas WHERE rma_number = ?", [n]);
    expect(row).toMatchObject({
      status: "quoted",
      quote_labour_cents: 12000,
      quote_parts_cents: 4550,
      quote_handling_cents: 2500,
      quote_shipping_cents: 1800,
      quote_total_cents: 20850,
    });
    const [mail] = await stack.db.query<{ subject: string; text: string }>(
      "SELECT subject, text FROM outbox WHERE rma_number = ? AND subject LIKE 'Repair quote%'",
      [n],
    );
    expect(mail?.subject).toBe(`Repair quote for ${n}: €208.50`);
    expect(mail?.text).toContain(
      "- Labour: €120.00\n- Parts and supplies: €45.50\n- Handling fee: €25.00\n- Return shipping: €18.00\n- Total: €208.50",
    );
    expect(mail?.text).toMatch(/not under warranty \(it ended on \d{1,2} [A-Z][a-z]+ \d{4}\)/);
  });

  it("charges everything too once the warranty is refused at diagnosis, saying why", async () => {
    const n = await quotedRma({ covered: true });
    const [row] = await stack.db.query("SELECT quote_total_cents, warranty_covered FROM rmas WHERE rma_number = ?", [n]);
    expect(row).toEqual({ quote_total_cents: 20850, warranty_covered: 0 });
    const [mail] = await stack.db.query<{ text: string }>(
      "SELECT text FROM outbox WHERE rma_number = ? AND subject LIKE 'Repair quote%'",
      [n],
    );
    expect(mail?.text).toContain("The warranty does not apply to this fault: Connector torn off: damage caused in use.");
  });

  it("does not quote a unit under warranty: the repair is free and we pay the return shipping (CPT)", async () => {
    const n = (await requestRmas(stack.api, 1, { covered: true })).rmaNumbers[0] as string;
    await advance(stack.staff, n, TO_RECEIVED);
    const res = await stack.staff.act(n, "quote", { ...QUOTE, handlingFeeCents: 0, returnShippingCents: 0 });
    const { error } = (await res.json()) as ErrorBody;
    expect(res.status).toBe(409);
    expect(error.message).toMatch(
      /under warranty: confirm the warranty to repair it at no cost \(we pay the return shipping, CPT\)/,
    );
    const [row] = await stack.db.query("SELECT status, quote_total_cents FROM rmas WHERE rma_number = ?", [n]);
    expect(row).toEqual({ status: "received", quote_total_cents: null });
  });
});

describe("the customer's quote link", () => {
  it("opens the quote with a valid link and accepts it: repairing, recorded, and staff told", async () => {
    const n = await quotedRma({ covered: false });
    const t = await tokenOf(n);
    const view = await stack.api.request(`/api/quotes/${n}?t=${t}`);
    expect(view.status).toBe(200);
    expect(await view.json()).toMatchObject({ rmaNumber: n, totalCents: 20850, open: true, decision: null });
    const res = await answer(n, t, "accept");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ rmaNumber: n, status: "repairing", decision: "accepted" });
    const [row] = await stack.db.query<{ status: string; quote_decision: string; quote_answered_at: string }>(
      "SELECT status, quote_decision, quote_answered_at FROM rmas WHERE rma_number = ?",
      [n],
    );
    expect(row).toMatchObject({ status: "repairing", quote_decision: "accepted" });
    expect(row?.quote_answered_at).toBeTruthy();
    const [event] = await stack.db.query(
      "SELECT actor, from_status, to_status FROM rma_events WHERE rma_number = ? ORDER BY id DESC LIMIT 1",
      [n],
    );
    expect(event).toEqual({ actor: "customer", from_status: "quoted", to_status: "repairing" });
    const staffMail = await stack.db.query<{ subject: string; text: string }>(
      "SELECT subject, text FROM outbox WHERE rma_number = ? AND recipient = 'desk@alkeria.example'",
      [n],
    );
    expect(staffMail.map((m) => m.subject)).toEqual([`Quote accepted: ${n} (€208.50)`]);
    expect(staffMail[0]?.text).toContain(`http://portal.test/admin/rma/${n}`);
  });

  it("declines with a valid link: the unit goes back unrepaired", async () => {
    const n = await quotedRma({ covered: false });
    const res = await answer(n, await tokenOf(n), "decline");
    expect(await res.json()).toEqual({ rmaNumber: n, status: "returning", decision: "declined" });
    const [event] = await stack.db.query<{ note: string }>(
      "SELECT note FROM rma_events WHERE rma_number = ? ORDER BY id DESC LIMIT 1",
      [n],
    );
    expect(event?.note).toBe("Quote of €208.50 declined online by the customer. The unit goes back unrepaired.");
  });

  it("refuses a tampered link, another RMA's link, and a link for another purpose, changing nothing", async () => {
    const n = await quotedRma({ covered: false });
    const other = await quotedRma({ covered: false });
    const t = await tokenOf(n);
    const tampered = `${t.slice(0, -1)}${t.endsWith("A") ? "B" : "A"}`;
    const rmaToken = await signToken(stack.api.env.LINK_SECRET ?? "", "rma", n);
    for (const [number, token] of [
      [n, tampered],
      [other, t],
      [n, rmaToken],
      [n, ""],
    ] as const) {
      const res = await answer(number, token, "accept");
      const { error } = (await res.json()) as ErrorBody;
      expect(res.status).toBe(403);
      expect(error.code).toBe("invalid_link");
      expect(error.message).toMatch(/not valid/);
    }
    expect((await stack.api.request(`/api/quotes/${n}?t=${tampered}`)).status).toBe(403);
    const rows = await stack.db.query("SELECT status FROM rmas WHERE rma_number IN (?, ?)", [n, other]);
    expect(rows).toEqual([{ status: "quoted" }, { status: "quoted" }]);
  });

  it("refuses a second answer, whichever it is, saying it was already answered", async () => {
    const n = await quotedRma({ covered: false });
    const t = await tokenOf(n);
    const [first, second] = await Promise.all([answer(n, t, "accept"), answer(n, t, "decline")]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 410]);
    const loser = first.status === 410 ? first : second;
    const { error } = (await loser.json()) as ErrorBody;
    expect(error.code).toBe("quote_answered");
    expect(error.message).toMatch(
      /^This quote was already answered on \d{4}-\d{2}-\d{2}: it was (accepted|declined)\. Its link no longer works: follow the RMA on its page, from the link in our emails or the status page \(\/status\)\.$/,
    );
    const again = await answer(n, t, "accept");
    expect(again.status).toBe(410);
    expect(((await again.json()) as ErrorBody).error.code).toBe("quote_answered");
    const events = await stack.db.query("SELECT count(*) n FROM rma_events WHERE rma_number = ? AND from_status = 'quoted'", [n]);
    expect(events[0]?.["n"]).toBe(1);
    const staffMail = await stack.db.query(
      "SELECT count(*) n FROM outbox WHERE rma_number = ? AND recipient = 'desk@alkeria.example'",
      [n],
    );
    expect(staffMail[0]?.["n"]).toBe(1);
    // The answered quote's link stops working: the view is refused too, no longer shown read-only.
    const view = await stack.api.request(`/api/quotes/${n}?t=${t}`);
    expect(view.status).toBe(410);
    expect(((await view.json()) as ErrorBody).error).toMatchObject({ code: "quote_answered", message: error.message });
  });

  it("refuses an answer that is neither accept nor decline", async () => {
    const n = await quotedRma({ covered: false });
    const res = await answer(n, await tokenOf(n), "maybe");
    expect(res.status).toBe(422);
  });
});
