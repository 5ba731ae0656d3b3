/**
 * The one gate for staff actions on an RMA: `actionRefusal` says whether an action is allowed for an RMA
 * now and, if not, why (a code, the rule that refused it, and the message). Each action is a lifecycle
 * move (or a decision that keeps the status, like refusing the warranty), allowed only when the
 * lifecycle allows its move from the RMA's status and its own condition holds. Pure: the RMA page lists
 * the actions it allows (`availableActions`), and the API and every service refuse what it refuses.
 */
import { CANCELLATION_OUTCOME } from "./cancellation.ts";
import { dateOf } from "./dates.ts";
import { effectiveStatus, shipByDate } from "./expiry.ts";
import { checkMove, type MoveOptions } from "./lifecycle.ts";
import type { StaffAction } from "./staff-input.ts";
import type { RmaStatus } from "./status.ts";

export interface ActionableRma {
  status: RmaStatus;
  validUntil: string | null;
  warrantyCovered: boolean;
  cancellationRequestedAt: string | null;
  /** Named in the refusal's message ("This RMA" without it). */
  rmaNumber?: string;
  /** The customer's answer to the quote, once given. */
  quoteDecision?: "accepted" | "declined" | null;
  quoteAnsweredAt?: string | null;
}

/** The units of the RMA's request, for "authorise all". */
export interface RequestUnits {
  /** How many units the request has. */
  units: number;
  /** How many of them still wait for authorisation. */
  waiting: number;
}

/** Why an action is not allowed now: `code` as the API answers it, `reason` the rule that refused it. */
export interface ActionRefusal {
  code:
    | "transition_refused"
    | "rma_expired"
    | "nothing_to_authorize"
    | "cancellation_pending"
    | "not_covered"
    | "covered_by_warranty"
    | "already_answered"
    | "no_quote_waiting"
    | "no_cancellation_request"
    | "too_late_to_cancel";
  reason:
    | "lifecycle"
    | "expired"
    | "nothing-to-authorize"
    | "cancellation-pending"
    | "not-in-diagnosis"
    | "not-covered"
    | "covered"
    | "already-answered"
    | "no-quote-waiting"
    | "quote-not-accepted"
    | "no-cancellation-request"
    | "too-late-to-cancel";
  message: string;
}

/** The status each action moves to; `null` when it keeps the status (a decision recorded as an event). */
export const ACTION_TARGETS: Readonly<Record<Exclude<StaffAction, "authorize-all">, RmaStatus | null>> = {
  authorize: "authorized",
  reject: "rejected",
  cancel: "cancelled",
  receive: "received",
  "confirm-warranty": "repairing",
  "refuse-warranty": null,
  quote: "quoted",
  "record-quote-answer": "repairing",
  "finish-repair": "returning",
  ship: "shipped",
  close: "closed",
  "grant-cancellation": null,
  "refuse-cancellation": null,
};

/** What staff are told about an expired RMA (the page shows it too). */
export function expiredMessage(rma: { rmaNumber: string; validUntil: string | null }): string {
  const day = rma.validUntil ? shipByDate(rma.validUntil) : null;
  return `${rma.rmaNumber} has expired${day ? ` (it had to arrive by ${day})` : ""}: it was not received within 30 days of authorisation. Do not accept a parcel under this number: the customer needs to request a new RMA.`;
}

function lifecycle(rma: ActionableRma, to: RmaStatus, opts: MoveOptions = {}): ActionRefusal | null {
  const check = checkMove(rma.status, to, opts);
  return check.ok ? null : { code: "transition_refused", reason: "lifecycle", message: check.message };
}

/**
 * Why `action` is not allowed for `rma` now, or null when it is. `request` (the units of the RMA's
 * request) is needed only for "authorise all". The version the staff member saw is checked before.
 */
export function actionRefusal(action: StaffAction, rma: ActionableRma, now: Date, request?: RequestUnits): ActionRefusal | null {
  const status = effectiveStatus(rma, now);
  const name = rma.rmaNumber ?? "This RMA";
  // An authorised RMA past its 30 days is expired, recorded or not: it can no longer be authorised, cancelled or received.
  const expired: ActionRefusal | null =
    status === "expired"
      ? { code: "rma_expired", reason: "expired", message: expiredMessage({ rmaNumber: name, validUntil: rma.validUntil }) }
      : null;
  const noRequest: ActionRefusal | null =
    rma.cancellationRequestedAt === null
      ? {
          code: "no_cancellation_request",
          reason: "no-cancellation-request",
          message: `There is no cancellation request waiting on ${name}.`,
        }
      : null;
  // The warranty is decided once, at diagnosis, while the RMA is received. (A quoted RMA must not reach
  // repair by a "confirmed" warranty: only the customer's accepted quote moves it there.)
  const notInDiagnosis: ActionRefusal | null =
    rma.status !== "received"
      ? {
          code: "transition_refused",
          reason: "not-in-diagnosis",
          message: `The warranty is decided at diagnosis, while the RMA is received; ${name} is ${rma.status}.`,
        }
      : null;

  switch (action) {
    case "authorize":
    case "receive":
      return expired ?? lifecycle(rma, ACTION_TARGETS[action] as RmaStatus);
    case "cancel":
      // Staff cancel on the customer's behalf only before the unit reaches us; afterwards it is a request to decide.
      return (
        expired ??
        lifecycle(rma, "cancelled") ??
        (rma.cancellationRequestedAt === null
          ? null
          : {
              code: "cancellation_pending",
              reason: "cancellation-pending",
              message: `${name} has a cancellation request waiting: grant or refuse it.`,
            })
      );
    case "reject":
    case "ship":
    case "close":
      return lifecycle(rma, ACTION_TARGETS[action] as RmaStatus);
    case "authorize-all":
      return request && request.waiting === 0
        ? {
            code: "nothing_to_authorize",
            reason: "nothing-to-authorize",
            message: "No unit of this request is waiting for authorisation: each one already has a decision.",
          }
        : null;
    case "confirm-warranty":
      return notInDiagnosis ?? lifecycle(rma, "repairing", { covered: rma.warrantyCovered });
    case "refuse-warranty":
      return (
        notInDiagnosis ??
        (rma.warrantyCovered
          ? null
          : {
              code: "not_covered",
              reason: "not-covered",
              message: `${name} is not covered by warranty already: send the customer a quote.`,
            })
      );
    case "quote":
      return (
        lifecycle(rma, "quoted") ??
        (rma.warrantyCovered
          ? {
              code: "covered_by_warranty",
              reason: "covered",
              message: `${name} is under warranty: confirm the warranty to repair it at no cost (we pay the return shipping, CPT), or refuse the warranty with its reason first if the damage was caused by the customer.`,
            }
          : null)
      );
    case "record-quote-answer": {
      if (rma.quoteDecision) {
        const when = rma.quoteAnsweredAt ? ` on ${dateOf(rma.quoteAnsweredAt)}` : "";
        return {
          code: "already_answered",
          reason: "already-answered",
          message: `This quote was already answered${when}: it was ${rma.quoteDecision}.`,
        };
      }
      return rma.status === "quoted"
        ? null
        : {
            code: "no_quote_waiting",
            reason: "no-quote-waiting",
            message: `${name} has no quote waiting for an answer (it is ${rma.status}).`,
          };
    }
    case "finish-repair":
      // quoted → returning is the customer declining, not a finished repair.
      return rma.status === "quoted"
        ? {
            code: "transition_refused",
            reason: "quote-not-accepted",
            message: `${name} is quoted: it is repaired only once the customer accepts the quote.`,
          }
        : lifecycle(rma, "returning");
    case "grant-cancellation":
      return (
        noRequest ??
        (CANCELLATION_OUTCOME[status] === undefined
          ? {
              code: "too_late_to_cancel",
              reason: "too-late-to-cancel",
              message: `${name} is ${status}: it is too late to grant the cancellation. Refuse the request with its reason.`,
            }
          : null)
      );
    case "refuse-cancellation":
      return noRequest;
  }
}

/**
 * The actions staff can take on this RMA now, in the order the page shows them. "Authorise all" is
 * offered (with `request`) for a request of several units while one waits; for one unit it is "authorise".
 */
export function availableActions(rma: ActionableRma, now: Date, request?: RequestUnits): StaffAction[] {
  const actions = (Object.keys(ACTION_TARGETS) as StaffAction[]).filter((a) => actionRefusal(a, rma, now) === null);
  if (request && request.units > 1 && actionRefusal("authorize-all", rma, now, request) === null) {
    actions.splice(actions.includes("authorize") ? 1 : 0, 0, "authorize-all");
  }
  return actions;
}
