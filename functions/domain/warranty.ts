/**
 * Warranty: 24 months from the purchase date, the day 24 months later included.
 * It covers manufacturing defects only; staff confirm the verdict at diagnosis.
 * A unit repaired or replaced under an RMA is also covered by that repair's warranty
 * (functions/domain/repair-warranty.ts): give its past repairs and the verdict says so.
 */
import { addMonths, parseIsoDate } from "./dates.ts";
import { combinedVerdict, type PastRepair, type RepairWarranty } from "./repair-warranty.ts";

export const WARRANTY_MONTHS = 24;

export interface WarrantyVerdict {
  covered: boolean;
  /** Last day covered, `YYYY-MM-DD`. */
  until: string;
  /** Set when only the warranty on an earlier repair covers the unit: "covered by the repair warranty of RMA-… until …". */
  repair?: RepairWarranty;
}

/**
 * The verdict for a unit bought on `purchaseDate` and returned on `requestDate` (both `YYYY-MM-DD`).
 * A purchase date after the request date is not covered: it cannot be right. With `repairs` (the unit's
 * past RMAs, `pastRepairsStatement` in functions/services/insight/repair-warranty.ts, and the setting's
 * months), a unit out of its original warranty may still be covered by the warranty on a repair.
 */
export function warrantyVerdict(
  purchaseDate: string,
  requestDate: string,
  repairs?: { past: readonly PastRepair[]; months?: number },
): WarrantyVerdict {
  if (!parseIsoDate(requestDate)) throw new RangeError(`not a date: ${requestDate}`);
  const until = addMonths(purchaseDate, WARRANTY_MONTHS);
  const original = { covered: purchaseDate <= requestDate && requestDate <= until, until };
  if (!repairs || repairs.past.length === 0) return original;
  const combined = combinedVerdict(original, repairs.past, requestDate, repairs.months);
  return { covered: combined.covered, until: combined.until, ...(combined.repair ? { repair: combined.repair } : {}) };
}
