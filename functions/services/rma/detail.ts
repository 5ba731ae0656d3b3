/**
 * Everything staff see about one RMA, read in ONE round trip: what the customer sent, the registry's
 * record of the serial, the unit's earlier RMAs (and which of them left it under a repair warranty), the
 * other units of the request, the event log, the emails about it, and the actions allowed now.
 * `loadStaffRmaPage` adds, in the same batch, what the staff RMA page shows besides: the messages and
 * files, the internal notes, who it is assigned to and to whom it could be, the failure categories and
 * the turnaround targets.
 */
import { and, asc, desc, eq, ne, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import type { FailureCategoryRow } from "../../../db/schema/insight.ts";
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
import { type CombinedVerdict, combinedVerdict } from "../../domain/repair-warranty.ts";
import { availableActions } from "../../domain/staff-actions.ts";
import type { InsightSettings, StaffAction } from "../../domain/staff-input.ts";
import type { RmaStatus } from "../../domain/status.ts";
import { warrantyVerdict } from "../../domain/warranty.ts";
import { DEFAULT_LOCALE, type Locale } from "../../i18n/index.ts";
import { activeCategories } from "../insight/diagnosis.ts";
import { pastRepairsFrom, pastRepairsStatement } from "../insight/repair-warranty.ts";
import { insightSettingsFrom, insightSettingsStatement } from "../insight/settings.ts";
import { type QuoteView, quoteViewOf } from "../quote.ts";
import { activeStaffStatement } from "../team/accounts.ts";
import { assigneeStatement } from "../team/assignment.ts";
import { type InternalNote, notesStatement } from "../team/notes.ts";
import { type RmaRecord, threadStatements } from "./view.ts";

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
  /**
   * The verdict on the day of the request, with the warranty of the unit's earlier repairs: `basis` is
   * "repair" (and `repair` names the RMA) when only a repair warranty covered it then.
   */
  warranty: CombinedVerdict;
  /** The registry's record, its verdict today with the repair warranties of the unit's RMAs. */
  registry: { model: string; purchaseDate: string; warrantyToday: CombinedVerdict } | null;
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

/** The statements of the detail's batch (`detailFrom` reads their results). */
function detailStatements(db: Db, rmaNumber: string) {
  const requestOf = sql`(SELECT request_id FROM rmas WHERE rma_number = ${rmaNumber})`;
  const serialOf = sql`(SELECT serial_number FROM rmas WHERE rma_number = ${rmaNumber})`;
  return [
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
    // The serial's RMAs that were shipped back, with whether the unit was repaired (the repair warranty).
    pastRepairsStatement(db, serialOf),
    insightSettingsStatement(db),
  ] as const;
}

type DetailResults = readonly [
  RmaRow[],
  RequestRow[],
  (typeof products.$inferSelect)[],
  RmaRow[],
  RmaRow[],
  EventRow[],
  EmailSummary[],
  Parameters<typeof pastRepairsFrom>[0],
  { key: string; value: string }[],
];

interface Read {
  detail: RmaDetail;
  units: RmaRow[];
  settings: InsightSettings;
}

/** `locale`: the reader's language of the quote's words (its line names, why the customer pays). */
function detailFrom(results: DetailResults, now: Date, locale: Locale): Read | null {
  const [[rma], [request], [product], history, units, events, emails, repairRows, settingRows] = results;
  if (!rma || !request) return null;
  const toSummary = summary(now);
  const status = effectiveStatus(rma, now);
  const settings = insightSettingsFrom(settingRows);
  const repairs = pastRepairsFrom(repairRows);
  const requestDate = dateOf(rma.requestedAt);
  const today = dateOf(now);
  const months = settings.repairWarrantyMonths;
  return {
    units,
    settings,
    detail: {
      rma,
      status,
      request,
      warranty: combinedVerdict(warrantyVerdict(rma.purchaseDate, requestDate), repairs, requestDate, months),
      registry: product
        ? {
            model: product.model,
            purchaseDate: product.purchaseDate,
            warrantyToday: combinedVerdict(warrantyVerdict(product.purchaseDate, today), repairs, today, months),
          }
        : null,
      history: history.map(toSummary),
      units: units.map(toSummary),
      events,
      emails,
      quote: quoteViewOf(rma, now, locale),
      actions: availableActions(rma, now, {
        units: units.length,
        waiting: units.filter((u) => u.status === "requested").length,
      }),
    },
  };
}

/** Everything the staff RMA page shows, read in one round trip. */
export interface StaffRmaPage {
  detail: RmaDetail;
  /** The RMA with its messages and files, for `staffHistory`. */
  record: RmaRecord;
  notes: InternalNote[];
  assignee: { id: string; email: string } | null;
  /** Staff members it can be assigned to (active accounts). */
  team: { id: string; email: string }[];
  /** The failure categories offered at diagnosis (not retired). */
  categories: FailureCategoryRow[];
  /** The turnaround targets and the repair warranty's months. */
  settings: InsightSettings;
}

export async function loadStaffRmaPage(
  db: Db,
  rmaNumber: string,
  now: Date,
  locale: Locale = DEFAULT_LOCALE,
): Promise<StaffRmaPage | null> {
  const [
    rma,
    request,
    product,
    history,
    units,
    events,
    emails,
    repairs,
    settingRows,
    messages,
    files,
    notes,
    assignee,
    team,
    categories,
  ] = await db.batch([
    ...detailStatements(db, rmaNumber),
    ...threadStatements(db, rmaNumber),
    notesStatement(db, rmaNumber),
    assigneeStatement(db, rmaNumber),
    activeStaffStatement(db),
    activeCategories(db),
  ]);
  const read = detailFrom([rma, request, product, history, units, events, emails, repairs, settingRows], now, locale);
  if (!read) return null;
  const { detail } = read;
  return {
    detail,
    record: { rma: detail.rma, request: detail.request, events: detail.events, units: read.units, thread: { messages, files } },
    notes,
    assignee: assignee[0] ?? null,
    team,
    categories,
    settings: read.settings,
  };
}
