/**
 * The unit at the service centre: receipt, diagnosis (warranty confirmed or refused), the end of the
 * repair, the return shipment and closing. Each is one staff move (or, for a refused warranty, one
 * change with its event), emailed to the customer where it concerns them.
 */
import type { Db } from "../../../db/client.ts";
import { dateOf } from "../../domain/dates.ts";
import { returnAddressOf } from "../../domain/receiving.ts";
import type { ActionInput } from "../../domain/staff-input.ts";
import {
  receivedEmail,
  repairFinishedEmail,
  shippedEmail,
  warrantyConfirmedEmail,
  warrantyRefusedEmail,
} from "../../email/staff-action-templates.ts";
import { Refusal } from "../../errors.ts";
import {
  type ActionContext,
  type ActionResult,
  type LoadedRma,
  mailUnit,
  sentences,
  staffChange,
  toCustomer,
} from "./action-context.ts";

export async function receive(db: Db, rec: LoadedRma, input: ActionInput<"receive">, ctx: ActionContext): Promise<ActionResult> {
  const today = dateOf(ctx.now);
  const receivedOn = input.receivedOn ?? today;
  if (receivedOn > today) {
    throw new Refusal("validation_failed", "The arrival date cannot be in the future.", {
      receivedOn: `The arrival date cannot be after today (${today}).`,
    });
  }
  const authorizedOn = rec.rma.authorizedAt ? dateOf(rec.rma.authorizedAt) : today;
  if (receivedOn < authorizedOn) {
    throw new Refusal("validation_failed", "The arrival date is before the RMA was authorised.", {
      receivedOn: `The RMA was authorised on ${authorizedOn}: the parcel cannot have arrived before.`,
    });
  }
  const content = receivedEmail({
    name: rec.request.contactName,
    unit: mailUnit(rec.rma),
    receivedOn,
    condition: input.condition,
    covered: rec.rma.warrantyCovered,
  });
  return staffChange(db, rec, ctx, {
    to: "received",
    version: input.version,
    note: sentences(`Parcel arrived on ${receivedOn}`, input.condition && `Condition: ${input.condition}`, input.note),
    set: { receivedOn, receivedCondition: input.condition ?? null },
    emails: [toCustomer(rec, "received", content)],
    done: "received",
  });
}

/** Diagnosis: the fault is a manufacturing defect and the unit is in warranty → repair at no cost. */
export async function confirmWarranty(
  db: Db,
  rec: LoadedRma,
  input: ActionInput<"confirm-warranty">,
  ctx: ActionContext,
): Promise<ActionResult> {
  const content = warrantyConfirmedEmail({ name: rec.request.contactName, unit: mailUnit(rec.rma), note: input.note });
  return staffChange(db, rec, ctx, {
    to: "repairing",
    version: input.version,
    covered: rec.rma.warrantyCovered,
    note: sentences("Warranty confirmed at diagnosis", input.note),
    set: { diagnosedAt: ctx.now.toISOString() },
    emails: [toCustomer(rec, "warranty-confirmed", content)],
    done: "warranty-confirmed",
  });
}

/** Diagnosis: damage caused by the customer. The RMA stays received, now not covered: a quote comes next. */
export async function refuseWarranty(
  db: Db,
  rec: LoadedRma,
  input: ActionInput<"refuse-warranty">,
  ctx: ActionContext,
): Promise<ActionResult> {
  const content = warrantyRefusedEmail({ name: rec.request.contactName, unit: mailUnit(rec.rma), reason: input.reason });
  return staffChange(db, rec, ctx, {
    version: input.version,
    set: { warrantyCovered: false, warrantyRefusedReason: input.reason, diagnosedAt: ctx.now.toISOString() },
    kind: "warranty-refused",
    note: input.reason,
    emails: [toCustomer(rec, "warranty-refused", content)],
    done: "warranty-refused",
  });
}

export async function finishRepair(
  db: Db,
  rec: LoadedRma,
  input: ActionInput<"finish-repair">,
  ctx: ActionContext,
): Promise<ActionResult> {
  const content = repairFinishedEmail({
    name: rec.request.contactName,
    unit: mailUnit(rec.rma),
    address: returnAddressOf(rec.request),
  });
  return staffChange(db, rec, ctx, {
    to: "returning",
    version: input.version,
    note: sentences("Repair finished", input.note),
    emails: [toCustomer(rec, "repaired", content)],
    done: "repaired",
  });
}

export async function ship(db: Db, rec: LoadedRma, input: ActionInput<"ship">, ctx: ActionContext): Promise<ActionResult> {
  const content = shippedEmail({
    name: rec.request.contactName,
    unit: mailUnit(rec.rma),
    carrier: input.carrier,
    trackingNumber: input.trackingNumber,
    address: returnAddressOf(rec.request),
    covered: rec.rma.warrantyCovered,
  });
  return staffChange(db, rec, ctx, {
    to: "shipped",
    version: input.version,
    note: `Shipped back with ${input.carrier}, tracking number ${input.trackingNumber}.`,
    set: { returnCarrier: input.carrier, returnTrackingNumber: input.trackingNumber },
    emails: [toCustomer(rec, "shipped", content)],
    done: "shipped",
  });
}

export async function close(db: Db, rec: LoadedRma, input: ActionInput<"close">, ctx: ActionContext): Promise<ActionResult> {
  return staffChange(db, rec, ctx, { to: "closed", version: input.version, note: input.note ?? null, done: "closed" });
}
