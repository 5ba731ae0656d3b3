/**
 * Repair quotes, in integer euro cents. Under warranty the company pays return shipping (CPT) and no
 * handling fee applies: those two must be zero. Out of warranty all four amounts are charged.
 */
import type { FieldErrors } from "../errors.ts";
import { type Text, text } from "../i18n/text.ts";

export interface QuoteAmounts {
  labourCents: number;
  partsAndSuppliesCents: number;
  handlingFeeCents: number;
  returnShippingCents: number;
}

export type QuoteField = keyof QuoteAmounts;

export interface QuoteLine {
  key: QuoteField;
  label: string;
  cents: number;
}

export interface Quote {
  lines: QuoteLine[];
  totalCents: number;
}

export type QuoteResult = { ok: true; quote: Quote } | { ok: false; fields: FieldErrors };

/** One million euros: no single amount of a repair quote comes near it. */
export const MAX_AMOUNT_CENTS = 100_000_000;

export const QUOTE_LABELS: Readonly<Record<QuoteField, string>> = {
  labourCents: "Labour",
  partsAndSuppliesCents: "Parts and supplies",
  handlingFeeCents: "Handling fee",
  returnShippingCents: "Return shipping",
};

/** A quote line's name, said at the edge in its reader's language (one catalogue key per line: the quote email's). */
export function quoteLabel(key: QuoteField): Text {
  return text(`emails.quote.lines.${key}`);
}

const ORDER: readonly QuoteField[] = ["labourCents", "partsAndSuppliesCents", "handlingFeeCents", "returnShippingCents"];
/** Paid by the company for a unit under warranty. */
const WAIVED_UNDER_WARRANTY: readonly QuoteField[] = ["handlingFeeCents", "returnShippingCents"];

export function computeQuote(amounts: QuoteAmounts, opts: { covered: boolean }): QuoteResult {
  const fields: FieldErrors = {};
  for (const key of ORDER) {
    const cents = amounts[key];
    const label = QUOTE_LABELS[key];
    if (!Number.isSafeInteger(cents)) fields[key] = `${label} must be an amount in euros with at most two decimals.`;
    else if (cents < 0) fields[key] = `${label} cannot be negative.`;
    else if (cents > MAX_AMOUNT_CENTS) fields[key] = `${label} cannot be more than ${formatEuros(MAX_AMOUNT_CENTS)}.`;
    else if (opts.covered && WAIVED_UNDER_WARRANTY.includes(key) && cents !== 0) {
      fields[key] =
        key === "returnShippingCents"
          ? `${label} must be 0 for a unit under warranty: we pay the return shipping (CPT).`
          : `${label} must be 0 for a unit under warranty: handling fees apply to non-warranty units only.`;
    }
  }
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  const charged = opts.covered ? ORDER.filter((k) => !WAIVED_UNDER_WARRANTY.includes(k)) : ORDER;
  const lines = charged.map((key) => ({ key, label: QUOTE_LABELS[key], cents: amounts[key] }));
  return { ok: true, quote: { lines, totalCents: lines.reduce((sum, l) => sum + l.cents, 0) } };
}

/** "12", "12.5", "12.50", "12,50", "€ 12.50" → cents; anything else (negative, thousands separators, 3 decimals) → null. */
export function parseEuros(text: string): number | null {
  const m = /^(?:€\s*)?(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!m?.[1]) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** English style: `€1,234.50`, `-€3.00`. */
export function formatEuros(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  const euros = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}€${euros}.${String(abs % 100).padStart(2, "0")}`;
}
