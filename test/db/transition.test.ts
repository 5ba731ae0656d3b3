import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.ts";
import { parseRmaRequest } from "../../functions/domain/request-input.ts";
import type { OutgoingEmail } from "../../functions/email/outbox.ts";
import { ApiError } from "../../functions/errors.ts";
import { changeRma as moveRma, changeRma as recordEvent } from "../../functions/services/rma/change.ts";
import { issueRmas } from "../../functions/services/rma/issue.ts";
import { type RoundTrips, startCountedDb, testEnv } from "../support/app.ts";
import type { TestDatabase } from "../support/database.ts";
import { freshUnits, requestBody } from "../support/requests.ts";

let tdb: TestDatabase;
let db: Db;
let trips: RoundTrips;
// No Resend key: emails stay in the outbox as `held`.
const env = {};

beforeAll(async () => {
  ({ tdb, db, trips } = await startCountedDb());
});
afterAll(() => tdb?.stop());

const NOW = new Date("2026-11-25T09:00:00.000Z");
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

async function newRma(): Promise<string> {
  const parsed = parseRmaRequest(requestBody(freshUnits(1)));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fields));
  const issued = await issueRmas(db, testEnv(tdb.url), parsed.data, {
    links: { baseUrl: "http://t", secret: "0123456789abcdef0123" },
    now: NOW,
  });
  const rmaNumber = issued.rmas[0]?.rmaNumber;
  if (!rmaNumber) throw new Error("no RMA issued");
  return rmaNumber;
}

function mail(rmaNumber: string, subject: string, dedupeKey?: string): OutgoingEmail {
  return {
    to: "giulia@example.com",
    subject: `${rmaNumber}: ${subject}`,
    text: subject,
    html: `<p>${subject}</p>`,
    ...(dedupeKey ? { dedupeKey } : {}),
  };
}

/** Everything a move may write about one RMA. */
async function stateOf(rmaNumber: string) {
  const [rma] = await tdb.query("SELECT * FROM rmas WHERE rma_number = ?", [rmaNumber]);
  const events = await tdb.query("SELECT * FROM rma_events WHERE rma_number = ? ORDER BY id", [rmaNumber]);
  const emails = await tdb.query("SELECT id, subject FROM outbox WHERE rma_number = ? ORDER BY subject", [rmaNumber]);
  return { rma, events, emails };
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return err;
}

describe("SQLite's changes() inside a libSQL batch over HTTP (what moveRma relies on)", () => {
  const keys = async () =>
    (await tdb.query<{ key: string }>("SELECT key FROM rate_limits WHERE key LIKE 'changes:%' ORDER BY key")).map((r) => r.key);
  const gatedPair = (suffix: string) =>
    db.run(
      sql.raw(
        `INSERT INTO rate_limits (key, window_start, count) SELECT * FROM (VALUES ('changes:a${suffix}', 'w', 1), ('changes:b${suffix}', 'w', 1)) WHERE changes() = 1`,
      ),
    );

  it("is the row count of the statement before, seen by every row of the next one, then that statement's own", async () => {
    // A statement that changes nothing: the gated insert writes nothing, even right after earlier writes on the connection.
    await db.run(sql.raw("INSERT INTO rate_limits (key, window_start, count) VALUES ('changes:earlier', 'w', 1)"));
    await db.batch([db.run(sql.raw("UPDATE rate_limits SET count = 0 WHERE key = 'changes:none'")), gatedPair("1")]);
    expect(await keys()).toEqual(["changes:earlier"]);
    // One row changed: both rows of the gated insert are written (the condition is not re-read per row),
    // and a third statement gated the same way sees 2 and writes nothing.
    await db.batch([
      db.run(sql.raw("UPDATE rate_limits SET count = 2 WHERE key = 'changes:earlier'")),
      gatedPair("2"),
      gatedPair("3"),
    ]);
    expect(await keys()).toEqual(["changes:a2", "changes:b2", "changes:earlier"]);
  });
});

describe("moving an RMA through its lifecycle", () => {
  it("writes the status, its time, the new version, the event and the emails in one round trip", async () => {
    const rmaNumber = await newRma();
    trips.reset();
    const result = await moveRma(db, {
      rmaNumber,
      from: "requested",
      to: "authorized",
      actor: "staff:admin@alkeria.example",
      note: "Looks like a firmware fault.",
      set: { validUntil: "2026-12-25T09:00:00.000Z" },
      emails: [mail(rmaNumber, "authorised"), mail(rmaNumber, "label")],
      env,
      now: later(5),
    });
    expect(trips.total).toBe(1);
    expect(result).toMatchObject({ rmaNumber, from: "requested", to: "authorized", version: 2 });
    expect(result.emailIds).toHaveLength(2);

    const { rma, events, emails } = await stateOf(rmaNumber);
    expect(rma).toMatchObject({
      status: "authorized",
      authorized_at: later(5).toISOString(),
      valid_until: "2026-12-25T09:00:00.000Z",
      updated_at: later(5).toISOString(),
      version: 2,
    });
    expect(events.at(-1)).toMatchObject({
      at: later(5).toISOString(),
      actor: "staff:admin@alkeria.example",
      from_status: "requested",
      to_status: "authorized",
      kind: "status",
      note: "Looks like a firmware fault.",
    });
    expect(events).toHaveLength(2); // the request's own event, then this move
    expect(emails.map((e) => e["subject"])).toEqual([`${rmaNumber}: authorised`, `${rmaNumber}: label`]);
    expect(emails.map((e) => e["id"]).sort()).toEqual([...result.emailIds].sort());
  });

  it("refuses a move the lifecycle does not allow, naming the allowed ones, and writes nothing", async () => {
    const rmaNumber = await newRma();
    const before = await stateOf(rmaNumber);
    trips.reset();
    const err = await refusal(
      moveRma(db, {
        rmaNumber,
        from: "requested",
        to: "shipped",
        actor: "system",
        emails: [mail(rmaNumber, "x")],
        env,
        now: NOW,
      }),
    );
    expect(err.status).toBe(409);
    expect(err.code).toBe("transition_refused");
    expect(err.message).toBe("An RMA that is requested can move to authorized, rejected or cancelled, not to shipped.");
    expect(trips.total).toBe(0);
    expect(await stateOf(rmaNumber)).toEqual(before);
  });

  it("refuses a move from a status the RMA has left, saying what it is now, and writes neither event nor email", async () => {
    const rmaNumber = await newRma();
    const before = await stateOf(rmaNumber);
    const err = await refusal(
      moveRma(db, {
        rmaNumber,
        from: "authorized",
        to: "received",
        actor: "staff:admin@alkeria.example",
        emails: [mail(rmaNumber, "received"), mail(rmaNumber, "received too")],
        env,
        now: NOW,
      }),
    );
    expect(err.status).toBe(409);
    expect(err.code).toBe("conflict");
    expect(err.message).toBe(`${rmaNumber} was changed by someone else (it is now requested). Reload the page and try again.`);
    expect(await stateOf(rmaNumber)).toEqual(before);
  });

  it("refuses a move made on a stale version", async () => {
    const rmaNumber = await newRma();
    await moveRma(db, { rmaNumber, from: "requested", to: "authorized", actor: "system", env, now: later(1) });
    const before = await stateOf(rmaNumber);
    const err = await refusal(
      moveRma(db, {
        rmaNumber,
        from: "authorized",
        to: "received",
        actor: "system",
        expectedVersion: 1,
        emails: [mail(rmaNumber, "stale")],
        env,
        now: later(2),
      }),
    );
    expect(err.code).toBe("conflict");
    expect(await stateOf(rmaNumber)).toEqual(before);
    const ok = await moveRma(db, {
      rmaNumber,
      from: "authorized",
      to: "received",
      actor: "system",
      expectedVersion: 2,
      env,
      now: later(3),
    });
    expect(ok.version).toBe(3);
  });

  it("answers 404 for an RMA that does not exist", async () => {
    const err = await refusal(
      moveRma(db, { rmaNumber: "RMA-26-000000-A", from: "requested", to: "authorized", actor: "system", env, now: NOW }),
    );
    expect(err.status).toBe(404);
  });

  it("skips an email already in the outbox (same dedupe key) but writes the others", async () => {
    const rmaNumber = await newRma();
    await recordEvent(db, {
      rmaNumber,
      actor: "system",
      kind: "note",
      emails: [mail(rmaNumber, "first", `auth:${rmaNumber}`)],
      env,
      now: NOW,
    });
    const result = await moveRma(db, {
      rmaNumber,
      from: "requested",
      to: "authorized",
      actor: "system",
      emails: [mail(rmaNumber, "again", `auth:${rmaNumber}`), mail(rmaNumber, "new")],
      env,
      now: later(1),
    });
    expect(result.emailIds).toHaveLength(1);
    const { emails } = await stateOf(rmaNumber);
    expect(emails.map((e) => e["subject"])).toEqual([`${rmaNumber}: first`, `${rmaNumber}: new`]);
  });

  it("cancels a received RMA only when staff grant the customer's request", async () => {
    const rmaNumber = await newRma();
    await moveRma(db, { rmaNumber, from: "requested", to: "authorized", actor: "system", env, now: later(1) });
    await moveRma(db, { rmaNumber, from: "authorized", to: "received", actor: "system", env, now: later(2) });
    const err = await refusal(
      moveRma(db, { rmaNumber, from: "received", to: "cancelled", actor: "customer", env, now: later(3) }),
    );
    expect(err.code).toBe("transition_refused");
    const done = await moveRma(db, {
      rmaNumber,
      from: "received",
      to: "cancelled",
      actor: "staff:admin@alkeria.example",
      cancellationGranted: true,
      env,
      now: later(4),
    });
    expect(done.to).toBe("cancelled");
    expect((await stateOf(rmaNumber)).rma).toMatchObject({ status: "cancelled", cancelled_at: later(4).toISOString() });
  });

  it("lets exactly one of 20 simultaneous moves win: the others get a conflict and write nothing", async () => {
    const rmaNumber = await newRma();
    await moveRma(db, { rmaNumber, from: "requested", to: "authorized", actor: "system", env, now: later(1) });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        moveRma(db, {
          rmaNumber,
          from: "authorized",
          to: "received",
          actor: `staff:clerk${i}@alkeria.example`,
          emails: [mail(rmaNumber, `received by clerk ${i}`)],
          env,
          now: later(2),
        }).then(
          (r) => ({ ok: true as const, r }),
          (e: unknown) => ({ ok: false as const, e }),
        ),
      ),
    );
    const wins = outcomes.filter((o) => o.ok);
    const losses = outcomes.flatMap((o) => (o.ok ? [] : [o.e]));
    expect(wins).toHaveLength(1);
    expect(losses).toHaveLength(19);
    for (const e of losses) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).code).toBe("conflict");
      expect((e as ApiError).message).toContain("it is now received");
    }
    const { rma, events, emails } = await stateOf(rmaNumber);
    expect(rma).toMatchObject({ status: "received", version: 3 });
    expect(events.filter((e) => e["to_status"] === "received")).toHaveLength(1);
    expect(emails).toHaveLength(1);
  });
});

describe("recording an event that is not a move", () => {
  it("records it with its emails in one round trip, leaving the RMA as it was", async () => {
    const rmaNumber = await newRma();
    const before = await stateOf(rmaNumber);
    trips.reset();
    const result = await recordEvent(db, {
      rmaNumber,
      actor: "customer",
      kind: "cancellation-requested",
      note: "Found the fault: a bad cable.",
      whenStatus: ["requested", "received"],
      emails: [mail(rmaNumber, "cancellation requested")],
      env,
      now: later(1),
    });
    expect(trips.total).toBe(1);
    expect(result.emailIds).toHaveLength(1);
    const after = await stateOf(rmaNumber);
    expect(after.rma).toEqual(before.rma);
    expect(after.events.at(-1)).toMatchObject({
      actor: "customer",
      kind: "cancellation-requested",
      from_status: null,
      to_status: null,
      note: "Found the fault: a bad cable.",
    });
    expect(after.emails).toHaveLength(1);
  });

  it("refuses it when the RMA is no longer in a status it applies to, writing nothing", async () => {
    const rmaNumber = await newRma();
    const before = await stateOf(rmaNumber);
    const err = await refusal(
      recordEvent(db, {
        rmaNumber,
        actor: "customer",
        kind: "cancellation-requested",
        whenStatus: ["received", "quoted"],
        emails: [mail(rmaNumber, "cancellation requested")],
        env,
        now: later(1),
      }),
    );
    expect(err.code).toBe("conflict");
    expect(err.message).toContain("is now requested");
    expect(await stateOf(rmaNumber)).toEqual(before);
    const missing = await refusal(
      recordEvent(db, { rmaNumber: "RMA-26-000000-A", actor: "system", kind: "note", env, now: NOW }),
    );
    expect(missing.status).toBe(404);
  });
});
