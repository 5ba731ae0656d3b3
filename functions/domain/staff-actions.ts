/**
 * The one gate for staff actions on an RMA: `actionRefusal` says whether an action is allowed for an RMA
 * now and, if not, why (a code, the rule that refused it, and the message). Each action is a lifecycle
 * move (or a decision that keeps the status, like refusing the warranty), allowed only when the
 * lifecycle allows its move from the RMA's status and its own condition holds. Pure: the RMA page lists
 * the actions it allows (`availableActions`), and the API and every service refuse what it refuses.
 */
import { DEFAULT_LOCALE, type Locale } from "../i18n/index.ts";
import { say, type Text, text } from "../i18n/text.ts";
import { CANCELLATION_OUTCOME } from "./cancellation.ts";
import { dateOf } from "./dates.ts";
import { effectiveStatus, shipByDate } from "./expiry.ts";
import { checkMove, type MoveOptions, TRANSITIONS } from "./lifecycle.ts";
import type { StaffAction } from "./staff-input.ts";
import type { RmaStatus } from "./status.ts";

export interface ActionableRma {
  status: RmaStatus;
  validUntil: string | null;
  warrantyCovered: boolean;
  cancellationRequestedAt: string | null;
  /** Named in the refusal's words ("This RMA" without it). */
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

/**
 * Why an action is not allowed now: `code` as the API answers it, `reason` the rule that refused it, and
 * `words` what the staff member is told (said in their language at the edge).
 */
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
  words: Text;
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

/** A status in the desk's words (`desk.status.*`), as a parameter of a refusal. */
export const statusWords = (status: RmaStatus): Text => text(`desk.status.${status}`);

/** What staff are told about an expired RMA. */
export function expiredText(rma: { rmaNumber: string | Text; validUntil: string | null }): Text {
  const day = rma.validUntil ? shipByDate(rma.validUntil) : null;
  return day
    ? text("errors.desk.gate.expiredBy", { number: rma.rmaNumber, date: day })
    : text("errors.desk.gate.expired", { number: rma.rmaNumber });
}

/** What staff are told about an expired RMA, in `locale` (the RMA page shows it too). */
export function expiredMessage(rma: { rmaNumber: string; validUntil: string | null }, locale: Locale = DEFAULT_LOCALE): string {
  return say(locale, expiredText(rma));
}

/**
 * Why the lifecycle refuses the move `from` → `to` (null when it allows it), in words staff read: the
 * statuses it may move to instead, or that it is finished (`checkMove` decides; this says why).
 */
export function moveRefusal(from: RmaStatus, to: RmaStatus, opts: MoveOptions = {}): Text | null {
  if (checkMove(from, to, opts).ok) return null;
  const allowed = TRANSITIONS[from];
  if (allowed.includes(to)) return text("errors.desk.move.needsQuote");
  const params = { from: statusWords(from), to: statusWords(to) };
  if (allowed.length === 0) return text("errors.desk.move.finished", params);
  const next = text(`errors.desk.move.next.${from as "requested"}`);
  // received → cancelled is allowed only as staff granting the customer's cancellation request.
  const granted = from === "received" && to === "cancelled";
  return text(granted ? "errors.desk.move.unlessGranted" : "errors.desk.move.notAllowed", { ...params, allowed: next });
}

function lifecycle(rma: ActionableRma, to: RmaStatus, opts: MoveOptions = {}): ActionRefusal | null {
  const why = moveRefusal(rma.status, to, opts);
  return why ? { code: "transition_refused", reason: "lifecycle", words: why } : null;
}

/**
 * Why `action` is not allowed for `rma` now, or null when it is. `request` (the units of the RMA's
 * request) is needed only for "authorise all". The version the staff member saw is checked before.
 */
export function actionRefusal(action: StaffAction, rma: ActionableRma, now: Date, request?: RequestUnits): ActionRefusal | null {
  const status = effectiveStatus(rma, now);
  const name: string | Text = rma.rmaNumber ?? text("errors.desk.thisRma");
  // An authorised RMA past its 30 days is expired, recorded or not: it can no longer be authorised, cancelled or received.
  const expired: ActionRefusal | null =
    status === "expired"
      ? { code: "rma_expired", reason: "expired", words: expiredText({ rmaNumber: name, validUntil: rma.validUntil }) }
      : null;
  const noRequest: ActionRefusal | null =
    rma.cancellationRequestedAt === null
      ? {
          code: "no_cancellation_request",
          reason: "no-cancellation-request",
          words: text("errors.desk.gate.noCancellationRequest", { number: name }),
        }
      : null;
  // The warranty is decided once, at diagnosis, while the RMA is received. (A quoted RMA must not reach
  // repair by a "confirmed" warranty: only the customer's accepted quote moves it there.)
  const notInDiagnosis: ActionRefusal | null =
    rma.status !== "received"
      ? {
          code: "transition_refused",
          reason: "not-in-diagnosis",
          words: text("errors.desk.gate.notInDiagnosis", { number: name, status: statusWords(rma.status) }),
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
              words: text("errors.desk.gate.cancellationPending", { number: name }),
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
            words: text("errors.desk.gate.nothingToAuthorize"),
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
              words: text("errors.desk.gate.notCovered", { number: name }),
            })
      );
    case "quote":
      return (
        lifecycle(rma, "quoted") ??
        (rma.warrantyCovered
          ? {
              code: "covered_by_warranty",
              reason: "covered",
              words: text("errors.desk.gate.covered", { number: name }),
            }
          : null)
      );
    case "record-quote-answer": {
      if (rma.quoteDecision) {
        const decision = text(`errors.quote.decision.${rma.quoteDecision}`);
        return {
          code: "already_answered",
          reason: "already-answered",
          words: rma.quoteAnsweredAt
            ? text("errors.desk.gate.alreadyAnsweredOn", { date: dateOf(rma.quoteAnsweredAt), decision })
            : text("errors.desk.gate.alreadyAnswered", { decision }),
        };
      }
      return rma.status === "quoted"
        ? null
        : {
            code: "no_quote_waiting",
            reason: "no-quote-waiting",
            words: text("errors.desk.gate.noQuoteWaiting", { number: name, status: statusWords(rma.status) }),
          };
    }
    case "finish-repair":
      // quoted → returning is the customer declining, not a finished repair.
      return rma.status === "quoted"
        ? {
            code: "transition_refused",
            reason: "quote-not-accepted",
            words: text("errors.desk.gate.quoteNotAccepted", { number: name }),
          }
        : lifecycle(rma, "returning");
    case "grant-cancellation":
      return (
        noRequest ??
        (CANCELLATION_OUTCOME[status] === undefined
          ? {
              code: "too_late_to_cancel",
              reason: "too-late-to-cancel",
              words: text("errors.desk.gate.tooLateToCancel", { number: name, status: statusWords(status) }),
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
