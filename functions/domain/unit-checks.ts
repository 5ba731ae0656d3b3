/**
 * Decides, unit by unit, whether a requested return can get an RMA, from what the registry and the
 * open RMAs say. Pure: the service reads the rows, this judges them.
 */

import { DEFAULT_LOCALE, type Locale } from "../i18n/index.ts";
import { encodeText, say, type Text, text } from "../i18n/text.ts";
import type { PastRepair } from "./repair-warranty.ts";
import type { UnitInput } from "./request-input.ts";
import { isWellFormedSerial, normalizeSerial } from "./serial.ts";
import { type WarrantyVerdict, warrantyVerdict } from "./warranty.ts";

export const LABEL_HINT_TEXT: Text = text("errors.units.labelHint");
export const SUPPORT_HINT_TEXT: Text = text("errors.units.supportHint");
/** @deprecated English only: use `LABEL_HINT_TEXT`. */
export const LABEL_HINT = say(DEFAULT_LOCALE, LABEL_HINT_TEXT);
/** @deprecated English only: use `SUPPORT_HINT_TEXT`. */
export const SUPPORT_HINT = say(DEFAULT_LOCALE, SUPPORT_HINT_TEXT);

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

/** The verdict; a refusal's field messages are encoded `Text`s (`say()` them for the reader). */
export type UnitChecks = { ok: true; units: CheckedUnit[] } | { ok: false; fields: Record<string, string> };

export function unknownSerialText(serial: string): Text {
  return text("errors.units.unknownSerial", { serial, labelHint: LABEL_HINT_TEXT, supportHint: SUPPORT_HINT_TEXT });
}

/** `unknownSerialText` said in `locale` (English by default). */
export function unknownSerialMessage(serial: string, locale: Locale = DEFAULT_LOCALE): string {
  return say(locale, unknownSerialText(serial));
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
export function openRmaMessage(n: number, serial: string, open: OpenRma, email: string): Text {
  if (open.email.trim().toLowerCase() === email.trim().toLowerCase()) {
    return text("errors.units.openOwn", { n, serial, rmaNumber: open.rmaNumber });
  }
  return text("errors.units.openOther", { n, serial });
}

/** An encoded `Text` for a field's message. */
const says = (key: Text["key"], params?: Text["params"]) => encodeText(text(key, params));

export function checkUnits(
  units: UnitInput[],
  ctx: {
    registry: Map<string, RegistryRecord>;
    openRmas: Map<string, OpenRma>;
    /** The requester's email address: the only one told an open RMA's number. */
    email: string;
    knownModels: Set<string>;
    requestDate: string;
    /**
     * The requested serials' past repairs (shipped RMAs) and the repair warranty's months: a unit out of
     * its original warranty is still covered by the warranty on a repair. Without it only the original
     * warranty is judged (the one-round-trip path, whose write batch must verify there is none to judge).
     */
    repairs?: { past: ReadonlyMap<string, readonly PastRepair[]>; months: number } | undefined;
  },
): UnitChecks {
  const verdict = (serial: string, purchaseDate: string) => {
    const past = ctx.repairs?.past.get(serial);
    return warrantyVerdict(purchaseDate, ctx.requestDate, past && ctx.repairs ? { past, months: ctx.repairs.months } : undefined);
  };
  const fields: Record<string, string> = {};
  const firstSeen = new Map<string, number>();
  const checked: CheckedUnit[] = [];
  units.forEach((unit, i) => {
    const n = i + 1;
    const at = (f: string) => `units.${i}.${f}`;
    const serial = normalizeSerial(unit.serialNumber);
    if (!isWellFormedSerial(serial)) {
      fields[at("serialNumber")] = says("errors.units.notASerial", {
        n,
        serial: unit.serialNumber,
        labelHint: LABEL_HINT_TEXT,
      });
      return;
    }
    const earlier = firstSeen.get(serial);
    if (earlier !== undefined) {
      fields[at("serialNumber")] = says("errors.units.duplicate", { n, serial, earlier: earlier + 1 });
      return;
    }
    firstSeen.set(serial, i);
    const open = ctx.openRmas.get(serial);
    if (open) {
      fields[at("serialNumber")] = encodeText(openRmaMessage(n, serial, open, ctx.email));
      return;
    }
    const record = ctx.registry.get(serial);
    if (record) {
      if (record.model !== unit.model) {
        fields[at("model")] = says("errors.units.wrongModel", { n, serial, registered: record.model, given: unit.model });
        return;
      }
      checked.push({
        serialNumber: serial,
        model: record.model,
        purchaseDate: record.purchaseDate,
        invoiceNumber: unit.invoiceNumber ?? null,
        issueDescription: unit.issueDescription,
        warranty: verdict(serial, record.purchaseDate),
        inRegistry: true,
      });
      return;
    }
    // Not in the registry: refused, unless the customer gives the purchase date and invoice to check it by.
    if (!unit.purchaseDate || !unit.invoiceNumber) {
      fields[at("serialNumber")] = says("errors.units.unknownGiveInvoice", { n, unknown: unknownSerialText(serial) });
      if (!unit.purchaseDate) fields[at("purchaseDate")] = says("errors.units.purchaseDateRequired", { n });
      if (!unit.invoiceNumber) fields[at("invoiceNumber")] = says("errors.units.invoiceRequired", { n });
      return;
    }
    if (!ctx.knownModels.has(unit.model)) {
      fields[at("model")] = says("errors.units.unknownModel", { n, model: unit.model });
      return;
    }
    if (unit.purchaseDate > ctx.requestDate) {
      fields[at("purchaseDate")] = says("errors.units.futureDate", { n, date: unit.purchaseDate });
      return;
    }
    checked.push({
      serialNumber: serial,
      model: unit.model,
      purchaseDate: unit.purchaseDate,
      invoiceNumber: unit.invoiceNumber,
      issueDescription: unit.issueDescription,
      warranty: verdict(serial, unit.purchaseDate),
      inRegistry: false,
    });
  });
  return Object.keys(fields).length > 0 ? { ok: false, fields } : { ok: true, units: checked };
}
