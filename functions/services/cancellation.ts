/**
 * Cancelling an RMA, whoever asks. A customer's cancellation goes by stage: before the unit is with us
 * it is cancelled at once; once we have received it the reason becomes a request staff decide; once it
 * has been shipped back or closed it is refused. Every case is an event in the log and emails the
 * customer and staff.
 *
 * Staff cancel on the customer's behalf before the unit arrives (they may ask by email, as the FAQ
 * says), and decide a customer's request made once the unit is with us. Granting cancels a received
 * unit, and sends back unrepaired a unit already quoted or being repaired; refusing keeps the RMA as it
 * is. Either clears the request and emails the customer.
 */
import { isNotNull, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { rmas } from "../../db/schema.ts";
import { CANCELLATION_OUTCOME, customerCancellationDecision } from "../domain/cancellation.ts";
import { dateOf } from "../domain/dates.ts";
import { effectiveStatus } from "../domain/expiry.ts";
import { statusLabel } from "../domain/lifecycle.ts";
import {
  cancellationGrantedEmail,
  cancellationNotPossible,
  cancellationRefusedEmail,
  cancellationRequested,
  cancelledByCustomer,
  cancelledByStaffEmail,
  staffCancellationNotice,
  staffLateCancellationSubject,
} from "../email/letters.ts";
import type { OutgoingEmail } from "../email/outbox.ts";
import { type AppEnv, staffAddress } from "../env.ts";
import { Refusal } from "../errors.ts";
import { DEFAULT_LOCALE, toLocale } from "../i18n/index.ts";
import { say, type Text, text } from "../i18n/text.ts";
import { adminRmaUrl, type LinkContext, rmaUrl } from "../links.ts";
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
} from "./rma/action-context.ts";
import { changeRma } from "./rma/change.ts";
import { cancellationGrantedNote } from "./rma/issuing/notes.ts";
import type { RmaRecord } from "./rma/view.ts";

export interface CancelOutcome {
  outcome: "cancelled" | "requested";
  /** What happened, in English (pages not yet converted); `text` says it in the reader's language. */
  message: string;
  text: Text;
  emailIds: string[];
}

export async function cancelByCustomer(
  db: Db,
  env: AppEnv,
  record: RmaRecord,
  input: { reason: string; links: LinkContext; now: Date },
): Promise<CancelOutcome> {
  const { rma, request } = record;
  const { now, reason } = input;
  const decision = customerCancellationDecision(rma, now);
  // The customer's emails are in the request's language, whatever language this page or client uses.
  const locale = toLocale(request.locale);
  const link = await rmaUrl(input.links, rma.rmaNumber, locale);
  const context = {
    locale,
    name: request.contactName,
    rmaNumber: rma.rmaNumber,
    model: rma.model,
    serialNumber: rma.serialNumber,
    link,
  };
  const staffTo = staffAddress(env);
  const adminUrl = adminRmaUrl(input.links, rma.rmaNumber);
  const staff = (immediate: boolean): OutgoingEmail => ({
    to: staffTo,
    ...staffCancellationNotice({
      rmaNumber: rma.rmaNumber,
      contact: request.contactName,
      email: request.email,
      reason,
      immediate,
      adminUrl,
    }),
  });
  const customer = (content: { subject: string; text: string; html: string }): OutgoingEmail => ({
    to: request.email,
    ...content,
  });

  switch (decision.outcome) {
    case "immediate": {
      const moved = await changeRma(db, {
        rmaNumber: rma.rmaNumber,
        from: rma.status,
        to: "cancelled",
        actor: "customer",
        note: reason,
        expectedVersion: rma.version,
        emails: [customer(cancelledByCustomer({ ...context, reason })), staff(true)],
        env,
        now,
      });
      const done = text("errors.cancel.done", { rmaNumber: rma.rmaNumber });
      return {
        outcome: "cancelled",
        message: say(DEFAULT_LOCALE, done),
        text: done,
        emailIds: moved.emailIds,
      };
    }
    case "request": {
      const changed = await changeRma(db, {
        rmaNumber: rma.rmaNumber,
        set: { cancellationRequestedAt: now.toISOString(), cancellationReason: reason },
        whenStatus: [rma.status],
        where: isNull(rmas.cancellationRequestedAt),
        actor: "customer",
        kind: "cancellation-requested",
        note: reason,
        emails: [
          customer(cancellationRequested({ ...context, reason, statusLabel: statusLabel(decision.status, locale) })),
          staff(false),
        ],
        env,
        now,
      });
      const received = text("errors.cancel.received", { rmaNumber: rma.rmaNumber });
      return {
        outcome: "requested",
        message: say(DEFAULT_LOCALE, received),
        text: received,
        emailIds: changed.emailIds,
      };
    }
    case "refused": {
      const why = decision.message;
      if (decision.recorded) {
        // A late request is still recorded and acknowledged (once a day), so staff see it.
        const day = dateOf(now);
        await changeRma(db, {
          rmaNumber: rma.rmaNumber,
          actor: "customer",
          kind: "cancellation-not-possible",
          note: reason,
          emails: [
            {
              ...customer(cancellationNotPossible({ ...context, why })),
              dedupeKey: `cancel-late:${rma.rmaNumber}:${day}`,
            },
            {
              ...staff(false),
              subject: staffLateCancellationSubject(rma.rmaNumber),
              dedupeKey: `cancel-late-staff:${rma.rmaNumber}:${day}`,
            },
          ],
          env,
          now,
        });
      }
      throw new Refusal(decision.code, why);
    }
  }
}

/** Cancelled on the customer's behalf (requested or authorised: the unit has not reached us). */
export const cancel: ActionHandler<"cancel"> = async (db, rec, input, ctx) => {
  const content = cancelledByStaffEmail({
    locale: readerLocale(rec),
    name: rec.request.contactName,
    unit: mailUnit(rec.rma),
    reason: input.reason,
  });
  return staffChange(db, rec, ctx, {
    to: "cancelled",
    note: input.reason,
    set: { cancellationRequestedAt: null },
    emails: [toCustomer(rec, "cancelled", content)],
    done: "cancelled",
  });
};

export const grantCancellation: ActionHandler<"grant-cancellation"> = async (db, rec, input, ctx) => {
  const { rma } = rec;
  // The gate has refused a grant where there is no outcome (too late to cancel).
  const outcome = CANCELLATION_OUTCOME[effectiveStatus(rma, ctx.now)] ?? "returning";
  const content = cancellationGrantedEmail({
    locale: readerLocale(rec),
    name: rec.request.contactName,
    unit: mailUnit(rma),
    outcome: outcome === "cancelled" ? "cancelled" : "returning",
    note: input.note,
  });
  const email = toCustomer(rec, "cancellation-granted", content);
  const note = sentences(cancellationGrantedNote(outcome !== "cancelled"), input.note);
  if (outcome === rma.status) {
    // Already on its way back: only the decision is recorded.
    return recordDecision(db, rec, ctx, { kind: "cancellation-granted", note, email });
  }
  return staffChange(db, rec, ctx, {
    to: outcome,
    cancellationGranted: true,
    note,
    set: { cancellationRequestedAt: null },
    emails: [email],
    done: "cancellation-granted",
  });
};

export const refuseCancellation: ActionHandler<"refuse-cancellation"> = async (db, rec, input, ctx) => {
  const { rma } = rec;
  const content = cancellationRefusedEmail({
    locale: readerLocale(rec),
    name: rec.request.contactName,
    unit: mailUnit(rma),
    reason: input.reason,
  });
  return recordDecision(db, rec, ctx, {
    kind: "cancellation-refused",
    note: input.reason,
    email: toCustomer(rec, "cancellation-refused", content),
  });
};

/** The decision on the waiting request, recorded as an event without moving the RMA; the request is cleared. */
async function recordDecision(
  db: Db,
  rec: LoadedRma,
  ctx: ActionContext,
  decision: { kind: "cancellation-granted" | "cancellation-refused"; note: string | null; email: OutgoingEmail },
): Promise<ActionResult> {
  return staffChange(db, rec, ctx, {
    where: isNotNull(rmas.cancellationRequestedAt),
    set: { cancellationRequestedAt: null },
    kind: decision.kind,
    note: decision.note,
    emails: [decision.email],
    done: decision.kind,
  });
}
