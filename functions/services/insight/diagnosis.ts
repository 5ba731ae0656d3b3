/**
 * The diagnosis details of an RMA: the failure category (from the list admins maintain), the firmware
 * as received and as shipped, the root cause and the parts replaced. Written with the move that ends
 * the diagnosis (in the same batch, only if that move applies) or on their own afterwards.
 */
import { asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { type FailureCategoryRow, failureCategories, rmaDiagnoses } from "../../../db/schema/insight.ts";
import { rmas } from "../../../db/schema.ts";
import { statusWords } from "../../domain/staff-actions.ts";
import type { DiagnosisInput } from "../../domain/staff-input.ts";
import { Refusal } from "../../errors.ts";
import { encodeText, text } from "../../i18n/text.ts";
import { rmaNotFound } from "../rma/action-context.ts";

/** The categories staff can choose now (retired ones are not offered), in the list's order. */
export function activeCategories(db: Db) {
  return db
    .select()
    .from(failureCategories)
    .where(isNull(failureCategories.retiredAt))
    .orderBy(asc(failureCategories.position), asc(failureCategories.code));
}

/** The category a staff member chose, or a refusal naming the field when it is unknown or retired. */
export async function chosenCategory(db: Db, code: string): Promise<FailureCategoryRow> {
  const [row] = await db.select().from(failureCategories).where(eq(failureCategories.code, code)).limit(1);
  if (!row || row.retiredAt) {
    const codes = (await activeCategories(db)).map((c) => c.code).join(", ");
    throw new Refusal("validation_failed", text("errors.desk.diagnosis.categoryUnknown"), {
      failureCategory: encodeText(text("errors.desk.diagnosis.categoryUnknownField", { code: code.slice(0, 40), codes })),
    });
  }
  return row;
}

/**
 * The statement that records (or corrects) the diagnosis of `rmaNumber`, applied only while the RMA is
 * at `version`: put before a change in its batch, with the version that change expects, it lands exactly
 * when the change does.
 */
export function diagnosisStatement(
  db: Db,
  rmaNumber: string,
  version: number,
  input: DiagnosisInput & { failureCategory: string; firmwareShipped?: string | undefined },
  now: Date,
) {
  const values = {
    category: input.failureCategory,
    firmwareReceived: input.firmwareReceived ?? null,
    rootCause: input.rootCause ?? null,
    partsReplaced: input.partsReplaced ?? null,
    firmwareShipped: input.firmwareShipped ?? null,
  };
  return db.run(sql`
    INSERT INTO ${rmaDiagnoses} (rma_number, category_code, firmware_received, root_cause, parts_replaced, firmware_shipped, diagnosed_at)
    SELECT ${rmaNumber}, ${values.category}, ${values.firmwareReceived}, ${values.rootCause}, ${values.partsReplaced}, ${values.firmwareShipped}, ${now.toISOString()}
    WHERE EXISTS (SELECT 1 FROM ${rmas} WHERE rma_number = ${rmaNumber} AND version = ${version})
    ON CONFLICT (rma_number) DO UPDATE SET
      category_code = excluded.category_code,
      firmware_received = coalesce(excluded.firmware_received, firmware_received),
      root_cause = coalesce(excluded.root_cause, root_cause),
      parts_replaced = coalesce(excluded.parts_replaced, parts_replaced),
      firmware_shipped = coalesce(excluded.firmware_shipped, firmware_shipped)`);
}

/** The firmware as shipped, recorded with the end of the repair (only if that move applies). */
export function firmwareShippedStatement(db: Db, rmaNumber: string, version: number, firmwareShipped: string) {
  return db.run(sql`
    UPDATE ${rmaDiagnoses} SET firmware_shipped = ${firmwareShipped}
    WHERE rma_number = ${rmaNumber} AND EXISTS (SELECT 1 FROM ${rmas} WHERE rma_number = ${rmaNumber} AND version = ${version})`);
}

export async function diagnosisOf(db: Db, rmaNumber: string) {
  const [row] = await db
    .select({
      rmaNumber: rmaDiagnoses.rmaNumber,
      categoryCode: rmaDiagnoses.categoryCode,
      categoryName: failureCategories.name,
      outcome: failureCategories.outcome,
      firmwareReceived: rmaDiagnoses.firmwareReceived,
      rootCause: rmaDiagnoses.rootCause,
      partsReplaced: rmaDiagnoses.partsReplaced,
      firmwareShipped: rmaDiagnoses.firmwareShipped,
      diagnosedAt: rmaDiagnoses.diagnosedAt,
    })
    .from(rmaDiagnoses)
    .innerJoin(failureCategories, eq(failureCategories.code, rmaDiagnoses.categoryCode))
    .where(eq(rmaDiagnoses.rmaNumber, rmaNumber))
    .limit(1);
  return row ?? null;
}

/** Statuses in which the unit is (or was) at the service centre: its diagnosis can be recorded or corrected. */
const DIAGNOSABLE = new Set(["received", "quoted", "repairing", "returning", "shipped", "closed"]);

/**
 * Records or corrects the diagnosis details on their own (e.g. for a quoted unit, whose diagnosis ends
 * with the quote). "Customer damage" and the warranty verdict are decided by the diagnosis actions.
 */
export async function recordDiagnosis(
  db: Db,
  rmaNumber: string,
  input: DiagnosisInput & { failureCategory: string; firmwareShipped?: string | undefined },
  now: Date,
): Promise<NonNullable<Awaited<ReturnType<typeof diagnosisOf>>>> {
  const [rma] = await db
    .select({ status: rmas.status, version: rmas.version })
    .from(rmas)
    .where(eq(rmas.rmaNumber, rmaNumber))
    .limit(1);
  if (!rma) throw new Refusal("not_found", rmaNotFound(rmaNumber));
  if (!DIAGNOSABLE.has(rma.status)) {
    throw new Refusal(
      "transition_refused",
      text("errors.desk.diagnosis.notYet", { number: rmaNumber, status: statusWords(rma.status) }),
    );
  }
  const category = await chosenCategory(db, input.failureCategory);
  if (category.outcome === "customer-damage" && rma.status === "received") {
    throw new Refusal("validation_failed", text("errors.desk.diagnosis.damageUseRefuse"), {
      failureCategory: encodeText(
        text("errors.desk.diagnosis.damageUseRefuseField", { action: text("desk.actions.refuseWarranty.submit") }),
      ),
    });
  }
  await diagnosisStatement(db, rmaNumber, rma.version, input, now);
  const row = await diagnosisOf(db, rmaNumber);
  if (!row) throw new Refusal("conflict", text("errors.desk.changedMeanwhile", { number: rmaNumber }));
  return row;
}
