/**
 * Cancelling an RMA, for both who may ask: what a customer's request to cancel leads to now (the
 * lifecycle's `customerCancellation` by stage, a request already waiting, the words of a refusal), and
 * where staff granting that request takes the RMA. Pure: the cancellation service and the pages ask it.
 */
import { type Text, text } from "../i18n/text.ts";
import { dateOf } from "./dates.ts";
import { effectiveStatus } from "./expiry.ts";
import { customerCancellation } from "./lifecycle.ts";
import type { RmaStatus } from "./status.ts";

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

/** Why a customer can no longer cancel, by status (`errors.cancel.refused.*`; else `.any`). */
const REFUSED = new Set<RmaStatus>(["shipped", "closed", "cancelled", "rejected", "expired"]);

export type CustomerCancellationDecision =
  /** Nothing shipped yet: cancelled at once. */
  | { outcome: "immediate"; status: RmaStatus }
  /** The unit is with us: the reason becomes a request staff decide. */
  | { outcome: "request"; status: RmaStatus }
  | {
      outcome: "refused";
      status: RmaStatus;
      code: "cancellation_pending" | "cancellation_refused";
      /** Why not, said at the edge (the API's answer, the customer's email). */
      message: Text;
      /** A late attempt (shipped back or closed) is still recorded and acknowledged, so staff see it. */
      recorded: boolean;
    };

/** What a customer's request to cancel `rma` leads to now, and why not when it is refused. */
export function customerCancellationDecision(
  rma: { rmaNumber: string; status: RmaStatus; validUntil: string | null; cancellationRequestedAt: string | null },
  now: Date,
): CustomerCancellationDecision {
  const status = effectiveStatus(rma, now);
  const outcome = customerCancellation(status);
  if (outcome === "immediate") return { outcome, status };
  if (outcome === "request") {
    if (!rma.cancellationRequestedAt) return { outcome, status };
    return {
      outcome: "refused",
      status,
      code: "cancellation_pending",
      message: text("errors.cancel.pending", { rmaNumber: rma.rmaNumber, date: dateOf(rma.cancellationRequestedAt) }),
      recorded: false,
    };
  }
  return {
    outcome: "refused",
    status,
    code: "cancellation_refused",
    message: text(REFUSED.has(status) ? (`errors.cancel.refused.${status}` as Text["key"]) : "errors.cancel.refused.any", {
      rmaNumber: rma.rmaNumber,
    }),
    recorded: status === "shipped" || status === "closed",
  };
}
