/**
 * Cancellations decided by staff: cancelling on the customer's behalf before the unit arrives (they
 * may ask by email, as the FAQ says), and deciding a customer's cancellation request made once the
 * unit is with us. Granting cancels a received unit, and sends back unrepaired a unit already quoted
 * or being repaired; refusing keeps the RMA as it is. Either clears the request and emails the customer.
 */
import { isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { rmas } from "../../db/schema.ts";
import { effectiveStatus } from "../domain/expiry.ts";
import { CANCELLATION_OUTCOME } from "../domain/staff-actions.ts";
import type { ActionInput } from "../domain/staff-input.ts";
import type { OutgoingEmail } from "../email/outbox.ts";
import { cancellationGrantedEmail, cancellationRefusedEmail, cancelledByStaffEmail } from "../email/staff-action-templates.ts";
import { ApiError } from "../errors.ts";
import {
  type ActionContext,
  type ActionResult,
  checkVersion,
  type LoadedRma,
  mailUnit,
  refuseIfExpired,
  sentences,
  staffMove,
  toCustomer,
} from "./admin-rma-context.ts";
import { changeRma } from "./transition.ts";

/** Cancelled on the customer's behalf (requested or authorised: the unit has not reached us). */
export async function cancel(db: Db, rec: LoadedRma, input: ActionInput<"cancel">, ctx: ActionContext): Promise<ActionResult> {
  refuseIfExpired(rec, ctx.now);
  checkVersion(rec, input.version, ctx.now);
  const content = cancelledByStaffEmail({ name: rec.request.contactName, unit: mailUnit(rec.rma), reason: input.reason });
  return staffMove(db, rec, ctx, {
    to: "cancelled",
    version: input.version,
    note: input.reason,
    set: { cancellationRequestedAt: null },
    emails: [toCustomer(rec, "cancelled", content)],
    done: "cancelled",
  });
}

function requirePendingRequest(rec: LoadedRma): void {
  if (rec.rma.cancellationRequestedAt === null) {
    throw new ApiError(409, "no_cancellation_request", `There is no cancellation request waiting on ${rec.rma.rmaNumber}.`);
  }
}

export async function grantCancellation(
  db: Db,
  rec: LoadedRma,
  input: ActionInput<"grant-cancellation">,
  ctx: ActionContext,
): Promise<ActionResult> {
  requirePendingRequest(rec);
  checkVersion(rec, input.version, ctx.now);
  const { rma } = rec;
  const status = effectiveStatus(rma, ctx.now);
  const outcome = CANCELLATION_OUTCOME[status];
  if (outcome === undefined) {
    throw new ApiError(
      409,
      "too_late_to_cancel",
      `${rma.rmaNumber} is ${status}: it is too late to grant the cancellation. Refuse the request with its reason.`,
    );
  }
  const content = cancellationGrantedEmail({
    name: rec.request.contactName,
    unit: mailUnit(rma),
    outcome: outcome === "cancelled" ? "cancelled" : "returning",
    note: input.note,
  });
  const email = toCustomer(rec, "cancellation-granted", content);
  const note = sentences(
    outcome === "cancelled"
      ? "Cancellation granted at the customer's request"
      : "Cancellation granted: the unit goes back unrepaired",
    input.note,
  );
  if (outcome === rma.status) {
    // Already on its way back: only the decision is recorded.
    return recordDecision(db, rec, ctx, { version: input.version, kind: "cancellation-granted", note, email });
  }
  return staffMove(db, rec, ctx, {
    to: outcome,
    version: input.version,
    cancellationGranted: true,
    note,
    set: { cancellationRequestedAt: null },
    emails: [email],
    done: "cancellation-granted",
  });
}

export async function refuseCancellation(
  db: Db,
  rec: LoadedRma,
  input: ActionInput<"refuse-cancellation">,
  ctx: ActionContext,
): Promise<ActionResult> {
  requirePendingRequest(rec);
  checkVersion(rec, input.version, ctx.now);
  const { rma } = rec;
  const content = cancellationRefusedEmail({ name: rec.request.contactName, unit: mailUnit(rma), reason: input.reason });
  return recordDecision(db, rec, ctx, {
    version: input.version,
    kind: "cancellation-refused",
    note: input.reason,
    email: toCustomer(rec, "cancellation-refused", content),
  });
}

/** The decision on the waiting request, recorded as an event without moving the RMA; the request is cleared. */
async function recordDecision(
  db: Db,
  rec: LoadedRma,
  ctx: ActionContext,
  decision: { version: number; kind: "cancellation-granted" | "cancellation-refused"; note: string | null; email: OutgoingEmail },
): Promise<ActionResult> {
  const { rma } = rec;
  const { version, emailIds } = await changeRma(db, {
    rmaNumber: rma.rmaNumber,
    whenStatus: [rma.status],
    expectedVersion: decision.version,
    where: isNotNull(rmas.cancellationRequestedAt),
    set: { cancellationRequestedAt: null },
    actor: ctx.actor,
    kind: decision.kind,
    note: decision.note,
    emails: [decision.email],
    env: ctx.env,
    now: ctx.now,
  });
  return { rmaNumber: rma.rmaNumber, status: rma.status, version, emailIds, done: decision.kind };
}
