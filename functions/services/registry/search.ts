/** The product registry for staff: serial numbers (or models) by prefix, paged, with today's warranty and any open RMA. */
import { and, asc, count, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { products, rmas } from "../../../db/schema.ts";
import { dateOf } from "../../domain/dates.ts";
import { prefixEnd } from "../../domain/queue-filter.ts";
import { normalizeSerial } from "../../domain/serial.ts";
import { OPEN_STATUSES } from "../../domain/status.ts";
import { type WarrantyVerdict, warrantyVerdict } from "../../domain/warranty.ts";

export const REGISTRY_PAGE_SIZE = 50;

export interface RegistryEntry {
  serialNumber: string;
  model: string;
  purchaseDate: string;
  warrantyToday: WarrantyVerdict;
  /** The serial's open RMA, if it has one. */
  openRma: string | null;
}

export interface RegistrySearch {
  rows: RegistryEntry[];
  total: number;
  page: number;
  pages: number;
}

/** Serial numbers (or model names) starting with `q`, paged; all of them without `q`. */
export async function searchRegistry(db: Db, q: string, page: number, now: Date): Promise<RegistrySearch> {
  const text = q.trim();
  const serial = normalizeSerial(text);
  const where: SQL | undefined = text
    ? or(
        and(gte(products.serialNumber, serial), lt(products.serialNumber, prefixEnd(serial))),
        and(gte(products.model, text), lt(products.model, prefixEnd(text))),
      )
    : undefined;
  const openRma = sql<
    string | null
  >`(SELECT ${rmas.rmaNumber} FROM ${rmas} WHERE ${rmas.serialNumber} = ${products.serialNumber} AND ${inArray(rmas.status, [...OPEN_STATUSES])} LIMIT 1)`;
  const [rows, [total]] = await db.batch([
    db
      .select({ serialNumber: products.serialNumber, model: products.model, purchaseDate: products.purchaseDate, openRma })
      .from(products)
      .where(where)
      .orderBy(asc(products.serialNumber))
      .limit(REGISTRY_PAGE_SIZE)
      .offset((page - 1) * REGISTRY_PAGE_SIZE),
    db.select({ n: count() }).from(products).where(where),
  ]);
  const today = dateOf(now);
  const n = total?.n ?? 0;
  return {
    rows: rows.map((r) => ({ ...r, warrantyToday: warrantyVerdict(r.purchaseDate, today) })),
    total: n,
    page,
    pages: Math.max(1, Math.ceil(n / REGISTRY_PAGE_SIZE)),
  };
}
