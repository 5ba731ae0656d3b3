/**
 * Turnaround targets in working days (weekends and Italian public holidays not counted) and what they
 * say about an RMA: when each stage is due, which one is overdue, and how long it spent in each stage.
 *
 * Stages, each from the day it starts to the day it ends (calendar days in UTC):
 * - decision: requested → authorised or rejected, due `decideDays` after the request;
 * - transit: authorised → the parcel's arrival (the customer's time: no target);
 * - diagnosis: arrival → diagnosed (warranty confirmed or refused, or quoted), due `diagnoseDays` after arrival;
 * - quote: quoted → the customer's answer (the customer's time: no target);
 * - repair: diagnosis or accepted quote → shipped back, due `shipWarrantyDays` after arrival for a
 *   warranty repair, `shipQuotedDays` after the accepted quote for a paid one.
 */
import { addDays, dateOf } from "./dates.ts";
import { addWorkingDays, isWorkingDay, workingDaysBetween } from "./working-days.ts";

/** Counts working days as `workingDaysBetween` does (after `from`, up to and including `to`). */
export type WorkingDayCount = (from: string, to: string) => number;

const DAY_MS = 86_400_000;

/**
 * `workingDaysBetween` for many spans at once (a list of RMAs): each day from `origin` on is judged once
 * and counted into a running total, so a span costs two look-ups instead of a walk over its days. Days
 * before `origin` are counted by `workingDaysBetween` itself. Same answers, by the same calendar.
 */
export function workingDayCounter(origin: string): WorkingDayCount {
  const start = Date.parse(`${origin}T00:00:00Z`);
  /** totals[i]: working days after `origin` up to and including origin + i days. */
  const totals: number[] = [0];
  const upTo = (date: string): number | null => {
    const i = Math.round((Date.parse(`${date}T00:00:00Z`) - start) / DAY_MS);
    if (!Number.isInteger(i) || i < 0) return null;
    for (let k = totals.length; k <= i; k++) totals[k] = (totals[k - 1] as number) + (isWorkingDay(addDays(origin, k)) ? 1 : 0);
    return totals[i] as number;
  };
  return (from, to) => {
    const a = upTo(from);
    const b = upTo(to);
    return a === null || b === null ? workingDaysBetween(from, to) : b - a;
  };
}

export interface TurnaroundTargets {
  decideDays: number;
  diagnoseDays: number;
  shipWarrantyDays: number;
  shipQuotedDays: number;
}

export const DEFAULT_TARGETS: TurnaroundTargets = { decideDays: 2, diagnoseDays: 5, shipWarrantyDays: 10, shipQuotedDays: 5 };

export const STAGES = ["decision", "transit", "diagnosis", "quote", "repair"] as const;
export type Stage = (typeof STAGES)[number];

/** The stage times of an RMA, as stored (ISO instants; `receivedOn` a `YYYY-MM-DD`). */
export interface TimedRma {
  requestedAt: string;
  authorizedAt: string | null;
  rejectedAt: string | null;
  cancelledAt: string | null;
  expiredAt: string | null;
  receivedOn: string | null;
  diagnosedAt: string | null;
  quotedAt: string | null;
  quoteDecision: "accepted" | "declined" | null;
  quoteAnsweredAt: string | null;
  shippedAt: string | null;
  warrantyCovered: boolean;
}

export interface StageSpan {
  stage: Stage;
  start: string;
  /** Null while the stage is still running. */
  end: string | null;
  /** Working days spent so far (to `today` while it runs). */
  workingDays: number;
  /** The last day it may end on to meet its target; null for the customer's stages. */
  due: string | null;
  /** Past its due day without having ended, or ended after it. */
  late: boolean;
}

const day = (instant: string | null): string | null => (instant ? dateOf(instant) : null);

/** An RMA that ended without going further (rejected, cancelled, expired) runs no more stages. */
function stopped(rma: TimedRma): string | null {
  return day(rma.rejectedAt) ?? day(rma.cancelledAt) ?? day(rma.expiredAt);
}

/** `count`: how working days are counted (`workingDaysBetween`, or a `workingDayCounter` shared by a list). */
export function stageSpans(
  rma: TimedRma,
  targets: TurnaroundTargets,
  now: Date,
  count: WorkingDayCount = workingDaysBetween,
): StageSpan[] {
  const today = dateOf(now);
  const spans: StageSpan[] = [];
  const end = stopped(rma);
  const add = (stage: Stage, start: string | null, finish: string | null, due: string | null) => {
    if (!start) return;
    const closing = finish ?? end;
    const upTo = closing ?? today;
    spans.push({
      stage,
      start,
      end: closing,
      workingDays: Math.max(0, count(start, upTo)),
      due,
      late: due !== null && upTo > due,
    });
  };
  const requested = dateOf(rma.requestedAt);
  add("decision", requested, day(rma.authorizedAt) ?? day(rma.rejectedAt), addWorkingDays(requested, targets.decideDays));
  add("transit", day(rma.authorizedAt), rma.receivedOn, null);
  const received = rma.receivedOn;
  if (received) {
    const diagnosed = day(rma.diagnosedAt) ?? day(rma.quotedAt);
    add("diagnosis", received, diagnosed, addWorkingDays(received, targets.diagnoseDays));
    add("quote", day(rma.quotedAt), day(rma.quoteAnsweredAt), null);
    if (rma.quoteDecision === "accepted") {
      const accepted = day(rma.quoteAnsweredAt);
      add("repair", accepted, day(rma.shippedAt), accepted && addWorkingDays(accepted, targets.shipQuotedDays));
    } else if (rma.warrantyCovered && diagnosed && !rma.quotedAt) {
      add("repair", diagnosed, day(rma.shippedAt), addWorkingDays(received, targets.shipWarrantyDays));
    }
  }
  return spans;
}

/** The stages of an RMA that are running past their due day now (the queue marks it overdue). */
export function overdueStages(
  rma: TimedRma,
  targets: TurnaroundTargets,
  now: Date,
  count: WorkingDayCount = workingDaysBetween,
): StageSpan[] {
  return stageSpans(rma, targets, now, count).filter((s) => s.end === null && s.late);
}

export function isOverdue(rma: TimedRma, targets: TurnaroundTargets, now: Date): boolean {
  return overdueStages(rma, targets, now).length > 0;
}

/** Median and 90th percentile (nearest rank) of some durations; null for none. */
export function percentiles(values: readonly number[]): { median: number; p90: number } | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
  return { median: rank(0.5), p90: rank(0.9) };
}
