import { getTableColumns } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rmas } from "../../db/schema.ts";
import {
  allowedMoves,
  checkMove,
  customerCancellation,
  isTerminal,
  nextStepFor,
  stageColumn,
  statusLabel,
  TRANSITIONS,
} from "../../functions/domain/lifecycle.ts";
import { RMA_STATUSES, type RmaStatus } from "../../functions/domain/status.ts";

const ALLOWED: [RmaStatus, RmaStatus][] = [
  ["requested", "authorized"],
  ["requested", "rejected"],
  ["requested", "cancelled"],
  ["authorized", "received"],
  ["authorized", "expired"],
  ["authorized", "cancelled"],
  ["received", "repairing"],
  ["received", "quoted"],
  ["quoted", "repairing"],
  ["quoted", "returning"],
  ["repairing", "returning"],
  ["returning", "shipped"],
  ["shipped", "closed"],
];
const isAllowed = (from: RmaStatus, to: RmaStatus) => ALLOWED.some(([f, t]) => f === from && t === to);

describe("lifecycle: which status may follow which", () => {
  it("accepts every move of the lifecycle, and TRANSITIONS lists exactly those", () => {
    for (const [from, to] of ALLOWED) expect(checkMove(from, to), `${from} → ${to}`).toEqual({ ok: true });
    const listed = RMA_STATUSES.flatMap((from) => TRANSITIONS[from].map((to) => [from, to]));
    expect(listed.sort()).toEqual([...ALLOWED].sort());
  });

  it("refuses every other pair of the 11 statuses, naming the moves that are allowed", () => {
    let refused = 0;
    for (const from of RMA_STATUSES) {
      for (const to of RMA_STATUSES) {
        if (isAllowed(from, to)) continue;
        const check = checkMove(from, to);
        expect(check.ok, `${from} → ${to}`).toBe(false);
        if (check.ok) continue;
        refused++;
        expect(check.message).toContain(`An RMA that is ${from}`);
        expect(check.message).toContain(`to ${to}`);
        for (const allowed of allowedMoves(from)) expect(check.message).toContain(allowed);
        if (allowedMoves(from).length === 0) expect(check.message).toContain("is finished");
      }
    }
    expect(refused).toBe(11 * 11 - ALLOWED.length);
  });

  it("words a refusal in plain English", () => {
    expect(checkMove("received", "shipped")).toEqual({
      ok: false,
      message: "An RMA that is received can move to repairing or quoted, not to shipped.",
    });
    expect(checkMove("requested", "closed")).toEqual({
      ok: false,
      message: "An RMA that is requested can move to authorized, rejected or cancelled, not to closed.",
    });
    expect(checkMove("closed", "requested")).toEqual({
      ok: false,
      message: "An RMA that is closed is finished: it cannot move to requested.",
    });
  });

  it("cancels a received RMA only when staff grant the customer's cancellation request", () => {
    const refused = checkMove("received", "cancelled");
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toMatch(/repairing or quoted, not to cancelled unless staff grant/);
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
    expect(Object.fromEntries(RMA_STATUSES.map((s) => [s, customerCancellation(s)]))).toEqual({
      requested: "immediate",
      authorized: "immediate",
      received: "request",
      quoted: "request",
      repairing: "request",
      returning: "request",
      shipped: "refused",
      closed: "refused",
      rejected: "refused",
      cancelled: "refused",
      expired: "refused",
    });
  });

  it("has a label and a next step for every status", () => {
    for (const s of RMA_STATUSES) {
      expect(statusLabel[s]).toBeTruthy();
      expect(nextStepFor(s)).toMatch(/\.$/);
    }
    expect(nextStepFor("requested")).toMatch(/^We are reviewing your request\. Do not ship anything yet/);
    expect(nextStepFor("authorized")).toMatch(/Print the RMA form and label.*ship-by date/);
  });
});
