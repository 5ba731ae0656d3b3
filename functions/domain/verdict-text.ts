/**
 * The words shown beside a unit once its serial number is checked: on the form, live (src/scripts/rma-form.ts)
 * and after a POST (src/lib/request-form.ts). This module holds no words: it fills in the page's own
 * templates (`rma.verdict.*` of the catalogue in the page's language; the browser reads them from the
 * form's `data-verdict-*` attributes), so the script ships no catalogue.
 */
import type { WarrantyVerdict } from "./warranty.ts";

export type VerdictKind = "covered" | "not-covered" | "unknown";

export interface UnitVerdict {
  kind: VerdictKind;
  text: string;
}

/** The page's templates (`{model}`, `{bought}`, `{until}`, `{rma}`, `{message}`) and its way of writing a date. */
export interface VerdictWords {
  covered: string;
  /**
   * A unit out of its original warranty that the warranty on a past repair covers ("covered by the repair
   * warranty of {rma} until {until}"); when the page gives none, `covered` is said.
   */
  coveredByRepair?: string | undefined;
  notCovered: string;
  unknown: string;
  /** An ISO date (2026-11-30) in the page's language. */
  date(iso: string): string;
}

function fill(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

export function describeRegisteredUnit(
  u: { model: string; purchaseDate: string; warranty: WarrantyVerdict },
  words: VerdictWords,
): UnitVerdict {
  const params = { model: u.model, bought: words.date(u.purchaseDate), until: words.date(u.warranty.until) };
  const repair = u.warranty.repair;
  if (u.warranty.covered && repair && words.coveredByRepair) {
    return {
      kind: "covered",
      text: fill(words.coveredByRepair, { ...params, rma: repair.rmaNumber, until: words.date(repair.until) }),
    };
  }
  return u.warranty.covered
    ? { kind: "covered", text: fill(words.covered, params) }
    : { kind: "not-covered", text: fill(words.notCovered, params) };
}

/** `message`: why the registry does not know the serial (already in the page's language). */
export function describeUnknownUnit(message: string, words: VerdictWords): UnitVerdict {
  return { kind: "unknown", text: fill(words.unknown, { message }) };
}
