/**
 * Decides, unit by unit, whether a requested return can get an RMA, from what the registry and the
 * open RMAs say. Pure: the service reads the rows, this judges them.
 */

import type { UnitInput } from "./request-input.ts";
import { isWellFormedSerial, normalizeSerial } from "./serial.ts";
import { type WarrantyVerdict, warrantyVerdict } from "./warranty.ts";

export const LABEL_HINT = "The serial number is on the product's label: on cameras, on the back, beside the I/O connector.";
export const SUPPORT_HINT = "If it still does not match, write to rma@alkeria.example or call +39 050 000 0000 and we will help.";

export interface RegistryRecord {
  serialNumber: string;
  model: string;
  purchaseDate: string;
}

export interface CheckedUnit {
  serialNumber: string;
  model: string;
  purchaseDate: string;
  invoiceNumber: string | null;
  issueDescription: string;
  warranty: WarrantyVerdict;
  inRegistry: boolean;
}

export type UnitChecks = { ok: true; units: CheckedUnit[] } | { ok: false; fields: Record<string, string> };

export function unknownSerialMessage(serial: string): string {
  return `Serial number ${serial} is not in our registry. ${LABEL_HINT} ${SUPPORT_HINT}`;
}

/** An open RMA of a requested serial, and the email address of the request it belongs to. */
export interface OpenRma {
  rmaNumber: string;
  email: string;
}

/**
 * The refusal of a serial with an open RMA: its number only for the email address that requested it;
 * anyone else learns neither the number nor who asked, and what to do.
 */
export function openRmaMessage(n: number, serial: string, open: OpenRma, email: string): string {
  if (open.email.trim().toLowerCase() === email.trim().toLowerCase()) {
    return `Unit ${n}: serial number ${serial} already has an open RMA, ${open.rmaNumber}. Follow that one on the status page instead: a unit can have only one open RMA.`;
  }
  return `Unit ${n}: serial number ${serial} already has an open RMA, requested with another email address. If you requested it, follow it from the link in our email. If the unit is yours and you did not request it, write to rma@alkeria.example or call +39 050 000 0000 and we will sort it out.`;
}

export function checkUnits(
  units: UnitInput[],
  ctx: {
    registry: Map<string, RegistryRecord>;
    openRmas: Map<string, OpenRma>;
    /** The requester's email address: the only one told an open RMA's number. */
    email: string;
    knownModels: Set<string>;
    requestDate: string;
  },
): UnitChecks {
  const fields: Record<string, string> = {};
  const firstSeen = new Map<string, number>();
  const checked: CheckedUnit[] = [];
  units.forEach((unit, i) => {
    const n = i + 1;
    const at = (f: string) => `units.${i}.${f}`;
    const serial = normalizeSerial(unit.serialNumber);
    if (!isWellFormedSerial(serial)) {
      fields[at("serialNumber")] =
        `Unit ${n}: "${unit.serialNumber}" is not a serial number (4 to 32 letters, digits or dashes). ${LABEL_HINT}`;
      return;
    }
    const earlier = firstSeen.get(serial);
    if (earlier !== undefined) {
      fields[at("serialNumber")] =
        `Unit ${n}: serial number ${serial} is already unit ${earlier + 1} of this request. Each unit needs its own serial number: one RMA per serial.`;
      return;
    }
    firstSeen.set(serial, i);
    const open = ctx.openRmas.get(serial);
    if (open) {
      fields[at("serialNumber")] = openRmaMessage(n, serial, open, ctx.email);
      return;
    }
    const record = ctx.registry.get(serial);
    if (record) {
      if (record.model !== unit.model) {
        fields[at("model")] =
          `Unit ${n}: serial number ${serial} is registered as a ${record.model}, not a ${unit.model}. Choose ${record.model}, or check the serial number.`;
        return;
      }
      checked.push({
        serialNumber: serial,
        model: record.model,
        purchaseDate: record.purchaseDate,
        invoiceNumber: unit.invoiceNumber ?? null,
        issueDescription: unit.issueDescription,
        warranty: warrantyVerdict(record.purchaseDate, ctx.requestDate),
        inRegistry: true,
      });
      return;
    }
    // Not in the registry: refused, unless the customer gives the purchase date and invoice to check it by.
    if (!unit.purchaseDate || !unit.invoiceNumber) {
      fields[at("serialNumber")] =
        `Unit ${n}: ${unknownSerialMessage(serial)} If the number is right, give the purchase date and the invoice number and we will check it against your invoice.`;
      if (!unit.purchaseDate)
        fields[at("purchaseDate")] = `Unit ${n}: the purchase date is required for a serial number not in our registry.`;
      if (!unit.invoiceNumber)
        fields[at("invoiceNumber")] = `Unit ${n}: the invoice number is required for a serial number not in our registry.`;
      return;
    }
    if (!ctx.knownModels.has(unit.model)) {
      fields[at("model")] = `Unit ${n}: "${unit.model}" is not one of our models. Choose the model from the list.`;
      return;
    }
    if (unit.purchaseDate > ctx.requestDate) {
      fields[at("purchaseDate")] = `Unit ${n}: the purchase date ${unit.purchaseDate} is in the future.`;
      return;
    }
    checked.push({
      serialNumber: serial,
      model: unit.model,
      purchaseDate: unit.purchaseDate,
      invoiceNumber: unit.invoiceNumber,
      issueDescription: unit.issueDescription,
      warranty: warrantyVerdict(unit.purchaseDate, ctx.requestDate),
      inRegistry: false,
    });
  });
  return Object.keys(fields).length > 0 ? { ok: false, fields } : { ok: true, units: checked };
}
