/**
 * A unit's warranty verdict including the warranty on past repairs (functions/domain/repair-warranty.ts):
 * its past RMAs that were shipped back, each repaired or not (a unit with no fault found, or sent back
 * after a declined quote, was not), and the repair warranty's months from the settings. Statements for
 * the caller's batch (issuing reads them beside the registry rows), one statement that reads registry
 * rows with their past repairs and the setting (for a read that must be a single statement, as the
 * serial check's counted read is).
 */
import { and, eq, inArray, isNotNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { failureCategories, rmaDiagnoses } from "../../../db/schema/insight.ts";
import { products, rmas, settings } from "../../../db/schema.ts";
import { dateOf } from "../../domain/dates.ts";
import type { PastRepair, RepairWarranty } from "../../domain/repair-warranty.ts";
import type { RegistryRecord } from "../../domain/unit-checks.ts";
import { warrantyVerdict } from "../../domain/warranty.ts";
import { type Locale, translator } from "../../i18n/index.ts";
import { insightSettingsFrom, insightSettingsStatement, REPAIR_WARRANTY_MONTHS_KEY as MONTHS_KEY } from "./settings.ts";

/**
 * The past RMAs of one or more serial numbers that were shipped back, with whether the unit was repaired.
 * The serial is a value, a list, or a subquery (`(SELECT serial_number FROM rmas WHERE …)`) when it is
 * read in the same batch.
 */
export function pastRepairsStatement(db: Db, serial: string | readonly string[] | SQL) {
  if (typeof serial === "string") return pastRepairsWhere(db, eq(rmas.serialNumber, serial));
  return pastRepairsWhere(db, isSerialList(serial) ? inArray(rmas.serialNumber, [...serial]) : eq(rmas.serialNumber, serial));
}

function isSerialList(serial: readonly string[] | SQL): serial is readonly string[] {
  return Array.isArray(serial);
}

function pastRepairsWhere(db: Db, serials: SQL | undefined) {
  return db
    .select({
      serialNumber: rmas.serialNumber,
      rmaNumber: rmas.rmaNumber,
      shippedAt: rmas.shippedAt,
      repairingAt: rmas.repairingAt,
      outcome: failureCategories.outcome,
    })
    .from(rmas)
    .leftJoin(rmaDiagnoses, eq(rmaDiagnoses.rmaNumber, rmas.rmaNumber))
    .leftJoin(failureCategories, eq(failureCategories.code, rmaDiagnoses.categoryCode))
    .where(and(serials, isNotNull(rmas.shippedAt)));
}

type RepairRow = { rmaNumber: string; shippedAt: string | null; repairingAt: string | null; outcome: string | null };

export function pastRepairsFrom(rows: readonly RepairRow[]): PastRepair[] {
  return rows.map((r) => ({
    rmaNumber: r.rmaNumber,
    shippedAt: r.shippedAt,
    repaired: r.repairingAt !== null && r.outcome !== "no-fault-found",
  }));
}

/**
 * The past (shipped) RMAs of the serial numbers of one request's RMAs, for reading an issued RMA's
 * verdict again (`repairOfIssued`) in the same batch as the request's RMAs. The request is an id, or a
 * subquery (`(SELECT request_id FROM rmas WHERE rma_number = …)`) when it is read in the same batch.
 */
export function pastRepairsOfRequestStatement(db: Db, requestId: string | SQL) {
  return pastRepairsWhere(
    db,
    inArray(rmas.serialNumber, db.select({ serialNumber: rmas.serialNumber }).from(rmas).where(eq(rmas.requestId, requestId))),
  );
}

/** An issued RMA as stored: what its verdict was judged from, and what was stored of it. */
export interface IssuedVerdict {
  serialNumber: string;
  purchaseDate: string;
  requestedAt: string;
  warrantyCovered: boolean;
  warrantyUntil: string;
}

/**
 * The repair warranty an issued RMA was covered by, or undefined when its original warranty covered it (or
 * nothing did): the RMA row stores the verdict's `covered` and `until` only, so the same rule is applied
 * again to what was known on the day it was requested (repairs shipped later do not count), and the
 * repair is named only when that gives the stored verdict.
 */
export function repairOfIssued(rma: IssuedVerdict, repairs: RepairContext): RepairWarranty | undefined {
  if (!rma.warrantyCovered) return undefined;
  const verdict = warrantyVerdict(rma.purchaseDate, dateOf(rma.requestedAt), {
    past: repairs.past.get(rma.serialNumber) ?? [],
    months: repairs.months,
  });
  return verdict.covered && verdict.repair && verdict.until === rma.warrantyUntil ? verdict.repair : undefined;
}

/**
 * The repair warranty each of these issued RMAs was covered by, by RMA number (`repairOfIssued`). Read
 * only when one may be (covered, but not by its original warranty as stored): then one round trip, else none.
 */
export async function repairsOfIssuedRmas(
  db: Db,
  issued: readonly (IssuedVerdict & { rmaNumber: string })[],
): Promise<Map<string, RepairWarranty>> {
  const maybe = issued.filter((r) => {
    if (!r.warrantyCovered) return false;
    const original = warrantyVerdict(r.purchaseDate, dateOf(r.requestedAt));
    return !(original.covered && original.until === r.warrantyUntil);
  });
  if (maybe.length === 0) return new Map();
  const [repairRows, settingRows] = await db.batch([
    pastRepairsStatement(
      db,
      maybe.map((r) => r.serialNumber),
    ),
    insightSettingsStatement(db),
  ]);
  return repairsOfIssuedFrom(maybe, repairRows, settingRows);
}

/** The repair warranty each issued RMA was covered by, by RMA number, from the rows of the statements above. */
export function repairsOfIssuedFrom(
  issued: readonly (IssuedVerdict & { rmaNumber: string })[],
  repairRows: readonly (RepairRow & { serialNumber: string })[],
  settingRows: { key: string; value: string }[],
): Map<string, RepairWarranty> {
  const repairs = repairContextFrom(repairRows, settingRows);
  const found = new Map<string, RepairWarranty>();
  for (const r of issued) {
    const repair = repairOfIssued(r, repairs);
    if (repair) found.set(r.rmaNumber, repair);
  }
  return found;
}

/** The past repairs of several serial numbers, by serial number (a serial without any has none in the map). */
export function pastRepairsBySerial(rows: readonly (RepairRow & { serialNumber: string })[]): Map<string, PastRepair[]> {
  const out = new Map<string, PastRepair[]>();
  for (const r of rows) {
    const list = out.get(r.serialNumber) ?? [];
    list.push(...pastRepairsFrom([r]));
    out.set(r.serialNumber, list);
  }
  return out;
}

/** What a verdict needs besides the purchase date: each serial's past repairs and the setting's months. */
export interface RepairContext {
  past: Map<string, PastRepair[]>;
  months: number;
}

/** The repair context from the rows of `pastRepairsStatement` and `insightSettingsStatement`. */
export function repairContextFrom(
  repairRows: readonly (RepairRow & { serialNumber: string })[],
  settingRows: { key: string; value: string }[],
): RepairContext {
  return { past: pastRepairsBySerial(repairRows), months: insightSettingsFrom(settingRows).repairWarrantyMonths };
}

/**
 * ONE statement: the registry rows of `serials`, each with its past shipped RMAs (one row per RMA, or one
 * row with null RMA columns) and the repair warranty setting. For reads that must be one statement (the
 * serial check counts the client's checks and reads in one batch whose read is a single statement).
 */
export function registryWithRepairsStatement(db: Db, serials: readonly string[]) {
  return db
    .select({
      serialNumber: products.serialNumber,
      model: products.model,
      purchaseDate: products.purchaseDate,
      rmaNumber: rmas.rmaNumber,
      shippedAt: rmas.shippedAt,
      repairingAt: rmas.repairingAt,
      outcome: failureCategories.outcome,
      months: sql<string | null>`(SELECT ${settings.value} FROM ${settings} WHERE ${settings.key} = ${MONTHS_KEY})`,
    })
    .from(products)
    .leftJoin(rmas, and(eq(rmas.serialNumber, products.serialNumber), isNotNull(rmas.shippedAt)))
    .leftJoin(rmaDiagnoses, eq(rmaDiagnoses.rmaNumber, rmas.rmaNumber))
    .leftJoin(failureCategories, eq(failureCategories.code, rmaDiagnoses.categoryCode))
    .where(inArray(products.serialNumber, [...serials]));
}

type JoinedRow = Omit<RepairRow, "rmaNumber"> & RegistryRecord & { rmaNumber: string | null; months: string | null };

/** The registry records and the repair context from `registryWithRepairsStatement`'s rows. */
export function registryWithRepairsFrom(rows: readonly JoinedRow[]): {
  registry: Map<string, RegistryRecord>;
  repairs: RepairContext;
} {
  const registry = new Map<string, RegistryRecord>();
  const repairRows: (RepairRow & { serialNumber: string })[] = [];
  for (const r of rows) {
    registry.set(r.serialNumber, { serialNumber: r.serialNumber, model: r.model, purchaseDate: r.purchaseDate });
    if (r.rmaNumber !== null) repairRows.push({ ...r, rmaNumber: r.rmaNumber });
  }
  const months = rows.find((r) => r.months !== null)?.months;
  return {
    registry,
    repairs: repairContextFrom(repairRows, months === undefined ? [] : [{ key: MONTHS_KEY, value: months as string }]),
  };
}

/**
 * True (as SQL) when none of `serials` has a past RMA that was shipped back after a repair began: the
 * condition a write that judged its units without reading their past repairs (the one-round-trip issuing
 * path) must add to its guard, so that a unit that may have a repair warranty is decided after reading.
 */
export function noPastRepairCondition(serials: readonly string[]): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM ${rmas} WHERE ${inArray(rmas.serialNumber, [...serials])} AND ${isNotNull(rmas.shippedAt)} AND ${isNotNull(rmas.repairingAt)})`;
}

/** "Covered by the repair warranty of RMA-… until …" in `locale` (the verdict of a unit only a repair covers). */
export function repairWarrantyWords(repair: RepairWarranty, locale: Locale): string {
  const tr = translator(locale);
  return tr.t("insight.repairWarranty.covered", { rma: repair.rmaNumber, until: tr.date(`${repair.until}T00:00:00Z`) });
}
