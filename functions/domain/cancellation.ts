/**
 * Cancelling an RMA, for both who may ask: what a customer's request to cancel leads to now (the
 * lifecycle's `customerCancellation` by stage, a request already waiting, the words of a refusal), and
 * where staff granting that request takes the RMA. Pure: the cancellation service and the pages ask it.
 */
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

const REFUSED: Partial<Record<RmaStatus, string>> = {
  shipped: "has already been shipped back to you, so it can no longer be cancelled.",
  closed: "is closed, so it can no longer be cancelled.",
  cancelled: "is already cancelled.",
  rejected: "was not authorised, so there is nothing to cancel.",
  expired: "has expired, so there is nothing to cancel: it can no longer be used for shipping.",
};

export type CustomerCancellationDecision =
  /** Nothing shipped yet: cancelled at once. */
  | { outcome: "immediate"; status: RmaStatus }
  /** The unit is with us: the reason becomes a request staff decide. */
  | { outcome: "request"; status: RmaStatus }
  | {
      outcome: "refused";
      status: RmaStatus;
      code: "cancellation_pending" | "cancellation_refused";
      message: string;
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
      message: `You already asked to cancel ${rma.rmaNumber} on ${dateOf(rma.cancellationRequestedAt)}. Our staff will decide and write to you.`,
      recorded: false,
    };
  }
  return {
    outcome: "refused",
    status,
    code: "cancellation_refused",
    message: `${rma.rmaNumber} ${REFUSED[status] ?? "can no longer be cancelled."}`,
    recorded: status === "shipped" || status === "closed",
  };
}
