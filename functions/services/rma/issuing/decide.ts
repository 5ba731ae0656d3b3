/**
 * Issuing, step 2 — decide: which units may get an RMA (the domain's `checkUnits`, from what was read
 * or from what the request states), their numbers, and whether each is authorised as it is requested.
 */
import type { RmaRequestInput } from "../../../domain/request-input.ts";
import { newRmaNumber } from "../../../domain/rma-number.ts";
import { normalizeSerial } from "../../../domain/serial.ts";
import type { CheckedUnit, RegistryRecord } from "../../../domain/unit-checks.ts";
import { Refusal } from "../../../errors.ts";
import { text } from "../../../i18n/text.ts";

/** A unit as it will be written: checked, numbered, and requested or authorised. */
export type IssuingUnit = CheckedUnit & { rmaNumber: string; status: "requested" | "authorized" };

/**
 * The registry facts a request states itself: every unit's model and purchase date, or null when a
 * unit has no purchase date (then they must be read first).
 */
export function statedRegistry(input: RmaRequestInput): Map<string, RegistryRecord> | null {
  const stated = new Map<string, RegistryRecord>();
  for (const u of input.units) {
    if (!u.purchaseDate) return null;
    const serialNumber = normalizeSerial(u.serialNumber);
    stated.set(serialNumber, { serialNumber, model: u.model, purchaseDate: u.purchaseDate });
  }
  return stated;
}

/** Numbers every unit (fresh random numbers: a taken one fails the write, which draws again). */
export function decideUnits(units: CheckedUnit[], opts: { autoAuthorize: boolean; now: Date }): IssuingUnit[] {
  const numbers = new Set<string>();
  while (numbers.size < units.length) numbers.add(newRmaNumber(opts.now));
  // With automatic authorisation on, a registered unit under warranty is authorised as it is requested.
  return units.map((u, i) => ({
    ...u,
    rmaNumber: [...numbers][i] as string,
    status: opts.autoAuthorize && u.inRegistry && u.warranty.covered ? ("authorized" as const) : ("requested" as const),
  }));
}

export function unitsRefused(fields: Record<string, string>): Refusal {
  return new Refusal("units_refused", text("errors.unitsRefused"), fields);
}
