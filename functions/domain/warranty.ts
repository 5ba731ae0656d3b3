/**
 * Warranty: 24 months from the purchase date, the day 24 months later included.
 * It covers manufacturing defects only; staff confirm the verdict at diagnosis.
 */
import { addMonths, parseIsoDate } from "./dates.ts";

export const WARRANTY_MONTHS = 24;

export interface WarrantyVerdict {
  covered: boolean;
  /** Last day covered, `YYYY-MM-DD`. */
  until: string;
}

/**
 * The verdict for a unit bought on `purchaseDate` and returned on `requestDate` (both `YYYY-MM-DD`).
 * A purchase date after the request date is not covered: it cannot be right.
 */
export function warrantyVerdict(purchaseDate: string, requestDate: string): WarrantyVerdict {
  if (!parseIsoDate(requestDate)) throw new RangeError(`not a date: ${requestDate}`);
  const until = addMonths(purchaseDate, WARRANTY_MONTHS);
  return { covered: purchaseDate <= requestDate && requestDate <= until, until };
}
