/**
 * What a customer sees of an RMA: its status in plain words, the next step, the timeline from the event
 * log, the unit and the other units of the same request. Read in one round trip.
 */

import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { type FileRow, type MessageRow, rmaFiles, rmaMessages } from "../../../db/schema/files.ts";
import { type EventRow, type RequestRow, type RmaRow, returnRequests, rmaEvents, rmas } from "../../../db/schema.ts";
import { EXPIRY_NOTE, effectiveStatus, isLapsed, shipByDate } from "../../domain/expiry.ts";
import { type CustomerCancellation, customerCancellation, nextStepFor, statusLabel } from "../../domain/lifecycle.ts";
import type { RepairWarranty } from "../../domain/repair-warranty.ts";
import type { RmaStatus } from "../../domain/status.ts";
import { DEFAULT_LOCALE, type Locale, type MessageKey, t, translator } from "../../i18n/index.ts";
import { pastRepairsOfRequestStatement, repairsOfIssuedFrom } from "../insight/repair-warranty.ts";
import { insightSettingsStatement } from "../insight/settings.ts";
import { systemNote } from "./issuing/notes.ts";

export interface RmaRecord {
  rma: RmaRow;
  request: RequestRow;
  events: EventRow[];
  /** Every unit of the same request, this one included, in the order they were requested. */
  units: RmaRow[];
  /** The messages and files on this RMA, when read in the same batch (`loadRma(db, n, { thread: true })`). */
  thread?: { messages: MessageRow[]; files: FileRow[] };
  /**
   * With `thread`: the units of the request that only a past repair's warranty covered when requested, by RMA
   * number (`repairOfIssued`), so the customer pages name that repair's RMA.
   */
  repairs?: Map<string, RepairWarranty>;
}

export interface TimelineEntry {
  at: string;
  /** The event's kind ("status", "note", "reminder", …; "lapsed" for the expiry shown before the Cron records it): pages choose their words by it. */
  kind: string;
  status: RmaStatus | null;
  title: string;
  note: string | null;
}

export interface RmaView {
  rmaNumber: string;
  status: RmaStatus;
  statusLabel: string;
  nextStep: string;
  serialNumber: string;
  model: string;
  purchaseDate: string;
  issueDescription: string;
  /** `repair`: the past RMA whose repair warranty alone covered the unit when it was requested. */
  warranty: { covered: boolean; until: string; repair?: RepairWarranty | undefined };
  requestedAt: string;
  authorizedAt: string | null;
  /** End of validity (authorised RMAs): the unit must arrive by then. */
  validUntil: string | null;
  shipBy: string | null;
  printable: boolean;
  cancellation: CustomerCancellation;
  cancellationRequested: boolean;
  timeline: TimelineEntry[];
  otherUnits: { rmaNumber: string; model: string; serialNumber: string; status: RmaStatus; statusLabel: string }[];
  contact: { name: string; company: string | null; email: string; phone: string; country: string };
  returnAddress: { street: string; postalCode: string; city: string; country: string };
}

/** The batch statements that read one RMA with its request, events and sibling units. */
export function rmaReadStatements(db: Db, rmaNumber: string) {
  return [
    db.select().from(rmas).where(eq(rmas.rmaNumber, rmaNumber)).limit(1),
    db
      .select()
      .from(returnRequests)
      .where(sql`${returnRequests.id} = (SELECT request_id FROM rmas WHERE rma_number = ${rmaNumber})`)
      .limit(1),
    db.select().from(rmaEvents).where(eq(rmaEvents.rmaNumber, rmaNumber)).orderBy(asc(rmaEvents.at), asc(rmaEvents.id)),
    db
      .select()
      .from(rmas)
      .where(sql`${rmas.requestId} = (SELECT request_id FROM rmas WHERE rma_number = ${rmaNumber})`)
      .orderBy(sql`rowid`),
  ] as const;
}

export function recordFrom(results: readonly [RmaRow[], RequestRow[], EventRow[], RmaRow[]]): RmaRecord | null {
  const [[rma], [request], events, units] = results;
  return rma && request ? { rma, request, events, units } : null;
}

/** The RMA as `rmaReadStatements` read it; with `thread`, its messages and files in the same round trip. */
export async function loadRma(db: Db, rmaNumber: string, opts: { thread?: boolean } = {}): Promise<RmaRecord | null> {
  if (!opts.thread) return recordFrom(await db.batch(rmaReadStatements(db, rmaNumber)));
  const [rma, request, events, units, messages, files, repairRows, settingRows] = await db.batch([
    ...rmaReadStatements(db, rmaNumber),
    ...threadStatements(db, rmaNumber),
    pastRepairsOfRequestStatement(db, sql`(SELECT request_id FROM rmas WHERE rma_number = ${rmaNumber})`),
    insightSettingsStatement(db),
  ]);
  const record = recordFrom([rma, request, events, units]);
  return record && { ...record, thread: { messages, files }, repairs: repairsOfIssuedFrom(units, repairRows, settingRows) };
}

/** The messages and files of an RMA, oldest first. */
export function threadStatements(db: Db, rmaNumber: string) {
  return [
    db
      .select()
      .from(rmaMessages)
      .where(eq(rmaMessages.rmaNumber, rmaNumber))
      .orderBy(asc(rmaMessages.createdAt), asc(rmaMessages.id)),
    db.select().from(rmaFiles).where(eq(rmaFiles.rmaNumber, rmaNumber)).orderBy(asc(rmaFiles.createdAt), asc(rmaFiles.id)),
  ] as const;
}

/** Events that are not moves, titled for the customer (`emails.timeline.*`); any other is an "Update". */
const EVENT_TITLES = new Set([
  "cancellation-requested",
  "cancellation-refused",
  "cancellation-granted",
  "cancellation-not-possible",
  "warranty-refused",
  "reminder",
  "note",
]);

/** The RMA's history as the customer reads it, in `locale` (titles and the system's notes; a person's notes as written). */
export function timelineOf(record: RmaRecord, now: Date, locale: Locale = DEFAULT_LOCALE): TimelineEntry[] {
  const say = (key: string, params?: Record<string, string>) => t(locale, `emails.timeline.${key}` as MessageKey, params);
  const day = (iso: string) => translator(locale).date(`${iso}T00:00:00Z`);
  /** The system's notes said in the reader's language; what a person wrote stays as written. */
  const noteOf = (note: string | null) =>
    note === null ? null : note === EXPIRY_NOTE ? say("expiryNote") : (systemNote(note, say, day) ?? note);
  const entries: TimelineEntry[] = record.events.map((e) => ({
    at: e.at,
    kind: e.kind,
    status: e.toStatus,
    title:
      e.toStatus && e.kind === "status" ? statusLabel(e.toStatus, locale) : say(EVENT_TITLES.has(e.kind) ? e.kind : "update"),
    note: noteOf(e.note),
  }));
  if (isLapsed(record.rma, now) && record.rma.validUntil) {
    entries.push({
      at: record.rma.validUntil,
      kind: "lapsed",
      status: "expired",
      title: statusLabel("expired", locale),
      note: say("expiryNote"),
    });
  }
  return entries;
}

/** One RMA as its customer sees it; labels, next step and timeline titles in `locale` (English by default). */
export function toView(record: RmaRecord, now: Date, locale: Locale = DEFAULT_LOCALE): RmaView {
  const { rma, request } = record;
  const status = effectiveStatus(rma, now);
  const cancellationRequested = rma.cancellationRequestedAt !== null && status !== "cancelled";
  return {
    rmaNumber: rma.rmaNumber,
    status,
    statusLabel: statusLabel(status, locale),
    nextStep: nextStepFor(status, locale),
    serialNumber: rma.serialNumber,
    model: rma.model,
    purchaseDate: rma.purchaseDate,
    issueDescription: rma.issueDescription,
    warranty: { covered: rma.warrantyCovered, until: rma.warrantyUntil, repair: record.repairs?.get(rma.rmaNumber) },
    requestedAt: rma.requestedAt,
    authorizedAt: rma.authorizedAt,
    validUntil: rma.validUntil,
    shipBy: status === "authorized" && rma.validUntil ? shipByDate(rma.validUntil) : null,
    printable: status === "authorized",
    cancellation: customerCancellation(status),
    cancellationRequested,
    timeline: timelineOf(record, now, locale),
    otherUnits: record.units
      .filter((u) => u.rmaNumber !== rma.rmaNumber)
      .map((u) => {
        const s = effectiveStatus(u, now);
        return {
          rmaNumber: u.rmaNumber,
          model: u.model,
          serialNumber: u.serialNumber,
          status: s,
          statusLabel: statusLabel(s, locale),
        };
      }),
    contact: {
      name: request.contactName,
      company: request.company,
      email: request.email,
      phone: request.phone,
      country: request.country,
    },
    returnAddress: {
      street: request.returnStreet,
      postalCode: request.returnPostalCode,
      city: request.returnCity,
      country: request.returnCountry,
    },
  };
}

/** Emails match whatever their case and surrounding spaces. */
export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
