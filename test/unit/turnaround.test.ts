import { describe, expect, it } from "vitest";
import {
  DEFAULT_TARGETS,
  isOverdue,
  overdueStages,
  percentiles,
  stageSpans,
  type TimedRma,
} from "../../functions/domain/turnaround.ts";

const base: TimedRma = {
  requestedAt: "2026-11-26T10:00:00.000Z", // Thursday
  authorizedAt: null,
  rejectedAt: null,
  cancelledAt: null,
  expiredAt: null,
  receivedOn: null,
  diagnosedAt: null,
  quotedAt: null,
  quoteDecision: null,
  quoteAnsweredAt: null,
  shippedAt: null,
  warrantyCovered: true,
};
const at = (iso: string) => new Date(iso);

describe("turnaround targets in working days", () => {
  it("is due for a decision 2 working days after the request, across the weekend", () => {
    const [decision] = stageSpans(base, DEFAULT_TARGETS, at("2026-11-30T08:00:00Z"));
    expect(decision).toMatchObject({ stage: "decision", due: "2026-11-30", end: null, late: false, workingDays: 2 });
    expect(isOverdue(base, DEFAULT_TARGETS, at("2026-11-30T23:00:00Z"))).toBe(false);
    expect(overdueStages(base, DEFAULT_TARGETS, at("2026-12-01T08:00:00Z")).map((s) => s.stage)).toEqual(["decision"]);
  });

  it("is no longer overdue once decided, but remembers it was late", () => {
    const rma = { ...base, authorizedAt: "2026-12-02T09:00:00.000Z" };
    expect(isOverdue(rma, DEFAULT_TARGETS, at("2026-12-03T08:00:00Z"))).toBe(false);
    expect(stageSpans(rma, DEFAULT_TARGETS, at("2026-12-03T08:00:00Z"))[0]).toMatchObject({ late: true, workingDays: 4 });
  });

  it("sets no target on the customer's time in transit", () => {
    const rma = { ...base, authorizedAt: "2026-11-26T12:00:00.000Z" };
    expect(isOverdue(rma, DEFAULT_TARGETS, at("2027-01-10T08:00:00Z"))).toBe(false);
  });

  it("is due for diagnosis 5 working days after arrival and for shipment 10 after it under warranty", () => {
    const rma = { ...base, authorizedAt: "2026-11-26T12:00:00.000Z", receivedOn: "2026-12-01" };
    // 5 working days from Tuesday 1 December, 8 December a holiday: Wednesday 9.
    expect(stageSpans(rma, DEFAULT_TARGETS, at("2026-12-09T10:00:00Z")).find((s) => s.stage === "diagnosis")?.due).toBe(
      "2026-12-09",
    );
    expect(isOverdue(rma, DEFAULT_TARGETS, at("2026-12-10T10:00:00Z"))).toBe(true);
    const diagnosed = { ...rma, diagnosedAt: "2026-12-03T10:00:00.000Z" };
    const repair = stageSpans(diagnosed, DEFAULT_TARGETS, at("2026-12-10T10:00:00Z")).find((s) => s.stage === "repair");
    expect(repair).toMatchObject({ start: "2026-12-03", due: "2026-12-16", late: false });
    expect(overdueStages(diagnosed, DEFAULT_TARGETS, at("2026-12-17T10:00:00Z")).map((s) => s.stage)).toEqual(["repair"]);
  });

  it("is due for shipment 5 working days after an accepted quote, and waits for the customer's answer without a target", () => {
    const rma = {
      ...base,
      warrantyCovered: false,
      authorizedAt: "2026-11-26T12:00:00.000Z",
      receivedOn: "2026-12-01",
      quotedAt: "2026-12-02T10:00:00.000Z",
    };
    expect(isOverdue(rma, DEFAULT_TARGETS, at("2027-02-01T10:00:00Z"))).toBe(false);
    const accepted = { ...rma, quoteDecision: "accepted" as const, quoteAnsweredAt: "2027-01-04T10:00:00.000Z" };
    const repair = stageSpans(accepted, DEFAULT_TARGETS, at("2027-01-05T10:00:00Z")).find((s) => s.stage === "repair");
    // Monday 4 January + 5 working days, 6 January (Epiphany) a holiday: Tuesday 12.
    expect(repair?.due).toBe("2027-01-12");
  });

  it("follows the targets it is given", () => {
    const targets = { ...DEFAULT_TARGETS, decideDays: 10 };
    expect(isOverdue(base, targets, at("2026-12-02T08:00:00Z"))).toBe(false);
  });

  it("runs no stage after a rejection", () => {
    const rma = { ...base, rejectedAt: "2026-11-27T10:00:00.000Z" };
    expect(stageSpans(rma, DEFAULT_TARGETS, at("2027-01-01T00:00:00Z"))).toEqual([
      { stage: "decision", start: "2026-11-26", end: "2026-11-27", workingDays: 1, due: "2026-11-30", late: false },
    ]);
  });

  it("gives the median and the 90th percentile by nearest rank", () => {
    expect(percentiles([])).toBeNull();
    expect(percentiles([5, 1, 3, 2, 4, 6, 7, 8, 9, 10])).toEqual({ median: 5, p90: 9 });
  });
});
