/**
 * The dashboard's figures, read in one round trip from the aggregate tables the triggers keep (a few
 * rows per month and model, however many RMAs there are): RMAs per month by model, return rates against
 * the registry, failure categories per model, warranty vs paid repairs, quote acceptance and turnaround
 * per stage (median and 90th percentile in working days) against the targets.
 */
import { and, asc, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../../../db/client.ts";
import {
  failureCategories,
  insightFailures,
  insightMonthly,
  insightRegistryUnits,
  insightReturns,
  insightStageDays,
} from "../../../db/schema/insight.ts";
import type { InsightSettings } from "../../domain/staff-input.ts";
import { STAGES, type Stage } from "../../domain/turnaround.ts";
import type { DashboardFilter } from "./dashboard-filter.ts";
import { insightSettingsFrom, insightSettingsStatement } from "./settings.ts";

export interface StageFigure {
  month: string;
  stage: Stage;
  /** RMAs that ended this stage. */
  n: number;
  median: number;
  p90: number;
  /** The target in working days, or null for the customer's stages (transit, quote). */
  target: number | null;
}

export interface DashboardFigures {
  filter: DashboardFilter;
  models: string[];
  settings: InsightSettings;
  perMonth: { month: string; model: string; n: number }[];
  returnRates: { model: string; batch: string; returns: number; units: number; rate: number | null }[];
  failures: { model: string; categoryCode: string; categoryName: string; n: number }[];
  repairs: { month: string; warranty: number; paid: number }[];
  quotes: { month: string; quotes: number; accepted: number; declined: number; rate: number | null }[];
  turnaround: StageFigure[];
}

/** Which target applies to a stage; the repair stage's is the warranty one (the paid one is shown beside it). */
export function targetOf(stage: Stage, s: InsightSettings): number | null {
  switch (stage) {
    case "decision":
      return s.decideDays;
    case "diagnosis":
      return s.diagnoseDays;
    case "repair":
      return s.shipWarrantyDays;
    default:
      return null;
  }
}

/** Median and 90th percentile (nearest rank) from a histogram of `days` → count. */
export function histogramPercentiles(rows: { days: number; n: number }[]): { n: number; median: number; p90: number } | null {
  const sorted = rows.filter((r) => r.n > 0).sort((a, b) => a.days - b.days);
  const total = sorted.reduce((s, r) => s + r.n, 0);
  if (total === 0) return null;
  const rank = (p: number) => {
    const want = Math.max(1, Math.ceil(p * total));
    let seen = 0;
    for (const r of sorted) {
      seen += r.n;
      if (seen >= want) return r.days;
    }
    return (sorted.at(-1) as { days: number }).days;
  };
  return { n: total, median: rank(0.5), p90: rank(0.9) };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export async function dashboardFigures(db: Db, filter: DashboardFilter): Promise<DashboardFigures> {
  const inPeriod = (month: SQLiteColumn, model: SQLiteColumn): SQL | undefined =>
    and(gte(month, filter.from), lte(month, filter.to), filter.model ? eq(model, filter.model) : undefined);
  const [monthly, returns, units, failures, stages, settingRows, modelRows] = await db.batch([
    db
      .select()
      .from(insightMonthly)
      .where(inPeriod(insightMonthly.month, insightMonthly.model))
      .orderBy(asc(insightMonthly.month), asc(insightMonthly.model)),
    db
      .select({ model: insightReturns.model, batch: insightReturns.batch, n: sql<number>`sum(${insightReturns.n})` })
      .from(insightReturns)
      .where(inPeriod(insightReturns.month, insightReturns.model))
      .groupBy(insightReturns.model, insightReturns.batch),
    db
      .select()
      .from(insightRegistryUnits)
      .where(filter.model ? eq(insightRegistryUnits.model, filter.model) : undefined),
    db
      .select({
        model: insightFailures.model,
        categoryCode: insightFailures.categoryCode,
        categoryName: sql<string>`coalesce(${failureCategories.name}, ${insightFailures.categoryCode})`,
        n: sql<number>`sum(${insightFailures.n})`,
      })
      .from(insightFailures)
      .leftJoin(failureCategories, eq(failureCategories.code, insightFailures.categoryCode))
      .where(inPeriod(insightFailures.month, insightFailures.model))
      .groupBy(insightFailures.model, insightFailures.categoryCode)
      .orderBy(asc(insightFailures.model), asc(failureCategories.position), asc(insightFailures.categoryCode)),
    db
      .select({
        month: insightStageDays.month,
        stage: insightStageDays.stage,
        days: insightStageDays.days,
        n: sql<number>`sum(${insightStageDays.n})`,
      })
      .from(insightStageDays)
      .where(inPeriod(insightStageDays.month, insightStageDays.model))
      .groupBy(insightStageDays.month, insightStageDays.stage, insightStageDays.days),
    insightSettingsStatement(db),
    db
      .selectDistinct({ model: insightRegistryUnits.model })
      .from(insightRegistryUnits)
      .where(sql`${insightRegistryUnits.units} > 0`)
      .union(db.selectDistinct({ model: insightMonthly.model }).from(insightMonthly).where(sql`${insightMonthly.requested} > 0`)),
  ]);
  const settings = insightSettingsFrom(settingRows);

  const perMonth = monthly.filter((r) => r.requested > 0).map((r) => ({ month: r.month, model: r.model, n: r.requested }));
  const byMonth = new Map<string, { warranty: number; paid: number; quotes: number; accepted: number; declined: number }>();
  for (const r of monthly) {
    const m = byMonth.get(r.month) ?? { warranty: 0, paid: 0, quotes: 0, accepted: 0, declined: 0 };
    m.warranty += r.warrantyRepairs;
    m.paid += r.paidRepairs;
    m.quotes += r.quotes;
    m.accepted += r.quotesAccepted;
    m.declined += r.quotesDeclined;
    byMonth.set(r.month, m);
  }
  const months = [...byMonth.keys()].sort();
  const unitsOf = new Map(units.map((u) => [`${u.model}|${u.batch}`, u.units]));
  const returnRates = returns
    .filter((r) => Number(r.n) > 0)
    .map((r) => {
      const n = Number(r.n);
      const registry = unitsOf.get(`${r.model}|${r.batch}`) ?? 0;
      return { model: r.model, batch: r.batch, returns: n, units: registry, rate: ratio(n, registry) };
    })
    .sort((a, b) => (a.model === b.model ? (a.batch < b.batch ? -1 : 1) : a.model < b.model ? -1 : 1));

  const turnaround: StageFigure[] = [];
  const stageMonths = [...new Set(stages.map((s) => s.month))].sort();
  for (const month of stageMonths) {
    for (const stage of STAGES) {
      const p = histogramPercentiles(
        stages.filter((s) => s.month === month && s.stage === stage).map((s) => ({ days: s.days, n: Number(s.n) })),
      );
      if (p) turnaround.push({ month, stage, ...p, target: targetOf(stage, settings) });
    }
  }

  return {
    filter,
    models: modelRows.map((m) => m.model).sort(),
    settings,
    perMonth,
    returnRates,
    failures: failures.filter((f) => Number(f.n) > 0).map((f) => ({ ...f, n: Number(f.n) })),
    repairs: months.map((month) => {
      const m = byMonth.get(month) as { warranty: number; paid: number };
      return { month, warranty: m.warranty, paid: m.paid };
    }),
    quotes: months.map((month) => {
      const m = byMonth.get(month) as { quotes: number; accepted: number; declined: number };
      return {
        month,
        quotes: m.quotes,
        accepted: m.accepted,
        declined: m.declined,
        rate: ratio(m.accepted, m.accepted + m.declined),
      };
    }),
    turnaround,
  };
}
