/**
 * The queue's current filter as CSV: every RMA the queue's own filter matches (its query parameters,
 * read by `parseQueueFilter` and turned into SQL by the queue's `filterCondition`), newest first as the
 * queue lists them, with the diagnosis details, up to EXPORT_LIMIT rows (said in a header beyond it).
 */
import { desc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { failureCategories, rmaDiagnoses } from "../../../db/schema/insight.ts";
import { returnRequests, rmas } from "../../../db/schema.ts";
import { effectiveStatus } from "../../domain/expiry.ts";
import type { QueueFilter } from "../../domain/queue-filter.ts";
import { filterCondition } from "../rma/queue.ts";
import { type Cell, toCsv } from "./csv.ts";

/** The queue counts its filtered total up to 10 000; the export lists as many. */
export const EXPORT_LIMIT = 10_000;

export const EXPORT_HEADER = [
  "rma_number",
  "status",
  "model",
  "serial_number",
  "purchase_date",
  "warranty_covered",
  "warranty_until",
  "requested_at",
  "authorized_at",
  "received_on",
  "diagnosed_at",
  "shipped_at",
  "quote_total_eur",
  "quote_decision",
  "company",
  "contact_name",
  "email",
  "country",
  "failure_category",
  "firmware_received",
  "firmware_shipped",
  "root_cause",
  "parts_replaced",
  "issue_description",
] as const;

export interface QueueExport {
  csv: string;
  rows: number;
  /** More RMAs matched than EXPORT_LIMIT. */
  truncated: boolean;
}

export async function exportQueue(db: Db, filter: QueueFilter, now: Date, limit = EXPORT_LIMIT): Promise<QueueExport> {
  const found = await db
    .select({
      rma: rmas,
      company: returnRequests.company,
      contactName: returnRequests.contactName,
      email: returnRequests.email,
      country: returnRequests.country,
      category: failureCategories.name,
      firmwareReceived: rmaDiagnoses.firmwareReceived,
      firmwareShipped: rmaDiagnoses.firmwareShipped,
      rootCause: rmaDiagnoses.rootCause,
      partsReplaced: rmaDiagnoses.partsReplaced,
    })
    .from(rmas)
    .innerJoin(returnRequests, eq(returnRequests.id, rmas.requestId))
    .leftJoin(rmaDiagnoses, eq(rmaDiagnoses.rmaNumber, rmas.rmaNumber))
    .leftJoin(failureCategories, eq(failureCategories.code, rmaDiagnoses.categoryCode))
    .where(filterCondition(filter, now))
    .orderBy(desc(rmas.requestedAt), desc(rmas.rmaNumber))
    .limit(limit + 1);
  const truncated = found.length > limit;
  const rows: Cell[][] = found
    .slice(0, limit)
    .map((r) => [
      r.rma.rmaNumber,
      effectiveStatus(r.rma, now),
      r.rma.model,
      r.rma.serialNumber,
      r.rma.purchaseDate,
      r.rma.warrantyCovered,
      r.rma.warrantyUntil,
      r.rma.requestedAt,
      r.rma.authorizedAt,
      r.rma.receivedOn,
      r.rma.diagnosedAt,
      r.rma.shippedAt,
      r.rma.quoteTotalCents === null ? null : r.rma.quoteTotalCents / 100,
      r.rma.quoteDecision,
      r.company,
      r.contactName,
      r.email,
      r.country,
      r.category,
      r.firmwareReceived,
      r.firmwareShipped,
      r.rootCause,
      r.partsReplaced,
      r.rma.issueDescription,
    ]);
  return { csv: toCsv(EXPORT_HEADER, rows), rows: rows.length, truncated };
}
