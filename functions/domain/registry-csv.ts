/**
 * The product registry's CSV: `serial_number,model,purchase_date`, one unit a line, optionally followed
 * by a `batch` and/or a `production_date` column (the production batch, for return rates per batch; a
 * production date alone counts as the batch of its month). Used by the demo seed and by the staff
 * import; pure so both preview and commit agree.
 */
import { isIsoDate } from "./dates.ts";
import { hasControlCharacters } from "./input.ts";
import { isWellFormedSerial, normalizeSerial } from "./serial.ts";

export const REGISTRY_HEADER = ["serial_number", "model", "purchase_date"] as const;
/** Columns that may follow the three required ones, in any order. */
export const OPTIONAL_COLUMNS = ["batch", "production_date"] as const;

export interface RegistryRow {
  line: number;
  serialNumber: string;
  model: string;
  purchaseDate: string;
  /** The production batch as given, else the production month; absent when the row says neither. */
  batch?: string;
  productionDate?: string;
}

export interface RegistryRowError {
  line: number;
  raw: string;
  reason: string;
}

export interface ParsedRegistry {
  rows: RegistryRow[];
  errors: RegistryRowError[];
}

/** Splits one CSV line, honouring double-quoted fields with `""` escapes. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

/**
 * Parses the CSV. `resolveDate` may turn a date cell into `YYYY-MM-DD` (the demo seed uses it for
 * dates relative to today); the result must then be a real calendar date.
 */
export function parseRegistryCsv(text: string, resolveDate: (cell: string) => string = (c) => c): ParsedRegistry {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const rows: RegistryRow[] = [];
  const errors: RegistryRowError[] = [];
  const header = splitCsvLine(lines[0] ?? "").map((h) => h.toLowerCase());
  const extra = header.slice(REGISTRY_HEADER.length);
  if (
    header.slice(0, REGISTRY_HEADER.length).join(",") !== REGISTRY_HEADER.join(",") ||
    extra.some((h) => !(OPTIONAL_COLUMNS as readonly string[]).includes(h)) ||
    new Set(extra).size !== extra.length
  ) {
    errors.push({
      line: 1,
      raw: lines[0] ?? "",
      reason: `The first line must be the header ${REGISTRY_HEADER.join(",")}, optionally followed by ${OPTIONAL_COLUMNS.join(" and/or ")}.`,
    });
    return { rows, errors };
  }
  const batchAt = header.indexOf("batch");
  const productionAt = header.indexOf("production_date");
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    if (raw.trim() === "" || raw.startsWith("#")) continue;
    const line = i + 1;
    const cells = splitCsvLine(raw);
    if (cells.length !== header.length) {
      errors.push({ line, raw, reason: `Expected ${header.length} fields (${header.join(",")}), found ${cells.length}.` });
      continue;
    }
    const [serialCell, model, dateCell] = cells as [string, string, string];
    const serialNumber = normalizeSerial(serialCell);
    const purchaseDate = resolveDate(dateCell);
    let reason: string | null = null;
    if (!isWellFormedSerial(serialNumber))
      reason = `Serial number "${serialCell}" is malformed (4-32 letters, digits or dashes).`;
    else if (model === "" || model.length > 60) reason = "Model is missing or longer than 60 characters.";
    else if (!isIsoDate(purchaseDate)) reason = `Purchase date "${dateCell}" is not a date in the form YYYY-MM-DD.`;
    else if (seen.has(serialNumber)) reason = `Serial number ${serialNumber} already appears on line ${seen.get(serialNumber)}.`;
    const batchCell = batchAt >= 0 ? (cells[batchAt] ?? "") : "";
    const productionCell = productionAt >= 0 ? (cells[productionAt] ?? "") : "";
    if (!reason && (batchCell.length > 40 || /[\t\r\n]/.test(batchCell) || hasControlCharacters(batchCell)))
      reason = `Batch "${batchCell.slice(0, 40)}" is longer than 40 characters or has control characters.`;
    else if (!reason && productionCell !== "" && !isIsoDate(productionCell))
      reason = `Production date "${productionCell}" is not a date in the form YYYY-MM-DD.`;
    else if (!reason && productionCell > purchaseDate)
      reason = `Production date ${productionCell} is after the purchase date ${purchaseDate}.`;
    if (reason) {
      errors.push({ line, raw, reason });
      continue;
    }
    seen.set(serialNumber, line);
    const batch = batchCell || productionCell.slice(0, 7);
    rows.push({
      line,
      serialNumber,
      model,
      purchaseDate,
      ...(batch ? { batch } : {}),
      ...(productionCell ? { productionDate: productionCell } : {}),
    });
  }
  return { rows, errors };
}
