/**
 * The turnaround targets (working days) and the repair warranty's months, in the `settings` table
 * beside the portal's other settings; the defaults hold until an admin changes them.
 */
import { inArray } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { settings } from "../../../db/schema.ts";
import { DEFAULT_REPAIR_WARRANTY_MONTHS } from "../../domain/repair-warranty.ts";
import type { InsightSettings } from "../../domain/staff-input.ts";
import { DEFAULT_TARGETS } from "../../domain/turnaround.ts";

export const INSIGHT_DEFAULTS: InsightSettings = { ...DEFAULT_TARGETS, repairWarrantyMonths: DEFAULT_REPAIR_WARRANTY_MONTHS };

const KEYS: Record<keyof InsightSettings, string> = {
  decideDays: "turnaround_decide_days",
  diagnoseDays: "turnaround_diagnose_days",
  shipWarrantyDays: "turnaround_ship_warranty_days",
  shipQuotedDays: "turnaround_ship_quoted_days",
  repairWarrantyMonths: "repair_warranty_months",
};

/** The repair warranty's setting key, for statements that read it themselves. */
export const REPAIR_WARRANTY_MONTHS_KEY = KEYS.repairWarrantyMonths;

/** The statement that reads them, to put in a batch; `insightSettingsFrom` reads its rows. */
export function insightSettingsStatement(db: Db) {
  return db
    .select()
    .from(settings)
    .where(inArray(settings.key, Object.values(KEYS)));
}

export function insightSettingsFrom(rows: { key: string; value: string }[]): InsightSettings {
  const out = { ...INSIGHT_DEFAULTS };
  for (const [name, key] of Object.entries(KEYS) as [keyof InsightSettings, string][]) {
    const value = Number(rows.find((r) => r.key === key)?.value);
    if (Number.isInteger(value) && value >= 0) out[name] = value;
  }
  return out;
}

export async function readInsightSettings(db: Db): Promise<InsightSettings> {
  return insightSettingsFrom(await insightSettingsStatement(db));
}

export async function writeInsightSettings(db: Db, next: InsightSettings): Promise<InsightSettings> {
  const [first, ...rest] = (Object.entries(KEYS) as [keyof InsightSettings, string][]).map(([name, key]) =>
    db
      .insert(settings)
      .values({ key, value: String(next[name]) })
      .onConflictDoUpdate({ target: settings.key, set: { value: String(next[name]) } }),
  );
  if (first) await db.batch([first, ...rest]);
  return next;
}
