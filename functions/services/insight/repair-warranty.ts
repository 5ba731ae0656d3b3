/**
 * A unit's warranty verdict including the warranty on past repairs (functions/domain/repair-warranty.ts):
 * its past RMAs that were shipped back, each repaired or not (a unit with no fault found, or sent back
 * after a declined quote, was not), and the repair warranty's months from the settings. Two statements
 * for the caller's batch, or `verdictWithRepairs` in one round trip.
 */
import { and, eq, isNotNull, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { failureCategories, rmaDiagnoses } from "../../../db/schema/insight.ts";
import { rmas } from "../../../db/schema.ts";
import { type CombinedVerdict, combinedVerdict, type PastRepair } from "../../domain/repair-warranty.ts";
import type { WarrantyVerdict } from "../../domain/warranty.ts";
import { insightSettingsFrom, insightSettingsStatement } from "./settings.ts";

/**
 * The past RMAs of a serial number that were shipped back, with whether the unit was repaired. The serial
 * is a value, or a subquery (`(SELECT serial_number FROM rmas WHERE …)`) when it is read in the same batch.
 */
export function pastRepairsStatement(db: Db, serialNumber: string | SQL) {
  return db
    .select({
      rmaNumber: rmas.rmaNumber,
      shippedAt: rmas.shippedAt,
      repairingAt: rmas.repairingAt,
      outcome: failureCategories.outcome,
    })
    .from(rmas)
    .leftJoin(rmaDiagnoses, eq(rmaDiagnoses.rmaNumber, rmas.rmaNumber))
    .leftJoin(failureCategories, eq(failureCategories.code, rmaDiagnoses.categoryCode))
    .where(and(eq(rmas.serialNumber, serialNumber), isNotNull(rmas.shippedAt)));
}

export function pastRepairsFrom(
  rows: { rmaNumber: string; shippedAt: string | null; repairingAt: string | null; outcome: string | null }[],
): PastRepair[] {
  return rows.map((r) => ({
    rmaNumber: r.rmaNumber,
    shippedAt: r.shippedAt,
    repaired: r.repairingAt !== null && r.outcome !== "no-fault-found",
  }));
}

/** The verdict for `serialNumber` on `requestDate`, its original verdict given, in one round trip. */
export async function verdictWithRepairs(
  db: Db,
  serialNumber: string,
  original: WarrantyVerdict,
  requestDate: string,
): Promise<CombinedVerdict> {
  const [repairs, settingRows] = await db.batch([pastRepairsStatement(db, serialNumber), insightSettingsStatement(db)]);
  return combinedVerdict(original, pastRepairsFrom(repairs), requestDate, insightSettingsFrom(settingRows).repairWarrantyMonths);
}
