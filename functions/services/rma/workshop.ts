/**
 * The unit at the service centre: receipt, diagnosis (warranty confirmed or refused), the end of the
 * repair, the return shipment and closing. Each is one staff move (or, for a refused warranty, one
 * change with its event), emailed to the customer where it concerns them.
 */
import type { Db } from "../../../db/client.ts";
import type { FailureCategoryRow } from "../../../db/schema/insight.ts";
import { dateOf } from "../../domain/dates.ts";
import { returnAddressOf } from "../../domain/receiving.ts";
import {
  receivedEmail,
  repairFinishedEmail,
  shippedEmail,
  warrantyConfirmedEmail,
  warrantyRefusedEmail,
} from "../../email/letters.ts";
import { Refusal } from "../../errors.ts";
import { encodeText, text } from "../../i18n/text.ts";
import { chosenCategory, diagnosisStatement, firmwareShippedStatement } from "../insight/diagnosis.ts";
import {
  type ActionContext,
  type ActionHandler,
  type ActionResult,
  type LoadedRma,
  mailUnit,
  readerLocale,
  sentences,
  staffChange,
  toCustomer,
} from "./action-context.ts";
import {
  conditionNote,
  diagnosedNote,
  failureNote,
  firmwareShippedNote,
  REPAIRED_NOTE,
  receivedNote,
  shippedNote,
} from "./issuing/notes.ts";

/** The category chosen at diagnosis, checked against the admins' list (one read), or none. */
async function categoryOf(db: Db, code: string | undefined): Promise<FailureCategoryRow | null> {
  return code ? chosenCategory(db, code) : null;
}

export const receive: ActionHandler<"receive"> = async (db, rec, input, ctx) => {
  const today = dateOf(ctx.now);
  const receivedOn = input.receivedOn ?? today;
  if (receivedOn > today) {
    throw new Refusal("validation_failed", text("errors.desk.receive.future"), {
      receivedOn: encodeText(text("errors.desk.receive.futureField", { today })),
    });
  }
  const authorizedOn = rec.rma.authorizedAt ? dateOf(rec.rma.authorizedAt) : today;
  if (receivedOn < authorizedOn) {
    throw new Refusal("validation_failed", text("errors.desk.receive.beforeAuthorized"), {
      receivedOn: encodeText(text("errors.desk.receive.beforeAuthorizedField", { date: authorizedOn })),
    });
  }
  const content = receivedEmail({
    locale: readerLocale(rec),
    name: rec.request.contactName,
    unit: mailUnit(rec.rma),
    receivedOn,
    condition: input.condition,
    covered: rec.rma.warrantyCovered,
  });
  return staffChange(db, rec, ctx, {
    to: "received",
    note: sentences(receivedNote(receivedOn), input.condition && conditionNote(input.condition), input.note),
    set: { receivedOn, receivedCondition: input.condition ?? null },
    emails: [toCustomer(rec, "received", content)],
    done: "received",
  });
};

/**
 * Diagnosis: the fault is a manufacturing defect and the unit is in warranty → repair at no cost (with
 * "no fault found", the unit goes back through the same steps without a repair). A category whose
 * outcome is customer damage refuses the warranty instead, with the root cause as its reason.
 */
export const confirmWarranty: ActionHandler<"confirm-warranty"> = async (db, rec, input, ctx) => {
  const category = await categoryOf(db, input.failureCategory);
  if (category?.outcome === "customer-damage") {
    if (!input.rootCause || input.rootCause.length < 5) {
      throw new Refusal("validation_failed", text("errors.desk.diagnosis.damageDescribe"), {
        rootCause: encodeText(text("errors.desk.diagnosis.damageDescribeField")),
      });
    }
    return refuseWithReason(db, rec, { ...input, reason: input.rootCause }, ctx, category);
  }
  const content = warrantyConfirmedEmail({
    locale: readerLocale(rec),
    name: rec.request.contactName,
    unit: mailUnit(rec.rma),
    note: input.note,
  });
  const noFault = category?.outcome === "no-fault-found";
  return staffChange(db, rec, ctx, {
    to: "repairing",
    covered: rec.rma.warrantyCovered,
    note: sentences(diagnosedNote(noFault), category && !noFault && failureNote(category.name), input.note),
    set: { diagnosedAt: ctx.now.toISOString() },
    emails: [toCustomer(rec, "warranty-confirmed", content)],
    done: "warranty-confirmed",
    before: category
      ? [diagnosisStatement(db, rec.rma.rmaNumber, rec.rma.version, { ...input, failureCategory: category.code }, ctx.now)]
      : [],
  });
};

async function refuseWithReason(
  db: Db,
  rec: LoadedRma,
  input: Parameters<ActionHandler<"refuse-warranty">>[2],
  ctx: ActionContext,
  category: FailureCategoryRow | null,
): Promise<ActionResult> {
  if (category && category.outcome !== "customer-damage") {
    throw new Refusal("validation_failed", text("errors.desk.diagnosis.refuseMeansDamage"), {
      failureCategory: encodeText(text("errors.desk.diagnosis.refuseMeansDamageField", { name: category.name })),
    });
  }
  const content = warrantyRefusedEmail({
    locale: readerLocale(rec),
    name: rec.request.contactName,
    unit: mailUnit(rec.rma),
    reason: input.reason,
  });
  // Refusing the warranty is a diagnosis of customer damage: recorded as such when no category is given.
  const code = category?.code ?? "customer-damage";
  return staffChange(db, rec, ctx, {
    set: { warrantyCovered: false, warrantyRefusedReason: input.reason, diagnosedAt: ctx.now.toISOString() },
    kind: "warranty-refused",
    note: input.reason,
    emails: [toCustomer(rec, "warranty-refused", content)],
    done: "warranty-refused",
    before: [
      diagnosisStatement(
        db,
        rec.rma.rmaNumber,
        rec.rma.version,
        { ...input, rootCause: input.rootCause ?? input.reason, failureCategory: code },
        ctx.now,
      ),
    ],
  });
}

/** Diagnosis: damage caused by the customer. The RMA stays received, now not covered: a quote comes next. */
export const refuseWarranty: ActionHandler<"refuse-warranty"> = async (db, rec, input, ctx) =>
  refuseWithReason(db, rec, input, ctx, await categoryOf(db, input.failureCategory));

export const finishRepair: ActionHandler<"finish-repair"> = async (db, rec, input, ctx) => {
  const content = repairFinishedEmail({
    locale: readerLocale(rec),
    name: rec.request.contactName,
    unit: mailUnit(rec.rma),
    address: returnAddressOf(rec.request),
  });
  return staffChange(db, rec, ctx, {
    to: "returning",
    note: sentences(REPAIRED_NOTE, input.firmwareShipped && firmwareShippedNote(input.firmwareShipped), input.note),
    emails: [toCustomer(rec, "repaired", content)],
    done: "repaired",
    before: input.firmwareShipped
      ? [firmwareShippedStatement(db, rec.rma.rmaNumber, rec.rma.version, input.firmwareShipped)]
      : [],
  });
};

export const ship: ActionHandler<"ship"> = async (db, rec, input, ctx) => {
  const content = shippedEmail({
    locale: readerLocale(rec),
    name: rec.request.contactName,
    unit: mailUnit(rec.rma),
    carrier: input.carrier,
    trackingNumber: input.trackingNumber,
    address: returnAddressOf(rec.request),
    covered: rec.rma.warrantyCovered,
  });
  return staffChange(db, rec, ctx, {
    to: "shipped",
    note: shippedNote(input.carrier, input.trackingNumber),
    set: { returnCarrier: input.carrier, returnTrackingNumber: input.trackingNumber },
    emails: [toCustomer(rec, "shipped", content)],
    done: "shipped",
  });
};

export const close: ActionHandler<"close"> = async (db, rec, input, ctx) => {
  return staffChange(db, rec, ctx, { to: "closed", note: input.note ?? null, done: "closed" });
};
