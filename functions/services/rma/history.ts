/**
 * One time-ordered history of an RMA for an audience: the event log (`rma_events`), the messages both
 * ways and the files (those sent with the request, and those of each message). Staff see everything;
 * the customer sees their own messages, the desk's replies, the files and the public events (the kinds
 * the customer's timeline already shows; any other kind, such as the desk's internal ones, stays with
 * staff). Staff also see the desk's internal notes, marked as such. Read in one round trip.
 */

import type { Db } from "../../../db/client.ts";
import type { FileRow, MessageRow } from "../../../db/schema/files.ts";
import type { RmaStatus } from "../../domain/status.ts";
import { DEFAULT_LOCALE, type Locale } from "../../i18n/index.ts";
import type { InternalNote } from "../team/notes.ts";
import { type RmaRecord, threadStatements, timelineOf } from "./view.ts";

export interface HistoryFile {
  id: string;
  name: string;
  contentType: string;
  size: number;
  /** Shown inline with a thumbnail (JPEG, PNG, WebP); everything else is a download. */
  image: boolean;
  url: string;
}

export type HistoryEntry =
  | {
      type: "event";
      at: string;
      title: string;
      note: string | null;
      actor: string | null;
      /** For staff: the move it recorded (from null: the request itself), or null for other events. */
      move: { from: RmaStatus | null; to: RmaStatus } | null;
    }
  | {
      type: "message";
      at: string;
      id: string;
      from: "customer" | "staff";
      staff: string | null;
      body: string;
      files: HistoryFile[];
    }
  | { type: "request-files"; at: string; files: HistoryFile[] }
  /** An internal note of the desk (staff only: never in the customer's history). */
  | { type: "note"; at: string; author: string; body: string };

/** Event kinds the customer sees: moves and the kinds their timeline names. */
const PUBLIC_EVENT_KINDS = new Set([
  "status",
  "cancellation-requested",
  "cancellation-refused",
  "cancellation-granted",
  "cancellation-not-possible",
  "warranty-refused",
  "reminder",
]);

const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);

/** The file's address: `/api/rmas/{n}/files/{id}`, with the customer's signed link token when given. */
export function fileUrl(rmaNumber: string, id: string, token?: string): string {
  return `/api/rmas/${rmaNumber}/files/${id}${token ? `?t=${encodeURIComponent(token)}` : ""}`;
}

async function readThread(db: Db, record: RmaRecord): Promise<readonly [MessageRow[], FileRow[]]> {
  if (record.thread) return [record.thread.messages, record.thread.files];
  return db.batch(threadStatements(db, record.rma.rmaNumber));
}

function merge(
  record: RmaRecord,
  messages: MessageRow[],
  files: FileRow[],
  events: HistoryEntry[],
  token: string | undefined,
): HistoryEntry[] {
  const view = (f: FileRow): HistoryFile => ({
    id: f.id,
    name: f.name,
    contentType: f.contentType,
    size: f.size,
    image: IMAGE_TYPES.has(f.contentType),
    url: fileUrl(record.rma.rmaNumber, f.id, token),
  });
  const byMessage = new Map<string, HistoryFile[]>();
  const ofRequest: HistoryFile[] = [];
  for (const f of files) {
    if (f.messageId) byMessage.set(f.messageId, [...(byMessage.get(f.messageId) ?? []), view(f)]);
    else ofRequest.push(view(f));
  }
  const entries: HistoryEntry[] = [...events];
  if (ofRequest.length > 0) entries.push({ type: "request-files", at: record.rma.requestedAt, files: ofRequest });
  for (const m of messages) {
    const staff = m.author.startsWith("staff:") ? m.author.slice("staff:".length) : null;
    entries.push({
      type: "message",
      at: m.createdAt,
      id: m.id,
      from: staff === null ? "customer" : "staff",
      staff,
      body: m.body,
      files: byMessage.get(m.id) ?? [],
    });
  }
  // Stable: at equal times, events first, then files of the request, then messages as written.
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at.localeCompare(b.e.at) || a.i - b.i)
    .map(({ e }) => e);
}

/** What the customer sees (`token`: the signed link's, put on each file's address). */
export async function customerHistory(
  db: Db,
  record: RmaRecord,
  now: Date,
  token: string | undefined,
  locale: Locale = DEFAULT_LOCALE,
): Promise<HistoryEntry[]> {
  const [messages, files] = await readThread(db, record);
  const publicRecord = { ...record, events: record.events.filter((e) => PUBLIC_EVENT_KINDS.has(e.kind)) };
  const events: HistoryEntry[] = timelineOf(publicRecord, now, locale).map((e) => ({
    type: "event",
    at: e.at,
    title: e.title,
    note: e.note,
    actor: null,
    move: null,
  }));
  return merge(record, messages, files, events, token).map((e) =>
    // The customer is not told which staff member wrote.
    e.type === "message" ? { ...e, staff: null } : e,
  );
}

/**
 * What staff see: every event with who did it (titled in `locale`, the staff member's language), every
 * message and file, and the internal notes given (`notesOf`, or read in the page's batch).
 */
export async function staffHistory(
  db: Db,
  record: RmaRecord,
  now: Date,
  locale: Locale = DEFAULT_LOCALE,
  notes: readonly InternalNote[] = [],
): Promise<HistoryEntry[]> {
  const [messages, files] = await readThread(db, record);
  // The timeline's entries follow the events one for one (an expiry not yet recorded comes after them).
  const said = timelineOf(record, now, locale);
  const entries: HistoryEntry[] = record.events.map((e, i) => ({
    type: "event",
    at: e.at,
    title: said[i]?.title ?? e.kind,
    note: said[i] ? said[i].note : e.note,
    actor: e.actor,
    move: e.toStatus ? { from: e.fromStatus, to: e.toStatus } : null,
  }));
  for (const n of notes) entries.push({ type: "note", at: n.at, author: n.author, body: n.body });
  return merge(record, messages, files, entries, undefined);
}
