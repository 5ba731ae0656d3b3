/** The RMA lifecycle's words, used alike by code, database, emails and pages. */
export const RMA_STATUSES = [
  "requested",
  "authorized",
  "rejected",
  "cancelled",
  "expired",
  "received",
  "quoted",
  "repairing",
  "returning",
  "shipped",
  "closed",
] as const;

export type RmaStatus = (typeof RMA_STATUSES)[number];

/** Statuses in which the serial number is still "in" an RMA: a second one is refused. */
export const OPEN_STATUSES = [
  "requested",
  "authorized",
  "received",
  "quoted",
  "repairing",
  "returning",
  "shipped",
] as const satisfies readonly RmaStatus[];
