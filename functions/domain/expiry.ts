/**
 * The 30 days of an RMA number, counted from authorisation: the unit must arrive by the end of the
 * 30th day after the day it was authorised (UTC). Past that the RMA is expired, whether or not the
 * scheduled job has recorded it yet; a reminder goes out 7 days before the end.
 */
import { addDays, dateOf } from "./dates.ts";
import type { RmaStatus } from "./status.ts";

export const VALIDITY_DAYS = 30;
export const REMINDER_DAYS_BEFORE = 7;

/** The instant an RMA authorised at `authorizedAt` stops being valid: the last millisecond of day 30. */
export function validUntilFrom(authorizedAt: Date | string): string {
  return `${addDays(dateOf(authorizedAt), VALIDITY_DAYS)}T23:59:59.999Z`;
}

/** The ship-by day shown to the customer (`YYYY-MM-DD`). */
export function shipByDate(validUntil: string): string {
  return validUntil.slice(0, 10);
}

/** The note on the event that records an expiry (and on the timeline before the job has recorded it). */
export const EXPIRY_NOTE = "Not received within 30 days of authorisation.";

export function isLapsed(rma: { status: RmaStatus; validUntil: string | null }, now: Date): boolean {
  return rma.status === "authorized" && rma.validUntil !== null && rma.validUntil < now.toISOString();
}

/** The status to show: an authorised RMA past its validity is expired from that moment on. */
export function effectiveStatus(rma: { status: RmaStatus; validUntil: string | null }, now: Date): RmaStatus {
  return isLapsed(rma, now) ? "expired" : rma.status;
}

/** True from 7 days before the end of validity until the end, while still authorised. */
export function reminderDue(rma: { status: RmaStatus; validUntil: string | null }, now: Date): boolean {
  if (rma.status !== "authorized" || rma.validUntil === null || isLapsed(rma, now)) return false;
  const from = new Date(Date.parse(rma.validUntil) - REMINDER_DAYS_BEFORE * 86_400_000);
  return now >= from;
}
