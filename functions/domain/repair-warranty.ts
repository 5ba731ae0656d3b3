/**
 * The warranty on a repair: a unit repaired or replaced under an RMA is covered for
 * `repairWarrantyMonths` (a setting, 3 by default) from the day it was shipped back, on top of its
 * original 24-month warranty. The verdict says which warranty covers a unit; when only a repair
 * warranty does, it names the RMA and its last day ("covered by the repair warranty of RMA-… until …").
 */
import { addMonths, dateOf, parseIsoDate } from "./dates.ts";
import type { WarrantyVerdict } from "./warranty.ts";

export const DEFAULT_REPAIR_WARRANTY_MONTHS = 3;

/** A past RMA of the same serial number, as far as the repair warranty needs it. */
export interface PastRepair {
  rmaNumber: string;
  /** When the unit was shipped back (ISO instant or `YYYY-MM-DD`), null while it was not. */
  shippedAt: string | null;
  /** True when the unit was repaired or replaced (not returned as it came: declined quote, no fault found). */
  repaired: boolean;
}

export interface RepairWarranty {
  rmaNumber: string;
  /** Last day covered, `YYYY-MM-DD`. */
  until: string;
}

/** The repair warranty a past RMA gives, or null when it gives none (nothing repaired, not shipped yet). */
export function repairWarrantyOf(repair: PastRepair, months = DEFAULT_REPAIR_WARRANTY_MONTHS): RepairWarranty | null {
  if (!Number.isInteger(months) || months < 0) throw new RangeError(`not a number of months: ${months}`);
  if (!repair.repaired || !repair.shippedAt || months === 0) return null;
  return { rmaNumber: repair.rmaNumber, until: addMonths(dateOf(repair.shippedAt), months) };
}

export type CoverageBasis = "original" | "repair" | "none";

export interface CombinedVerdict extends WarrantyVerdict {
  /** Which warranty covers the unit: the original one wins when both do. */
  basis: CoverageBasis;
  /** The repair warranty that covers the unit when only it does. */
  repair?: RepairWarranty;
}

/**
 * The unit's verdict on `requestDate` given its original verdict and its past repairs. When the original
 * warranty covers it, that is the verdict (a repair warranty adds nothing); otherwise the repair warranty
 * running longest on that day covers it; otherwise it is not covered, and `until` is the later of the
 * original end and any repair warranty's end.
 */
export function combinedVerdict(
  original: WarrantyVerdict,
  repairs: readonly PastRepair[],
  requestDate: string,
  months = DEFAULT_REPAIR_WARRANTY_MONTHS,
): CombinedVerdict {
  if (!parseIsoDate(requestDate)) throw new RangeError(`not a date: ${requestDate}`);
  if (original.covered) return { ...original, basis: "original" };
  const warranties = repairs
    .map((r) => repairWarrantyOf(r, months))
    .filter((w): w is RepairWarranty => w !== null)
    .filter((w) => w.until > original.until)
    .sort((a, b) => (a.until < b.until ? 1 : -1));
  const best = warranties.find((w) => {
    const shippedOn = repairs.find((r) => r.rmaNumber === w.rmaNumber)?.shippedAt;
    return shippedOn !== null && shippedOn !== undefined && dateOf(shippedOn) <= requestDate && requestDate <= w.until;
  });
  if (best) return { covered: true, until: best.until, basis: "repair", repair: best };
  const latest = warranties[0];
  return { covered: false, until: latest && latest.until > original.until ? latest.until : original.until, basis: "none" };
}
