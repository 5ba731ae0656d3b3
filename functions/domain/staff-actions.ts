/**
 * Which staff actions an RMA offers now: each action is a lifecycle move (or a decision that keeps the
 * status, like refusing the warranty), offered only when the lifecycle allows its move from the RMA's
 * effective status and its own condition holds. Pure: the pages list these, the API refuses the rest.
 */
import { effectiveStatus } from "./expiry.ts";
import { allowedMoves } from "./lifecycle.ts";
import type { StaffAction } from "./staff-input.ts";
import type { RmaStatus } from "./status.ts";

export interface ActionableRma {
  status: RmaStatus;
  validUntil: string | null;
  warrantyCovered: boolean;
  cancellationRequestedAt: string | null;
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

/** Where granting a customer's cancellation request leads from each status (absent: too late to grant). */
export const CANCELLATION_OUTCOME: Readonly<Partial<Record<RmaStatus, RmaStatus>>> = {
  requested: "cancelled",
  authorized: "cancelled",
  // The unit is with us but untouched: the RMA is cancelled.
  received: "cancelled",
  // Work has started (or a quote is out): the unit is sent back unrepaired.
  quoted: "returning",
  repairing: "returning",
  // Already being sent back: granting only records the decision.
  returning: "returning",
};

function offered(action: Exclude<StaffAction, "authorize-all">, status: RmaStatus, rma: ActionableRma): boolean {
  switch (action) {
    case "refuse-warranty":
    case "confirm-warranty":
      return status === "received" && rma.warrantyCovered;
    case "quote":
      return status === "received" && !rma.warrantyCovered;
    case "record-quote-answer":
      return status === "quoted";
    case "finish-repair":
      // quoted → returning is the customer declining, not a finished repair.
      return status === "repairing";
    case "grant-cancellation":
      return rma.cancellationRequestedAt !== null && CANCELLATION_OUTCOME[status] !== undefined;
    case "refuse-cancellation":
      return rma.cancellationRequestedAt !== null;
    case "cancel":
      // Staff cancel on the customer's behalf only before the unit reaches us; afterwards it is a request to decide.
      return (status === "requested" || status === "authorized") && rma.cancellationRequestedAt === null;
    default: {
      const target = ACTION_TARGETS[action];
      return target !== null && allowedMoves(status).includes(target);
    }
  }
}

/** The actions staff can take on this RMA now, in the order the page shows them. */
export function availableActions(rma: ActionableRma, now: Date): Exclude<StaffAction, "authorize-all">[] {
  const status = effectiveStatus(rma, now);
  return (Object.keys(ACTION_TARGETS) as Exclude<StaffAction, "authorize-all">[]).filter((a) => offered(a, status, rma));
}
