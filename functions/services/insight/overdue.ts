/**
 * The open RMAs running past a turnaround target now (functions/domain/turnaround.ts): waiting for a
 * decision, a diagnosis, or the repair and shipment back. Only RMAs in those statuses are read (index
 * ranges on status), never the closed ones; the queue marks them and lists them first.
 */
import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { rmas } from "../../../db/schema.ts";
import { dateOf } from "../../domain/dates.ts";
import type { InsightSettings } from "../../domain/staff-input.ts";
import { overdueStages, type Stage, type TimedRma, workingDayCounter } from "../../domain/turnaround.ts";
import { insightSettingsFrom, insightSettingsStatement } from "./settings.ts";

/** Statuses in which a stage with a target is running. */
export const TIMED_STATUSES = ["requested", "received", "repairing", "returning"] as const;

export interface OverdueRma {
  rmaNumber: string;
  stage: Stage;
  /** The last day the stage should have ended on. */
  due: string;
  /** Working days it has run. */
  workingDays: number;
}

const timedColumns = {
  rmaNumber: rmas.rmaNumber,
  requestedAt: rmas.requestedAt,
  authorizedAt: rmas.authorizedAt,
  rejectedAt: rmas.rejectedAt,
  cancelledAt: rmas.cancelledAt,
  expiredAt: rmas.expiredAt,
  receivedOn: rmas.receivedOn,
  diagnosedAt: rmas.diagnosedAt,
  quotedAt: rmas.quotedAt,
  quoteDecision: rmas.quoteDecision,
  quoteAnsweredAt: rmas.quoteAnsweredAt,
  shippedAt: rmas.shippedAt,
  warrantyCovered: rmas.warrantyCovered,
};

/** Which of these RMAs are overdue now, most overdue first. */
export function overdueOf(rows: (TimedRma & { rmaNumber: string })[], targets: InsightSettings, now: Date): OverdueRma[] {
  // Every stage starts on or after its request: one running count from the earliest request serves them all.
  const earliest = rows.reduce<string | null>((min, r) => {
    const d = dateOf(r.requestedAt);
    return min === null || d < min ? d : min;
  }, null);
  const count = earliest ? workingDayCounter(earliest) : undefined;
  return rows
    .flatMap((r) =>
      overdueStages(r, targets, now, count).map((s) => ({
        rmaNumber: r.rmaNumber,
        stage: s.stage,
        due: s.due as string,
        workingDays: s.workingDays,
      })),
    )
    .sort((a, b) => (a.due === b.due ? (a.rmaNumber < b.rmaNumber ? -1 : 1) : a.due < b.due ? -1 : 1));
}

/** Every open RMA past a target now, with the targets the settings hold, in one round trip. */
export async function overdueRmas(db: Db, now: Date): Promise<OverdueRma[]> {
  const [rows, settingRows] = await db.batch([
    db
      .select(timedColumns)
      .from(rmas)
      .where(inArray(rmas.status, [...TIMED_STATUSES])),
    insightSettingsStatement(db),
  ]);
  return overdueOf(rows, insightSettingsFrom(settingRows), now);
}

/** How many RMAs of each timed status the queue examines, oldest request first (`overdueFirstStatements`). */
export const QUEUE_OVERDUE_CANDIDATES = 20;

/**
 * For the queue's "overdue first" section, bounded: the `perStatus` oldest requests of each timed status,
 * each an index range in (status, requested_at) order that stops after that many rows, and the targets.
 * The oldest requests of a status are the first to run past a target; the dashboard's list
 * (`overdueRmas`) reads them all.
 */
export function overdueFirstStatements(db: Db, perStatus = QUEUE_OVERDUE_CANDIDATES) {
  return {
    candidates: TIMED_STATUSES.map((status) =>
      db.select(timedColumns).from(rmas).where(eq(rmas.status, status)).orderBy(asc(rmas.requestedAt)).limit(perStatus),
    ),
    settings: insightSettingsStatement(db),
  };
}

/**
 * The overdue RMAs among the rows `overdueFirstStatements` read, most overdue first; `more` when a status
 * had more RMAs than were examined (there may be more overdue ones than listed).
 */
export function overdueFirstFrom(
  candidates: readonly (TimedRma & { rmaNumber: string })[][],
  settingRows: { key: string; value: string }[],
  now: Date,
  perStatus = QUEUE_OVERDUE_CANDIDATES,
): { list: OverdueRma[]; more: boolean } {
  const list = overdueOf(candidates.flat(), insightSettingsFrom(settingRows), now);
  return { list, more: list.length > 0 && candidates.some((c) => c.length >= perStatus) };
}
