import { getTableColumns } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rmas } from "../../db/schema.ts";
import {
  allowedMoves,
  type CustomerCancellation,
  checkMove,
  customerCancellation,
  isTerminal,
  type MoveOptions,
  nextStepFor,
  stageColumn,
  statusLabel,
  TRANSITIONS,
} from "../../functions/domain/lifecycle.ts";
import { moveRefusal } from "../../functions/domain/staff-actions.ts";
import { RMA_STATUSES, type RmaStatus } from "../../functions/domain/status.ts";
import { say } from "../../functions/i18n/text.ts";

/**
 * How an RMA goes, as the business runs it: every journey from the customer's request to where it ends.
 * All returns are pre-approved (authorised or not); an authorised unit must arrive within 30 days; a unit
 * under warranty is repaired, any other gets a quote first, and a declined quote sends the unit back
 * unrepaired; whatever was repaired or not goes back to the customer, and the RMA is closed.
 */
const JOURNEYS: Record<string, readonly RmaStatus[]> = {
  "repaired under warranty": ["requested", "authorized", "received", "repairing", "returning", "shipped", "closed"],
  "quote accepted": ["requested", "authorized", "received", "quoted", "repairing", "returning", "shipped", "closed"],
  "quote declined: sent back unrepaired": ["requested", "authorized", "received", "quoted", "returning", "shipped", "closed"],
  "not authorised": ["requested", "rejected"],
  "cancelled while under review": ["requested", "cancelled"],
  "cancelled once authorised": ["requested", "authorized", "cancelled"],
  "not received within 30 days": ["requested", "authorized", "expired"],
};
/** Where the journeys end: nothing follows. */
const ENDS = ["cancelled", "closed", "expired", "rejected"];

const key = (from: RmaStatus, to: RmaStatus) => `${from} → ${to}`;
const stepsOf = (journey: readonly RmaStatus[]) =>
  journey.slice(1).map((to, i) => [journey[i] as RmaStatus, to] as [RmaStatus, RmaStatus]);
const JOURNEY_STEPS = new Set(Object.values(JOURNEYS).flatMap((j) => stepsOf(j).map(([from, to]) => key(from, to))));
const PAIRS = RMA_STATUSES.flatMap((from) => RMA_STATUSES.map((to) => [from, to] as [RmaStatus, RmaStatus]));

/** Whatever staff may add to a move: granting a cancellation request, or giving the warranty verdict. */
const EVERY_OPTION: MoveOptions[] = [{}, { cancellationGranted: true }, { covered: true }, { covered: false }];
/** Where checkMove lets an RMA go from `from` in one move, under any of those options. */
const nextOf = (from: RmaStatus) => RMA_STATUSES.filter((to) => EVERY_OPTION.some((o) => checkMove(from, to, o).ok));
/** The statuses reachable from `start` by checkMove's moves, never passing through `avoiding`. */
function reachable(start: RmaStatus, avoiding: RmaStatus[] = []): Set<RmaStatus> {
  const seen = new Set<RmaStatus>([start]);
  const queue = [start];
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
    for (const to of nextOf(s)) {
      if (seen.has(to) || avoiding.includes(to)) continue;
      seen.add(to);
      queue.push(to);
    }
  }
  return seen;
}

describe("lifecycle: which status may follow which", () => {
  it("accepts every step of every journey", () => {
    for (const [name, journey] of Object.entries(JOURNEYS)) {
      for (const [from, to] of stepsOf(journey)) expect(checkMove(from, to), `${name}: ${from} → ${to}`).toEqual({ ok: true });
    }
    // With the warranty verdict given: a covered unit goes straight to repair, an uncovered one by a quote.
    for (const [from, to] of stepsOf(JOURNEYS["repaired under warranty"] ?? [])) {
      expect(checkMove(from, to, { covered: true }), `${from} → ${to}`).toEqual({ ok: true });
    }
    for (const name of ["quote accepted", "quote declined: sent back unrepaired"]) {
      for (const [from, to] of stepsOf(JOURNEYS[name] ?? [])) {
        expect(checkMove(from, to, { covered: false }), `${name}: ${from} → ${to}`).toEqual({ ok: true });
      }
    }
  });

  it("meets every status on some journey", () => {
    expect(new Set(Object.values(JOURNEYS).flat())).toEqual(new Set(RMA_STATUSES));
  });

  it("allows exactly the journeys' steps, and allowedMoves and TRANSITIONS list exactly those", () => {
    const allowed = new Set(PAIRS.filter(([from, to]) => checkMove(from, to).ok).map(([from, to]) => key(from, to)));
    expect(allowed).toEqual(JOURNEY_STEPS);
    expect(new Set(RMA_STATUSES.flatMap((from) => allowedMoves(from).map((to) => key(from, to))))).toEqual(JOURNEY_STEPS);
    expect(new Set(RMA_STATUSES.flatMap((from) => TRANSITIONS[from].map((to) => key(from, to))))).toEqual(JOURNEY_STEPS);
  });

  it("refuses every other pair of the 11 statuses, naming the moves that are allowed", () => {
    let refused = 0;
    for (const [from, to] of PAIRS) {
      if (JOURNEY_STEPS.has(key(from, to))) continue;
      expect(checkMove(from, to).ok, `${from} → ${to}`).toBe(false);
      const why = moveRefusal(from, to);
      expect(why, `${from} → ${to}`).not.toBeNull();
      if (!why) continue;
      refused++;
      const message = say("en", why);
      expect(message).toContain(`An RMA that is ${from}`);
      expect(message).toContain(`to ${to}`);
      const onward = RMA_STATUSES.filter((next) => JOURNEY_STEPS.has(key(from, next)));
      for (const next of onward) expect(message, `${from} → ${to}`).toContain(next);
      if (onward.length === 0) expect(message).toContain("is finished");
    }
    expect(refused).toBe(11 * 11 - JOURNEY_STEPS.size);
  });

  it("never moves an RMA back into requested: a request is only ever made by the customer", () => {
    for (const from of RMA_STATUSES) {
      for (const o of EVERY_OPTION)
        expect(checkMove(from, "requested", o).ok, `${from} → requested ${JSON.stringify(o)}`).toBe(false);
    }
  });

  it("reaches every status from requested", () => {
    expect(reachable("requested")).toEqual(new Set(RMA_STATUSES));
  });

  it("lets nothing out of the statuses journeys end in, whatever staff decide, and is finished nowhere else", () => {
    expect(RMA_STATUSES.filter((s) => nextOf(s).length === 0).sort()).toEqual(ENDS);
    for (const end of ENDS) {
      expect(isTerminal(end as RmaStatus), end).toBe(true);
      for (const to of RMA_STATUSES) {
        for (const o of EVERY_OPTION) expect(checkMove(end as RmaStatus, to, o).ok, `${end} → ${to}`).toBe(false);
      }
    }
  });

  it("only moves forward: no RMA comes back to a status it has left", () => {
    for (const from of RMA_STATUSES) {
      for (const to of nextOf(from)) expect(reachable(to).has(from), `${from} → ${to} → … → ${from}`).toBe(false);
    }
  });

  it("repairs or quotes only a unit that was received", () => {
    const withoutReceipt = reachable("requested", ["received"]);
    for (const s of ["repairing", "quoted", "returning", "shipped", "closed"] as const) {
      expect(withoutReceipt.has(s), s).toBe(false);
    }
  });

  it("words a refusal in plain English (moveRefusal, said in English)", () => {
    const said = (from: RmaStatus, to: RmaStatus) => {
      const why = moveRefusal(from, to);
      return why && say("en", why);
    };
    expect(said("received", "shipped")).toBe("An RMA that is received can move to repairing or quoted, not to shipped.");
    expect(said("requested", "closed")).toBe(
      "An RMA that is requested can move to authorized, rejected or cancelled, not to closed.",
    );
    expect(said("closed", "requested")).toBe("An RMA that is closed is finished: it cannot move to requested.");
    expect(said("received", "received")).not.toBeNull();
    expect(said("received", "quoted")).toBeNull();
  });

  it("cancels a received RMA only when staff grant the customer's cancellation request", () => {
    expect(checkMove("received", "cancelled").ok).toBe(false);
    const why = moveRefusal("received", "cancelled");
    expect(why && say("en", why)).toMatch(/repairing or quoted, not to cancelled unless staff grant/);
    expect(checkMove("received", "cancelled", { cancellationGranted: true })).toEqual({ ok: true });
    // The option opens no other door.
    expect(checkMove("quoted", "cancelled", { cancellationGranted: true }).ok).toBe(false);
    expect(checkMove("shipped", "cancelled", { cancellationGranted: true }).ok).toBe(false);
    expect(checkMove("received", "closed", { cancellationGranted: true }).ok).toBe(false);
  });

  it("sends an uncovered unit to a quote before repair when the warranty verdict is given", () => {
    expect(checkMove("received", "repairing", { covered: false }).ok).toBe(false);
    expect(checkMove("received", "repairing", { covered: true }).ok).toBe(true);
    expect(checkMove("received", "quoted", { covered: true }).ok).toBe(true); // warranty refused at diagnosis
    expect(checkMove("quoted", "repairing", { covered: false }).ok).toBe(true); // quote accepted
  });

  it("knows the terminal statuses", () => {
    expect(RMA_STATUSES.filter(isTerminal).sort()).toEqual(["cancelled", "closed", "expired", "rejected"]);
  });

  it("names, for every status, a timestamp column the rmas table really has", () => {
    const columns = getTableColumns(rmas);
    for (const status of RMA_STATUSES) expect(columns, status).toHaveProperty(stageColumn(status));
    expect(new Set(RMA_STATUSES.map(stageColumn)).size).toBe(RMA_STATUSES.length);
  });
});

describe("lifecycle: what the customer sees", () => {
  it("lets the customer cancel at once before shipping, ask while we hold the unit, and not after", () => {
    for (const [name, journey] of Object.entries(JOURNEYS)) {
      const received = journey.indexOf("received");
      const shipped = journey.indexOf("shipped");
      journey.forEach((status, i) => {
        const expected: CustomerCancellation =
          i === journey.length - 1
            ? "refused" // the RMA is over
            : received === -1 || i < received
              ? "immediate" // nothing has reached us yet
              : shipped === -1 || i < shipped
                ? "request" // we hold the unit (until it is shipped back): staff decide
                : "refused"; // the unit is on its way back
        expect(customerCancellation(status), `${name}: ${status}`).toBe(expected);
      });
    }
  });

  it("cancels at once by an ordinary move, and leaves a request for staff to grant where they can", () => {
    for (const status of RMA_STATUSES) {
      const cancellation = customerCancellation(status);
      const plain = checkMove(status, "cancelled").ok;
      const granted = checkMove(status, "cancelled", { cancellationGranted: true }).ok;
      if (cancellation === "immediate") expect(plain, status).toBe(true);
      else expect(plain, status).toBe(false);
      if (cancellation === "refused") expect(granted, status).toBe(false);
    }
    // Granting a request: a received unit is cancelled; a quoted or repairing one is sent back instead.
    expect(checkMove("received", "cancelled", { cancellationGranted: true }).ok).toBe(true);
    expect(checkMove("quoted", "returning").ok).toBe(true);
    expect(checkMove("repairing", "returning").ok).toBe(true);
  });

  it("has a label and a next step for every status", () => {
    for (const s of RMA_STATUSES) {
      expect(statusLabel(s)).toBeTruthy();
      expect(nextStepFor(s)).toMatch(/\.$/);
    }
    expect(nextStepFor("requested")).toMatch(/^We are reviewing your request\. Do not ship anything yet/);
    expect(nextStepFor("authorized")).toMatch(/Print the RMA form and label.*ship-by date/);
  });
});
