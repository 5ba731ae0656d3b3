/**
 * Importing the product registry: a CSV (`serial_number,model,purchase_date`, optionally `batch` and/or
 * `production_date`; a row without them leaves a unit's recorded batch as it is).
 * An import is first previewed (rows added, changed and refused, with the reason per row) without
 * writing anything; committing writes every added and changed row in ONE batch, atomically.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { productBatches } from "../../../db/schema/insight.ts";
import { products } from "../../../db/schema.ts";
import { parseRegistryCsv, type RegistryRow, type RegistryRowError } from "../../domain/registry-csv.ts";
import { Refusal } from "../../errors.ts";
import { encodeText, text } from "../../i18n/text.ts";

export const MAX_CSV_BYTES = 2 * 1024 * 1024;
export const MAX_CSV_ROWS = 50_000;
/** Rows per INSERT statement (4 parameters each, well under SQLite's limit); all statements go in one batch. */
const CHUNK = 500;

export interface ChangedRow {
  row: RegistryRow;
  before: { model: string; purchaseDate: string; batch?: string | null };
}

export interface RegistryPreview {
  added: RegistryRow[];
  changed: ChangedRow[];
  /** Rows identical to what the registry holds: nothing to write. */
  unchanged: number;
  refused: RegistryRowError[];
}

export interface RegistryImport {
  added: number;
  changed: number;
  unchanged: number;
  refused: RegistryRowError[];
}

function parse(csv: string) {
  if (new TextEncoder().encode(csv).length > MAX_CSV_BYTES) {
    throw new Refusal("body_too_large", text("errors.desk.registry.tooLarge", { mb: MAX_CSV_BYTES / 1024 / 1024 }), {
      csv: encodeText(text("errors.desk.registry.tooLargeField")),
    });
  }
  const parsed = parseRegistryCsv(csv);
  if (parsed.rows.length > MAX_CSV_ROWS) {
    throw new Refusal("too_many_rows", text("errors.desk.registry.tooManyRows", { max: MAX_CSV_ROWS }), {
      csv: encodeText(text("errors.desk.registry.tooManyRowsField")),
    });
  }
  return parsed;
}

/** Compares the CSV's good rows with what the registry holds: one read. */
export async function previewImport(db: Db, csv: string): Promise<RegistryPreview> {
  const { rows, errors } = parse(csv);
  const existing =
    rows.length === 0
      ? []
      : await db
          .select({
            serialNumber: products.serialNumber,
            model: products.model,
            purchaseDate: products.purchaseDate,
            batch: productBatches.batch,
          })
          .from(products)
          .leftJoin(productBatches, sql`${productBatches.serialNumber} = ${products.serialNumber}`)
          .where(
            sql`${products.serialNumber} IN (SELECT value FROM json_each(${JSON.stringify(rows.map((r) => r.serialNumber))}))`,
          );
  const known = new Map(existing.map((p) => [p.serialNumber, p]));
  const preview: RegistryPreview = { added: [], changed: [], unchanged: 0, refused: errors };
  for (const row of rows) {
    const before = known.get(row.serialNumber);
    if (!before) preview.added.push(row);
    else if (
      before.model !== row.model ||
      before.purchaseDate !== row.purchaseDate ||
      (row.batch !== undefined && row.batch !== before.batch)
    ) {
      preview.changed.push({
        row,
        before: { model: before.model, purchaseDate: before.purchaseDate, ...(before.batch ? { batch: before.batch } : {}) },
      });
    } else preview.unchanged++;
  }
  return preview;
}

/**
 * Writes the previewed rows. With `expected` (the counts the staff member saw in the preview), a
 * registry changed in between refuses the import (409) rather than writing something else.
 */
export async function commitImport(
  db: Db,
  csv: string,
  opts: { expected?: { added: number; changed: number }; now: Date },
): Promise<RegistryImport> {
  const preview = await previewImport(db, csv);
  const { expected } = opts;
  if (expected && (expected.added !== preview.added.length || expected.changed !== preview.changed.length)) {
    throw new Refusal(
      "registry_changed",
      text("errors.desk.registry.changed", { added: preview.added.length, changed: preview.changed.length }),
    );
  }
  const nowIso = opts.now.toISOString();
  const writes = [...preview.added, ...preview.changed.map((c) => c.row)].map((r) => ({
    serialNumber: r.serialNumber,
    model: r.model,
    purchaseDate: r.purchaseDate,
    updatedAt: nowIso,
  }));
  const statements = [];
  for (let i = 0; i < writes.length; i += CHUNK) {
    statements.push(
      db
        .insert(products)
        .values(writes.slice(i, i + CHUNK))
        .onConflictDoUpdate({
          target: products.serialNumber,
          set: { model: sql`excluded.model`, purchaseDate: sql`excluded.purchase_date`, updatedAt: sql`excluded.updated_at` },
        }),
    );
  }
  const batches = [...preview.added, ...preview.changed.map((c) => c.row)].flatMap((r) =>
    r.batch === undefined ? [] : [{ serialNumber: r.serialNumber, batch: r.batch, productionDate: r.productionDate ?? null }],
  );
  for (let i = 0; i < batches.length; i += CHUNK) {
    statements.push(
      db
        .insert(productBatches)
        .values(batches.slice(i, i + CHUNK))
        .onConflictDoUpdate({
          target: productBatches.serialNumber,
          set: { batch: sql`excluded.batch`, productionDate: sql`excluded.production_date` },
        }),
    );
  }
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
  return {
    added: preview.added.length,
    changed: preview.changed.length,
    unchanged: preview.unchanged,
    refused: preview.refused,
  };
}
