/** Every staff action through the admin API against a real sqld: the moves it allows and the ones it refuses. */
import { describe, expect, it } from "vitest";
import { translator } from "../../functions/i18n/index.ts";
import { plusDays } from "../support/dates.ts";
import { advance, type ErrorBody, QUOTE, requestRmas, TO_RECEIVED, useStaffApi } from "../support/staff.ts";

const stack = useStaffApi();
const ACTOR = "staff:admin@alkeria.example";

const one = async (opts: { covered?: boolean } = {}) => {
  const { rmaNumbers } = await requestRmas(stack.api, 1, opts);
  return rmaNumbers[0] as string;
};
const rmaRow = async (n: string) => (await stack.db.query("SELECT * FROM rmas WHERE rma_number = ?", [n]))[0] ?? {};
const lastEvent = async (n: string) =>
  (await stack.db.query("SELECT * FROM rma_events WHERE rma_number = ? ORDER BY id DESC LIMIT 1", [n]))[0] ?? {};
const mailsTo = (n: string, recipient = "giulia@example.com") =>
  stack.db.query<{ subject: string; text: string; html: string; request_id: string | null }>(
    "SELECT subject, text, html, request_id FROM outbox WHERE rma_number = ? AND recipient = ? ORDER BY created_at, rowid",
    [n, recipient],
  );
const lastMail = async (n: string) => (await mailsTo(n)).at(-1);

async function ok(res: Response, status: string) {
  const body = (await res.json()) as { status: string; version: number; emailIds: string[] };
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body.status).toBe(status);
  return body;
}

async function refused(res: Response, status: number, code: string, message?: RegExp | string) {
  const body = (await res.json()) as ErrorBody;
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  if (message) expect(body.error.message).toMatch(message);
  return body.error;
}

/** What the other engineer's customer flow writes when a customer asks to cancel after receipt. */
async function customerAsksToCancel(n: string) {
  await stack.db.query("UPDATE rmas SET cancellation_requested_at = ?, cancellation_reason = ? WHERE rma_number = ?", [
    new Date().toISOString(),
    "Found the fault myself: a bad cable.",
    n,
  ]);
  await stack.db.query(
    "INSERT INTO rma_events (rma_number, actor, kind, note) VALUES (?, 'customer', 'cancellation-requested', ?)",
    [n, "Found the fault myself: a bad cable."],
  );
}

describe("allowed staff actions", () => {
  it("authorises a requested RMA: 30 days, the staff member's event, and the email with instructions, form link and warranty", async () => {
    const n = await one({ covered: true });
    const before = Date.now();
    const body = await ok(await stack.staff.act(n, "authorize", { note: "Firmware fault, known issue." }), "authorized");
    expect(body.emailIds).toHaveLength(1);
    const rma = await rmaRow(n);
    expect(rma["status"]).toBe("authorized");
    expect(Date.parse(String(rma["authorized_at"]))).toBeGreaterThanOrEqual(before);
    // Valid to the end of the 30th day after the day of authorisation (UTC).
    const shipBy = plusDays(String(rma["authorized_at"]).slice(0, 10), 30);
    expect(rma["valid_until"]).toBe(`${shipBy}T23:59:59.999Z`);
    expect(await lastEvent(n)).toMatchObject({
      actor: ACTOR,
      from_status: "requested",
      to_status: "authorized",
      note: "Firmware fault, known issue.",
    });
    const mail = await lastMail(n);
    // Dates in emails are written for the reader's locale (English: 30 December 2026).
    const shipByWords = translator("en").date(shipBy);
    expect(mail?.subject).toBe(`RMA authorised: ${n} — ship by ${shipByWords}`);
    expect(mail?.text).toContain(`${n}: `);
    expect(mail?.text).toMatch(new RegExp(`http://portal\\.test/rma/${n}/print\\?t=[\\w-]{22}`));
    expect(mail?.text).toMatch(/under warranty until \d{1,2} [A-Z][a-z]+ \d{4}/);
    expect(mail?.text).toContain("RMA number on the outside of the parcel and on the shipping documents");
    expect(mail?.text).toContain("Send only the units listed above");
    expect(mail?.text).toContain("Any sturdy box will do");
    expect(mail?.text).toContain("FCA (Incoterms 2020)");
    expect(mail?.text).toContain("Via Giuntini, 25 int. 36 - I-56021 Navacchio (PI) - ITALY");
    expect(mail?.text).toContain(`must reach us by ${shipByWords}`);
    expect(mail?.request_id).toBeTruthy();
  });

  it("rejects a requested RMA with its reason, emailed to the customer", async () => {
    const n = await one();
    await ok(await stack.staff.act(n, "reject", { reason: "The unit is not an Alkeria product." }), "rejected");
    expect(await lastEvent(n)).toMatchObject({
      actor: ACTOR,
      to_status: "rejected",
      note: "The unit is not an Alkeria product.",
    });
    expect((await lastMail(n))?.text).toContain("The reason: The unit is not an Alkeria product.");
  });

  it("cancels a requested and an authorised RMA on the customer's behalf", async () => {
    const requested = await one();
    await ok(await stack.staff.act(requested, "cancel", { reason: "Customer wrote to Sales: fixed on site." }), "cancelled");
    const authorized = await one();
    await advance(stack.staff, authorized, [["authorize"]]);
    await ok(await stack.staff.act(authorized, "cancel", { reason: "Customer wrote to Sales: fixed on site." }), "cancelled");
    expect((await lastMail(authorized))?.subject).toBe(`RMA cancelled: ${authorized}`);
  });

  it("records the receipt of an authorised RMA with the arrival date and the condition notes", async () => {
    const n = await one();
    await advance(stack.staff, n, [["authorize"]]);
    const today = new Date().toISOString().slice(0, 10);
    await ok(await stack.staff.act(n, "receive", { receivedOn: today, condition: "Box dented; unit intact." }), "received");
    expect(await rmaRow(n)).toMatchObject({ received_on: today, received_condition: "Box dented; unit intact." });
    expect((await lastEvent(n))["note"]).toBe(`Parcel arrived on ${today}. Condition: Box dented; unit intact.`);
    expect((await lastMail(n))?.subject).toBe(`We have received your unit: ${n}`);
    // The date defaults to today.
    const other = await one();
    await advance(stack.staff, other, [["authorize"]]);
    await ok(await stack.staff.act(other, "receive"), "received");
    expect((await rmaRow(other))["received_on"]).toBe(today);
  });

  it("confirms the warranty of a covered unit at diagnosis: received → repairing, free repair emailed", async () => {
    const n = await one({ covered: true });
    await advance(stack.staff, n, TO_RECEIVED);
    await ok(await stack.staff.act(n, "confirm-warranty"), "repairing");
    expect((await rmaRow(n))["diagnosed_at"]).toBeTruthy();
    expect((await lastMail(n))?.text).toContain("at our expense (CPT)");
  });

  it("refuses the warranty with its reason: the RMA stays received, no longer covered, and the next step is a quote", async () => {
    const n = await one({ covered: true });
    await advance(stack.staff, n, TO_RECEIVED);
    const reason = "The sensor window is cracked from an impact: damage caused in use.";
    await ok(await stack.staff.act(n, "refuse-warranty", { reason }), "received");
    expect(await rmaRow(n)).toMatchObject({ status: "received", warranty_covered: 0, warranty_refused_reason: reason });
    expect(await lastEvent(n)).toMatchObject({ actor: ACTOR, kind: "warranty-refused", from_status: null, note: reason });
    expect((await lastMail(n))?.text).toContain(reason);
    const detail = (await (await stack.staff.get(`/api/admin/rmas/${n}`)).json()) as { actions: string[] };
    expect(detail.actions).toEqual(["quote"]);
    await ok(await stack.staff.act(n, "quote", QUOTE), "quoted");
  });

  it("quotes a unit out of warranty: received → quoted, the quote emailed with its link", async () => {
    const n = await one({ covered: false });
    await advance(stack.staff, n, TO_RECEIVED);
    await ok(await stack.staff.act(n, "quote", QUOTE), "quoted");
    expect(await rmaRow(n)).toMatchObject({ quote_total_cents: 20850, quote_labour_cents: 12000, quote_handling_cents: 2500 });
    expect((await lastMail(n))?.text).toMatch(new RegExp(`http://portal\\.test/rma/${n}/quote\\?t=[\\w-]{22}`));
  });

  it("records a quote answer the customer gave by phone: quoted → repairing, or quoted → returning", async () => {
    const accepted = await one({ covered: false });
    await advance(stack.staff, accepted, [...TO_RECEIVED, ["quote", QUOTE]]);
    await ok(await stack.staff.act(accepted, "record-quote-answer", { decision: "accept", note: "By phone." }), "repairing");
    expect(await rmaRow(accepted)).toMatchObject({ quote_decision: "accepted" });
    expect((await lastEvent(accepted))["note"]).toBe(
      "Quote of €208.50 accepted by the customer (answer recorded by staff). By phone.",
    );
    const declined = await one({ covered: false });
    await advance(stack.staff, declined, [...TO_RECEIVED, ["quote", QUOTE]]);
    await ok(await stack.staff.act(declined, "record-quote-answer", { decision: "decline" }), "returning");
    expect(await rmaRow(declined)).toMatchObject({ quote_decision: "declined" });
  });

  it("finishes the repair (repairing → returning), ships back with carrier and tracking (→ shipped) and closes", async () => {
    const n = await one({ covered: true });
    await advance(stack.staff, n, [...TO_RECEIVED, ["confirm-warranty"]]);
    await ok(await stack.staff.act(n, "finish-repair"), "returning");
    expect((await lastMail(n))?.subject).toBe(`Repair complete: ${n}`);
    await ok(await stack.staff.act(n, "ship", { carrier: "DHL Express", trackingNumber: "JD014600003828" }), "shipped");
    expect(await rmaRow(n)).toMatchObject({ return_carrier: "DHL Express", return_tracking_number: "JD014600003828" });
    const shipped = await lastMail(n);
    expect(shipped?.text).toContain("Carrier: DHL Express");
    expect(shipped?.text).toContain("Tracking number: JD014600003828");
    expect(shipped?.text).toContain("Via Roma 1, 56100 Pisa, Italy");
    await ok(await stack.staff.act(n, "close"), "closed");
    const moves = await stack.db.query("SELECT from_status, to_status FROM rma_events WHERE rma_number = ? ORDER BY id", [n]);
    expect(moves.map((m) => `${m["from_status"]}→${m["to_status"]}`)).toEqual([
      "null→requested",
      "requested→authorized",
      "authorized→received",
      "received→repairing",
      "repairing→returning",
      "returning→shipped",
      "shipped→closed",
    ]);
  });

  it("grants a cancellation request: received → cancelled, quoted or repairing → returning, returning → recorded", async () => {
    const received = await one();
    await advance(stack.staff, received, TO_RECEIVED);
    await customerAsksToCancel(received);
    await ok(await stack.staff.act(received, "grant-cancellation"), "cancelled");
    expect((await rmaRow(received))["cancellation_requested_at"]).toBeNull();
    expect((await lastMail(received))?.subject).toBe(`Cancellation accepted: ${received}`);

    const quoted = await one({ covered: false });
    await advance(stack.staff, quoted, [...TO_RECEIVED, ["quote", QUOTE]]);
    await customerAsksToCancel(quoted);
    await ok(await stack.staff.act(quoted, "grant-cancellation", { note: "Sending it back as is." }), "returning");
    expect((await lastMail(quoted))?.text).toContain("unrepaired");

    const repairing = await one({ covered: true });
    await advance(stack.staff, repairing, [...TO_RECEIVED, ["confirm-warranty"]]);
    await customerAsksToCancel(repairing);
    await ok(await stack.staff.act(repairing, "grant-cancellation"), "returning");

    const returning = await one({ covered: true });
    await advance(stack.staff, returning, [...TO_RECEIVED, ["confirm-warranty"], ["finish-repair"]]);
    await customerAsksToCancel(returning);
    await ok(await stack.staff.act(returning, "grant-cancellation"), "returning");
    expect(await lastEvent(returning)).toMatchObject({ kind: "cancellation-granted", actor: ACTOR });
    expect((await rmaRow(returning))["cancellation_requested_at"]).toBeNull();
  });

  it("refuses a cancellation request with its reason: recorded, cleared and emailed, the RMA as it was", async () => {
    const n = await one({ covered: true });
    await advance(stack.staff, n, [
      ...TO_RECEIVED,
      ["confirm-warranty"],
      ["finish-repair"],
      ["ship", { carrier: "UPS", trackingNumber: "1Z999" }],
    ]);
    await customerAsksToCancel(n);
    const reason = "The unit has already been shipped back to you.";
    await ok(await stack.staff.act(n, "refuse-cancellation", { reason }), "shipped");
    expect(await lastEvent(n)).toMatchObject({ kind: "cancellation-refused", actor: ACTOR, note: reason });
    expect((await rmaRow(n))["cancellation_requested_at"]).toBeNull();
    expect((await lastMail(n))?.text).toContain(reason);
  });

  it("authorises every still-requested unit of a request at once: one batch, one email listing them, decisions kept", async () => {
    const { rmaNumbers, requestId } = await requestRmas(stack.api, 4);
    const [rejected, first, second, third] = rmaNumbers as [string, string, string, string];
    await advance(stack.staff, rejected, [["reject", { reason: "Not one of ours." }]]);
    stack.api.trips.reset();
    const res = await stack.staff.act(first, "authorize-all", { note: "All four checked." });
    const body = (await res.json()) as { authorized: string[]; emailIds: string[]; status: string };
    expect(res.status).toBe(200);
    // Three writing round trips: the session check (it slides the session's expiry), the one batch of moves
    // and email, and the audit log's entry for the action.
    expect(stack.api.trips.writes).toBe(3);
    expect(body.authorized).toEqual([first, second, third]);
    expect(body.status).toBe("authorized");
    const statuses = await stack.db.query<{ rma_number: string; status: string }>(
      "SELECT rma_number, status FROM rmas WHERE request_id = ? ORDER BY rowid",
      [requestId],
    );
    expect(statuses.map((s) => s.status)).toEqual(["rejected", "authorized", "authorized", "authorized"]);
    const mails = await stack.db.query<{ text: string; rma_number: string | null }>(
      "SELECT text, rma_number FROM outbox WHERE request_id = ? AND subject LIKE 'RMA authorised:%'",
      [requestId],
    );
    expect(mails).toHaveLength(1);
    for (const n of [first, second, third]) {
      expect(mails[0]?.text).toContain(n);
      expect(mails[0]?.text).toContain(`/rma/${n}/print?t=`);
    }
    expect(mails[0]?.text).not.toContain(rejected);
    await refused(await stack.staff.act(second, "authorize-all"), 409, "nothing_to_authorize", /each one already has a decision/);
  });
});

describe("refused staff actions", () => {
  it("refuses to authorise a received RMA, naming the moves that are allowed", async () => {
    const n = await one({ covered: true });
    await advance(stack.staff, n, TO_RECEIVED);
    await refused(
      await stack.staff.act(n, "authorize"),
      409,
      "transition_refused",
      "An RMA that is received can move to repairing or quoted, not to authorized.",
    );
  });

  it("refuses a rejection, a cancellation or a refused warranty without a reason", async () => {
    const n = await one();
    const blank = await refused(await stack.staff.act(n, "reject", { reason: " " }), 422, "validation_failed");
    expect(blank.fields?.["reason"]).toBe("The reason for the rejection is required.");
    const short = await refused(await stack.staff.act(n, "reject", { reason: "no" }), 422, "validation_failed");
    expect(short.fields?.["reason"]).toMatch(/reason for the rejection needs at least 5 characters/);
    expect((await refused(await stack.staff.act(n, "cancel"), 422, "validation_failed")).fields?.["reason"]).toMatch(/required/);
    expect((await rmaRow(n))["status"]).toBe("requested");
  });

  it("refuses to receive an expired RMA, even before the scheduled job records it, telling staff the customer needs a new RMA", async () => {
    const lapsed = await one();
    await advance(stack.staff, lapsed, [["authorize"]]);
    await stack.db.query("UPDATE rmas SET valid_until = '2020-01-31T23:59:59.999Z' WHERE rma_number = ?", [lapsed]);
    await refused(await stack.staff.act(lapsed, "receive"), 409, "rma_expired", /customer needs to request a new RMA/);
    expect((await rmaRow(lapsed))["status"]).toBe("authorized");
    const recorded = await one();
    await advance(stack.staff, recorded, [["authorize"]]);
    await stack.db.query("UPDATE rmas SET status = 'expired', expired_at = valid_until WHERE rma_number = ?", [recorded]);
    await refused(await stack.staff.act(recorded, "receive"), 409, "rma_expired", /Do not accept a parcel under this number/);
  });

  it("refuses to receive an RMA that is not authorised, and an arrival date in the future", async () => {
    const n = await one();
    await refused(
      await stack.staff.act(n, "receive"),
      409,
      "transition_refused",
      /requested can move to authorized, rejected or cancelled/,
    );
    await advance(stack.staff, n, [["authorize"]]);
    const error = await refused(await stack.staff.act(n, "receive", { receivedOn: "2999-01-01" }), 422, "validation_failed");
    expect(error.fields?.["receivedOn"]).toMatch(/cannot be after today/);
    const bad = await refused(await stack.staff.act(n, "receive", { receivedOn: "yesterday" }), 422, "validation_failed");
    expect(bad.fields?.["receivedOn"]).toMatch(/a date like/);
  });

  it("refuses to confirm the warranty of a unit out of warranty: it needs a quote", async () => {
    const n = await one({ covered: false });
    await advance(stack.staff, n, TO_RECEIVED);
    await refused(
      await stack.staff.act(n, "confirm-warranty"),
      409,
      "transition_refused",
      /not covered by warranty can move to quoted/,
    );
  });

  it("refuses to confirm the warranty of a quoted RMA: only the customer's accepted quote starts the repair", async () => {
    const n = await one({ covered: true });
    await advance(stack.staff, n, [
      ...TO_RECEIVED,
      ["refuse-warranty", { reason: "Water inside the housing." }],
      ["quote", QUOTE],
    ]);
    await refused(await stack.staff.act(n, "confirm-warranty"), 409, "transition_refused", /decided at diagnosis/);
    expect(await rmaRow(n)).toMatchObject({ status: "quoted" });
  });

  it("refuses to refuse the warranty outside diagnosis or for a unit not covered", async () => {
    const requested = await one({ covered: true });
    await refused(
      await stack.staff.act(requested, "refuse-warranty", { reason: "Dropped on the floor." }),
      409,
      "transition_refused",
      /decided at diagnosis/,
    );
    const uncovered = await one({ covered: false });
    await advance(stack.staff, uncovered, TO_RECEIVED);
    await refused(await stack.staff.act(uncovered, "refuse-warranty", { reason: "Dropped on the floor." }), 409, "not_covered");
  });

  it("refuses a quote for a unit under warranty, a quote before receipt, and amounts that cannot be", async () => {
    const covered = await one({ covered: true });
    await advance(stack.staff, covered, TO_RECEIVED);
    await refused(await stack.staff.act(covered, "quote", QUOTE), 409, "covered_by_warranty", /confirm the warranty/);
    const early = await one({ covered: false });
    await advance(stack.staff, early, [["authorize"]]);
    await refused(await stack.staff.act(early, "quote", QUOTE), 409, "transition_refused", /authorized can move to received/);
    await advance(stack.staff, early, [["receive"]]);
    const error = await refused(
      await stack.staff.act(early, "quote", { ...QUOTE, labourCents: -5, partsAndSuppliesCents: 1.5 }),
      422,
      "validation_failed",
    );
    expect(error.fields).toMatchObject({
      labourCents: "Labour cannot be negative.",
      partsAndSuppliesCents: expect.stringMatching(/at most two decimals/),
    });
    expect(
      (await refused(await stack.staff.act(early, "quote", { labourCents: "12" }), 422, "validation_failed")).fields,
    ).toMatchObject({
      labourCents: expect.stringMatching(/euro cents/),
      handlingFeeCents: expect.stringMatching(/required/),
    });
  });

  it("refuses to finish a repair that has not started, and to ship without carrier and tracking number", async () => {
    const n = await one({ covered: false });
    await advance(stack.staff, n, [...TO_RECEIVED, ["quote", QUOTE]]);
    await refused(
      await stack.staff.act(n, "finish-repair"),
      409,
      "transition_refused",
      /only once the customer accepts the quote/,
    );
    await refused(
      await stack.staff.act(n, "ship", { carrier: "UPS", trackingNumber: "1Z999" }),
      409,
      "transition_refused",
      /quoted can move to repairing or returning, not to shipped/,
    );
    await advance(stack.staff, n, [["record-quote-answer", { decision: "decline" }]]);
    const error = await refused(await stack.staff.act(n, "ship", { carrier: "", trackingNumber: "x" }), 422, "validation_failed");
    expect(error.fields).toMatchObject({
      carrier: expect.stringMatching(/required/),
      trackingNumber: expect.stringMatching(/at least 3/),
    });
  });

  it("refuses to close an RMA that has not been shipped", async () => {
    const n = await one({ covered: true });
    await advance(stack.staff, n, [...TO_RECEIVED, ["confirm-warranty"], ["finish-repair"]]);
    await refused(
      await stack.staff.act(n, "close"),
      409,
      "transition_refused",
      "An RMA that is returning can move to shipped, not to closed.",
    );
  });

  it("refuses to decide a cancellation nobody asked for, and to grant one too late", async () => {
    const n = await one({ covered: true });
    await advance(stack.staff, n, TO_RECEIVED);
    await refused(await stack.staff.act(n, "grant-cancellation"), 409, "no_cancellation_request");
    await refused(
      await stack.staff.act(n, "refuse-cancellation", { reason: "Already repairing it." }),
      409,
      "no_cancellation_request",
    );
    await advance(stack.staff, n, [
      ["confirm-warranty"],
      ["finish-repair"],
      ["ship", { carrier: "UPS", trackingNumber: "1Z999" }],
    ]);
    await customerAsksToCancel(n);
    await refused(await stack.staff.act(n, "grant-cancellation"), 409, "too_late_to_cancel", /shipped: it is too late/);
    // Staff cannot cancel a received unit outright either: only by granting the customer's request.
    const received = await one();
    await advance(stack.staff, received, TO_RECEIVED);
    await refused(
      await stack.staff.act(received, "cancel", { reason: "Changed our mind." }),
      409,
      "transition_refused",
      /unless staff grant the customer's cancellation request/,
    );
  });

  it("refuses an action on a version someone else changed, and lets one of two simultaneous clicks win", async () => {
    const n = await one();
    const version = await stack.staff.version(n);
    await advance(stack.staff, n, [["authorize"]]);
    const before = await stack.db.query("SELECT count(*) c FROM rma_events WHERE rma_number = ?", [n]);
    await refused(
      await stack.staff.act(n, "receive", { version }),
      409,
      "conflict",
      /changed by someone else since you loaded it \(it is now authorized\)/,
    );
    const current = await stack.staff.version(n);
    const [a, b] = await Promise.all([
      stack.staff.act(n, "receive", { version: current }),
      stack.staff.act(n, "cancel", { version: current, reason: "Customer changed their mind." }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const after = await stack.db.query("SELECT count(*) c FROM rma_events WHERE rma_number = ?", [n]);
    expect(Number(after[0]?.["c"])).toBe(Number(before[0]?.["c"]) + 1);
  });

  it("answers 404 for an unknown RMA or action, and 422 for a field it does not know", async () => {
    await refused(await stack.staff.send("POST", "/api/admin/rmas/RMA-26-000000-A/authorize", { version: 1 }), 404, "not_found");
    const n = await one();
    await refused(
      await stack.staff.act(n, "teleport"),
      404,
      "unknown_action",
      /The actions are: authorize, authorize-all, reject/,
    );
    const error = await refused(await stack.staff.act(n, "authorize", { colour: "red" }), 422, "validation_failed");
    expect(error.fields?.["colour"]).toMatch(/not a field we know/);
    await refused(await stack.staff.act(n, "authorize", { version: "two" }), 422, "validation_failed");
    const text = await stack.staff.send("POST", `/api/admin/rmas/${n}/authorize`, undefined, { "content-type": "text/plain" });
    expect(text.status).toBe(415);
  });
});
