/**
 * The open RMAs running past a turnaround target now (functions/domain/turnaround.ts): waiting for a
 * decision, a diagnosis, or the repair and shipment back. Only RMAs in those statuses are read (index
 * ranges on status), never the closed ones; the queue marks them and lists them first.
 */
import { inArray } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { rmas } from "../../../db/schema.ts";
import type { InsightSettings } from "../../domain/staff-input.ts";
import { overdueStages, type Stage, type TimedRma } from "../../domain/turnaround.ts";
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
  return rows
    .flatMap((r) =>
      overdueStages(r, targets, now).map((s) => ({
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
