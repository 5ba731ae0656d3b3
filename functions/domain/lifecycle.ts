/**
 * The RMA lifecycle: which status may follow which, what a customer may do about cancelling, and the
 * words shown to the customer. Plain data in, plain data out: routes and services decide who acts.
 */
import type { RmaStatus } from "./status.ts";

/** Every move the lifecycle allows, by the status an RMA is in. */
export const TRANSITIONS: Readonly<Record<RmaStatus, readonly RmaStatus[]>> = {
  requested: ["authorized", "rejected", "cancelled"],
  authorized: ["received", "expired", "cancelled"],
  // Covered units go to repair; uncovered ones (or warranty refused at diagnosis: customer damage) get a quote.
  received: ["repairing", "quoted"],
  // Quote accepted: repair. Declined: the unit is sent back unrepaired.
  quoted: ["repairing", "returning"],
  repairing: ["returning"],
  returning: ["shipped"],
  shipped: ["closed"],
  closed: [],
  rejected: [],
  cancelled: [],
  expired: [],
};

/**
 * Moves allowed only as a staff decision granting a customer's cancellation request. In later stages
 * (quoted, repairing) a granted request is the ordinary move to `returning`: the unit goes back.
 */
const GRANTED_CANCELLATIONS: Readonly<Partial<Record<RmaStatus, RmaStatus>>> = { received: "cancelled" };

export interface MoveOptions {
  /** Staff grant the customer's request to cancel (allows `received → cancelled`). */
  cancellationGranted?: boolean;
  /** The unit's warranty verdict, when known: an uncovered unit needs a quote before repair. */
  covered?: boolean;
}

export type MoveCheck = { ok: true } | { ok: false; message: string };

export function allowedMoves(from: RmaStatus): readonly RmaStatus[] {
  return TRANSITIONS[from];
}

/** "a", "a or b", "a, b or c". */
function orList(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

export function checkMove(from: RmaStatus, to: RmaStatus, opts: MoveOptions = {}): MoveCheck {
  const allowed = allowedMoves(from);
  if (opts.cancellationGranted === true && GRANTED_CANCELLATIONS[from] === to) return { ok: true };
  if (allowed.includes(to)) {
    if (from === "received" && to === "repairing" && opts.covered === false) {
      return {
        ok: false,
        message:
          "An RMA that is received and not covered by warranty can move to quoted, not to repairing: it needs an accepted quote first.",
      };
    }
    return { ok: true };
  }
  if (allowed.length === 0) return { ok: false, message: `An RMA that is ${from} is finished: it cannot move to ${to}.` };
  const granted = GRANTED_CANCELLATIONS[from] === to ? " unless staff grant the customer's cancellation request" : "";
  return { ok: false, message: `An RMA that is ${from} can move to ${orList(allowed)}, not to ${to}${granted}.` };
}

/** The rmas column that records when an RMA reached each status. */
export type StageColumn =
  | "requestedAt"
  | "authorizedAt"
  | "rejectedAt"
  | "cancelledAt"
  | "expiredAt"
  | "receivedAt"
  | "quotedAt"
  | "repairingAt"
  | "returningAt"
  | "shippedAt"
  | "closedAt";

const STAGE_COLUMNS: Readonly<Record<RmaStatus, StageColumn>> = {
  requested: "requestedAt",
  authorized: "authorizedAt",
  rejected: "rejectedAt",
  cancelled: "cancelledAt",
  expired: "expiredAt",
  received: "receivedAt",
  quoted: "quotedAt",
  repairing: "repairingAt",
  returning: "returningAt",
  shipped: "shippedAt",
  closed: "closedAt",
};

export function stageColumn(status: RmaStatus): StageColumn {
  return STAGE_COLUMNS[status];
}

/** No move leads out of it. */
export function isTerminal(status: RmaStatus): boolean {
  return allowedMoves(status).length === 0;
}

/**
 * What happens when the customer asks to cancel: `immediate` (nothing shipped yet), `request` (the unit
 * is with us: staff decide), `refused` (already back with the customer, or finished).
 */
export type CustomerCancellation = "immediate" | "request" | "refused";

const CANCELLATION: Readonly<Record<RmaStatus, CustomerCancellation>> = {
  requested: "immediate",
  authorized: "immediate",
  received: "request",
  quoted: "request",
  repairing: "request",
  returning: "request",
  shipped: "refused",
  closed: "refused",
  rejected: "refused",
  cancelled: "refused",
  expired: "refused",
};

export function customerCancellation(status: RmaStatus): CustomerCancellation {
  return CANCELLATION[status];
}

/** The status in the customer's words. */
export const statusLabel: Readonly<Record<RmaStatus, string>> = {
  requested: "Under review",
  authorized: "Authorised: ship the unit",
  rejected: "Not authorised",
  cancelled: "Cancelled",
  expired: "Expired: not received in time",
  received: "Received at our service centre",
  quoted: "Quote waiting for your answer",
  repairing: "Being repaired",
  returning: "Being prepared for return",
  shipped: "Shipped back to you",
  closed: "Closed",
};

const NEXT_STEPS: Readonly<Record<RmaStatus, string>> = {
  requested:
    "We are reviewing your request. Do not ship anything yet: you will get an email with shipping instructions once it is authorised.",
  authorized:
    "Print the RMA form and label, put the RMA number on the parcel and its documents and ship it so we receive it by the ship-by date.",
  rejected: "Nothing to do: this return was not authorised. The email we sent explains why; reply to it if you have questions.",
  cancelled: "Nothing to do: this RMA is cancelled. Do not ship the unit under this RMA number.",
  expired:
    "This RMA expired because the unit did not reach us within 30 days of authorisation. Request a new RMA if you still need to return it.",
  received: "Nothing to do for now: we have your unit and are diagnosing it. We will email you with the outcome.",
  quoted: "Read the quote we sent and accept or decline it: we start the repair only once you accept.",
  repairing: "Nothing to do: the unit is being repaired. We will email you when it is on its way back.",
  returning: "Nothing to do: the unit is being packed to be sent back to your return address.",
  shipped: "The unit is on its way back to you: follow it with the tracking details in our email.",
  closed: "Nothing to do: this RMA is complete. Request a new RMA if the unit needs another repair.",
};

/** What the customer should do next, in one or two sentences. */
export function nextStepFor(status: RmaStatus): string {
  return NEXT_STEPS[status];
}
