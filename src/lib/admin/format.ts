/** How the admin pages write times, money and statuses. */
import { type Locale, t } from "@/functions/i18n/index.ts";

export { formatEuros } from "@/functions/domain/quote.ts";

/** `2026-11-25 09:00 UTC` from an ISO instant; a plain date stays as it is. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "";
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : "";
}

/**
 * The warranty verdict in words; when only the warranty on an earlier repair covers the unit (`repair`,
 * from `combinedVerdict`), "Covered by the repair warranty of RMA-… until …".
 */
export function warrantyText(
  w: { covered: boolean; until: string; repair?: { rmaNumber: string; until: string } | undefined },
  locale: Locale = "en",
): string {
  if (w.covered && w.repair)
    return t(locale, "insight.repairWarranty.covered", { rma: w.repair.rmaNumber, until: w.repair.until });
  return t(locale, w.covered ? "desk.warranty.covered" : "desk.warranty.notCovered", { date: w.until });
}
