/**
 * Repair quotes, in integer euro cents. Under warranty the company pays return shipping (CPT) and no
 * handling fee applies: those two must be zero. Out of warranty all four amounts are charged.
 */
import type { FieldErrors } from "../errors.ts";
import type { MessageKey } from "../i18n/index.ts";
import { encodeText, type Text, text } from "../i18n/text.ts";

export interface QuoteAmounts {
  labourCents: number;
  partsAndSuppliesCents: number;
  handlingFeeCents: number;
  returnShippingCents: number;
}

export type QuoteField = keyof QuoteAmounts;

/** A charged amount of a quote (its name is said at the edge: `quoteLabel`). */
export interface QuoteAmount {
  key: QuoteField;
  cents: number;
}

/** A quote line as a reader sees it, its name in the reader's words. */
export interface QuoteLine extends QuoteAmount {
  label: string;
}

export interface Quote {
  lines: QuoteAmount[];
  totalCents: number;
}

export type QuoteResult = { ok: true; quote: Quote } | { ok: false; fields: FieldErrors };

/** One million euros: no single amount of a repair quote comes near it (errors.desk.amount.tooMuch says it). */
export const MAX_AMOUNT_CENTS = 100_000_000;

/** A quote line's name, said at the edge in its reader's language (one catalogue key per line: the quote email's). */
export function quoteLabel(key: QuoteField): Text {
  return text(`emails.quote.lines.${key}`);
}

const ORDER: readonly QuoteField[] = ["labourCents", "partsAndSuppliesCents", "handlingFeeCents", "returnShippingCents"];
/** Paid by the company for a unit under warranty. */
const WAIVED_UNDER_WARRANTY: readonly QuoteField[] = ["handlingFeeCents", "returnShippingCents"];

export function computeQuote(amounts: QuoteAmounts, opts: { covered: boolean }): QuoteResult {
  const fields: FieldErrors = {};
  const refuse = (key: QuoteField, why: MessageKey) => {
    fields[key] = encodeText(text(why, { field: quoteLabel(key) }));
  };
  for (const key of ORDER) {
    const cents = amounts[key];
    if (!Number.isSafeInteger(cents)) refuse(key, "errors.desk.amount.notCents");
    else if (cents < 0) refuse(key, "errors.desk.amount.negative");
    else if (cents > MAX_AMOUNT_CENTS) refuse(key, "errors.desk.amount.tooMuch");
    else if (opts.covered && WAIVED_UNDER_WARRANTY.includes(key) && cents !== 0) {
      refuse(key, key === "returnShippingCents" ? "errors.desk.amount.waivedShipping" : "errors.desk.amount.waivedHandling");
    }
  }
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  const charged = opts.covered ? ORDER.filter((k) => !WAIVED_UNDER_WARRANTY.includes(k)) : ORDER;
  const lines = charged.map((key) => ({ key, cents: amounts[key] }));
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
