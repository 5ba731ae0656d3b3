/** The words shown beside a unit once its serial number is checked: on the form, live and after a POST. */
import type { WarrantyVerdict } from "./warranty.ts";

export type VerdictKind = "covered" | "not-covered" | "unknown";

export interface UnitVerdict {
  kind: VerdictKind;
  text: string;
}

export function describeRegisteredUnit(u: { model: string; purchaseDate: string; warranty: WarrantyVerdict }): UnitVerdict {
  return u.warranty.covered
    ? {
        kind: "covered",
        text: `${u.model}, bought ${u.purchaseDate}: under warranty until ${u.warranty.until}. The warranty covers manufacturing defects only; our technicians confirm it at diagnosis.`,
      }
    : {
        kind: "not-covered",
        text: `${u.model}, bought ${u.purchaseDate}: not under warranty (it ended on ${u.warranty.until}). We will send you a quote before any repair starts.`,
      };
}

export function describeUnknownUnit(message: string): UnitVerdict {
  return {
    kind: "unknown",
    text: `${message} If the number is right, give the purchase date and invoice number below.`,
  };
}
