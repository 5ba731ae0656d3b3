/**
 * Everything staff see about one RMA, read in ONE round trip: what the customer sent, the registry's
 * record of the serial, the unit's earlier RMAs, the other units of the request, the event log, the
 * emails about it, and the actions allowed now.
 */
import { and, asc, desc, eq, ne, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import {
  type EventRow,
  outbox,
  products,
  type RequestRow,
  type RmaRow,
  returnRequests,
  rmaEvents,
  rmas,
} from "../../../db/schema.ts";
import { dateOf } from "../../domain/dates.ts";
import { effectiveStatus } from "../../domain/expiry.ts";
import { availableActions } from "../../domain/staff-actions.ts";
import type { StaffAction } from "../../domain/staff-input.ts";
import type { RmaStatus } from "../../domain/status.ts";
import { type WarrantyVerdict, warrantyVerdict } from "../../domain/warranty.ts";
import { type QuoteView, quoteViewOf } from "../quote.ts";

export interface UnitSummary {
  rmaNumber: string;
  status: RmaStatus;
  model: string;
  serialNumber: string;
  requestedAt: string;
  issueDescription: string;
}

export interface EmailSummary {
  id: string;
  recipient: string;
  subject: string;
  status: "pending" | "sent" | "failed" | "held";
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface RmaDetail {
  rma: RmaRow;
  /** The status to show and act on: an authorised RMA past its 30 days is expired. */
  status: RmaStatus;
  request: RequestRow;
  registry: { model: string; purchaseDate: string; warrantyToday: WarrantyVerdict } | null;
  /** Earlier (and later) RMAs of the same serial number, newest first. */
  history: UnitSummary[];
  /** Every unit of the same request, this one included. */
  units: UnitSummary[];
  events: EventRow[];
  emails: EmailSummary[];
  quote: QuoteView | null;
  /** What staff can do now, from the gate (`availableActions`), "authorise all" included. */
  actions: StaffAction[];
}

const summary = (now: Date) => (r: RmaRow) => ({
  rmaNumber: r.rmaNumber,
  status: effectiveStatus(r, now),
  model: r.model,
  serialNumber: r.serialNumber,
  requestedAt: r.requestedAt,
  issueDescription: r.issueDescription,
});

export async function loadRmaDetail(db: Db, rmaNumber: string, now: Date): Promise<RmaDetail | null> {
  const requestOf = sql`(SELECT request_id FROM rmas WHERE rma_number = ${rmaNumber})`;
  const serialOf = sql`(SELECT serial_number FROM rmas WHERE rma_number = ${rmaNumber})`;
  const [[rma], [request], [product], history, units, events, emails] = await db.batch([
    db.select().from(rmas).where(eq(rmas.rmaNumber, rmaNumber)).limit(1),
    db.select().from(returnRequests).where(sql`${returnRequests.id} = ${requestOf}`).limit(1),
    db.select().from(products).where(sql`${products.serialNumber} = ${serialOf}`).limit(1),
    db
      .select()
      .from(rmas)
      .where(and(sql`${rmas.serialNumber} = ${serialOf}`, ne(rmas.rmaNumber, rmaNumber)))
      .orderBy(desc(rmas.requestedAt)),
    db.select().from(rmas).where(sql`${rmas.requestId} = ${requestOf}`).orderBy(asc(sql`rowid`)),
    db.select().from(rmaEvents).where(eq(rmaEvents.rmaNumber, rmaNumber)).orderBy(asc(rmaEvents.at), asc(rmaEvents.id)),
    db
      .select({
        id: outbox.id,
        recipient: outbox.recipient,
        subject: outbox.subject,
        status: outbox.status,
        attempts: outbox.attempts,
        lastError: outbox.lastError,
        createdAt: outbox.createdAt,
        sentAt: outbox.sentAt,
      })
      .from(outbox)
      .where(or(eq(outbox.rmaNumber, rmaNumber), sql`${outbox.requestId} = ${requestOf}`))
      .orderBy(asc(outbox.createdAt)),
  ]);
  if (!rma || !request) return null;
  const toSummary = summary(now);
  const status = effectiveStatus(rma, now);
  return {
    rma,
    status,
    request,
    registry: product
      ? {
          model: product.model,
          purchaseDate: product.purchaseDate,
          warrantyToday: warrantyVerdict(product.purchaseDate, dateOf(now)),
        }
      : null,
    history: history.map(toSummary),
    units: units.map(toSummary),
    events,
    emails,
    quote: quoteViewOf(rma, now),
    actions: availableActions(rma, now, {
      units: units.length,
      waiting: units.filter((u) => u.status === "requested").length,
    }),
  };
}
