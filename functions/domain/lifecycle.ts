/**
 * The RMA lifecycle: which status may follow which, what a customer may do about cancelling, and the
 * words shown to the customer. Plain data in, plain data out: routes and services decide who acts.
 */
import { DEFAULT_LOCALE, type Locale, t } from "../i18n/index.ts";
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

/** Whether the move is allowed; why not is said by `moveRefusal` (functions/domain/staff-actions.ts). */
export type MoveCheck = { ok: boolean };

export function allowedMoves(from: RmaStatus): readonly RmaStatus[] {
  return TRANSITIONS[from];
}

export function checkMove(from: RmaStatus, to: RmaStatus, opts: MoveOptions = {}): MoveCheck {
  if (opts.cancellationGranted === true && GRANTED_CANCELLATIONS[from] === to) return { ok: true };
  // received → repairing only for a unit under warranty: otherwise it needs an accepted quote first.
  return { ok: allowedMoves(from).includes(to) && !(from === "received" && to === "repairing" && opts.covered === false) };
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

/** The status in the customer's words (`rma.status.<status>` in content/<locale>/messages/rma.json). */
export function statusLabel(status: RmaStatus, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, `rma.status.${status}`);
}

/** What the customer should do next, in one or two sentences (`rma.next.<status>`). */
export function nextStepFor(status: RmaStatus, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, `rma.next.${status}`);
}
