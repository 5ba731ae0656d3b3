/**
 * The unit at the service centre: receipt, diagnosis (warranty confirmed or refused), the end of the
 * repair, the return shipment and closing. Each is one staff move (or, for a refused warranty, one
 * change with its event), emailed to the customer where it concerns them.
 */
import { dateOf } from "../../domain/dates.ts";
import { returnAddressOf } from "../../domain/receiving.ts";
import {
  receivedEmail,
  repairFinishedEmail,
  shippedEmail,
  warrantyConfirmedEmail,
  warrantyRefusedEmail,
} from "../../email/staff-action-templates.ts";
import { Refusal } from "../../errors.ts";
import { type ActionHandler, mailUnit, sentences, staffChange, toCustomer } from "./action-context.ts";

export const receive: ActionHandler<"receive"> = async (db, rec, input, ctx) => {
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
    note: sentences(`Parcel arrived on ${receivedOn}`, input.condition && `Condition: ${input.condition}`, input.note),
    set: { receivedOn, receivedCondition: input.condition ?? null },
    emails: [toCustomer(rec, "received", content)],
    done: "received",
  });
};

/** Diagnosis: the fault is a manufacturing defect and the unit is in warranty → repair at no cost. */
export const confirmWarranty: ActionHandler<"confirm-warranty"> = async (db, rec, input, ctx) => {
  const content = warrantyConfirmedEmail({ name: rec.request.contactName, unit: mailUnit(rec.rma), note: input.note });
  return staffChange(db, rec, ctx, {
    to: "repairing",
    covered: rec.rma.warrantyCovered,
    note: sentences("Warranty confirmed at diagnosis", input.note),
    set: { diagnosedAt: ctx.now.toISOString() },
    emails: [toCustomer(rec, "warranty-confirmed", content)],
    done: "warranty-confirmed",
  });
};

/** Diagnosis: damage caused by the customer. The RMA stays received, now not covered: a quote comes next. */
export const refuseWarranty: ActionHandler<"refuse-warranty"> = async (db, rec, input, ctx) => {
  const content = warrantyRefusedEmail({ name: rec.request.contactName, unit: mailUnit(rec.rma), reason: input.reason });
  return staffChange(db, rec, ctx, {
    set: { warrantyCovered: false, warrantyRefusedReason: input.reason, diagnosedAt: ctx.now.toISOString() },
    kind: "warranty-refused",
    note: input.reason,
    emails: [toCustomer(rec, "warranty-refused", content)],
    done: "warranty-refused",
  });
};

export const finishRepair: ActionHandler<"finish-repair"> = async (db, rec, input, ctx) => {
  const content = repairFinishedEmail({
    name: rec.request.contactName,
    unit: mailUnit(rec.rma),
    address: returnAddressOf(rec.request),
  });
  return staffChange(db, rec, ctx, {
    to: "returning",
    note: sentences("Repair finished", input.note),
    emails: [toCustomer(rec, "repaired", content)],
    done: "repaired",
  });
};

export const ship: ActionHandler<"ship"> = async (db, rec, input, ctx) => {
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
    note: `Shipped back with ${input.carrier}, tracking number ${input.trackingNumber}.`,
    set: { returnCarrier: input.carrier, returnTrackingNumber: input.trackingNumber },
    emails: [toCustomer(rec, "shipped", content)],
    done: "shipped",
  });
};

export const close: ActionHandler<"close"> = async (db, rec, input, ctx) => {
  return staffChange(db, rec, ctx, { to: "closed", note: input.note ?? null, done: "closed" });
};
