/**
 * The staff queue, read in ONE round trip: the count of RMAs in each status, the RMAs that need
 * someone today (one short list per kind of work), and the filtered, paged list. Nothing in it reads
 * every RMA, so it costs the same at 100 000 RMAs as at 1 000 (see test/db/admin-queue-plan.test.ts):
 * the counts come from `rma_status_counts` (kept by triggers), the models by a skip scan of an index,
 * a filtered total is counted up to TOTAL_CAP, and the lists are index ranges. An authorised RMA past
 * its 30 days counts, filters and shows as expired before the scheduled job records it.
 */
import { and, asc, count, desc, eq, gt, gte, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { returnRequests, rmaStatusCounts, rmas, staffUsers } from "../../../db/schema.ts";
import { addDays } from "../../domain/dates.ts";
import { effectiveStatus, REMINDER_DAYS_BEFORE } from "../../domain/expiry.ts";
import { prefixEnd, QUEUE_PAGE_SIZE, type QueueFilter } from "../../domain/queue-filter.ts";
import { parseRmaNumber } from "../../domain/rma-number.ts";
import { normalizeSerial } from "../../domain/serial.ts";
import { RMA_STATUSES, type RmaStatus } from "../../domain/status.ts";
import { type Locale, t } from "../../i18n/index.ts";
import { type OverdueRma, overdueFirstFrom, overdueFirstStatements } from "../insight/overdue.ts";
import { distinctModelsStatement } from "../registry/models.ts";
import { lapsedCondition } from "./expiry.ts";

export const SECTION_LIMIT = 20;
/** A filtered list's total is counted up to this many; beyond it the queue says "more than". */
export const TOTAL_CAP = 10_000;

export interface QueueRow {
  rmaNumber: string;
  /** Effective: an authorised RMA past its 30 days is `expired`. */
  status: RmaStatus;
  serialNumber: string;
  model: string;
  warrantyCovered: boolean;
  requestedAt: string;
  validUntil: string | null;
  cancellationRequested: boolean;
  contactName: string;
  company: string | null;
  email: string;
  /** The staff member it is assigned to (email), or null. */
  assignee: string | null;
}

/** The queue's assignment filter: the RMAs of the signed-in staff member (`me`), or of nobody (`none`). */
export interface AssignmentFilter {
  to: "me" | "none";
  userId: string;
}

/** `assigned=` of a query: `me`, `none`, undefined when absent, false when it is something else. */
export function parseAssigned(value: string | null | undefined): "me" | "none" | undefined | false {
  const v = value?.trim();
  if (!v) return undefined;
  return v === "me" || v === "none" ? v : false;
}

export type SectionKey = "requested" | "diagnosis" | "quotes" | "expiring" | "cancellations" | "to-ship";

export interface QueueSection {
  key: SectionKey;
  title: string;
  rows: QueueRow[];
  /** How many RMAs are in it (only the first SECTION_LIMIT are listed). */
  total: number;
  /** The status filter that lists the whole section, when it is one status. */
  status?: RmaStatus;
}

export interface QueueResult {
  counts: Record<RmaStatus, number>;
  sections: QueueSection[];
  /** `total` is exact up to TOTAL_CAP; `more` says there are more than that. */
  results: { rows: QueueRow[]; total: number; more: boolean; page: number; pageSize: number; pages: number };
  models: string[];
  /**
   * The open RMAs running past a turnaround target now, most overdue first: listed before everything else
   * on the queue's first page (an RMA can be overdue only by the working-day calendar, which no index
   * orders by, so they are a section of their own above the newest-first list; bounded, see
   * `overdueFirstStatements`). Empty on the other pages.
   */
  overdue: OverdueRma[];
  /** True when there may be more overdue RMAs than `overdue` lists (the dashboard lists them all). */
  overdueMore: boolean;
}

const columns = {
  rmaNumber: rmas.rmaNumber,
  status: rmas.status,
  validUntil: rmas.validUntil,
  serialNumber: rmas.serialNumber,
  model: rmas.model,
  warrantyCovered: rmas.warrantyCovered,
  requestedAt: rmas.requestedAt,
  cancellationRequestedAt: rmas.cancellationRequestedAt,
  contactName: returnRequests.contactName,
  company: returnRequests.company,
  email: returnRequests.email,
  assignee: sql<string | null>`(SELECT ${staffUsers.email} FROM ${staffUsers} WHERE ${staffUsers.id} = ${rmas.assignedTo})`,
};

interface Selected {
  rmaNumber: string;
  status: RmaStatus;
  validUntil: string | null;
  serialNumber: string;
  model: string;
  warrantyCovered: boolean;
  requestedAt: string;
  cancellationRequestedAt: string | null;
  contactName: string;
  company: string | null;
  email: string;
  assignee: string | null;
}

const startOf = (day: string) => `${day}T00:00:00.000Z`;

/** The status filter as the queue shows statuses: `authorized` means still valid, `expired` includes the lapsed. */
export function statusCondition(status: RmaStatus, nowIso: string): SQL | undefined {
  if (status === "expired") return or(eq(rmas.status, "expired"), lapsedCondition(nowIso));
  if (status === "authorized") return and(eq(rmas.status, "authorized"), gte(rmas.validUntil, nowIso));
  return eq(rmas.status, status);
}

/** The beginning of an RMA number, a serial number, an email or a company name, whatever its case: four index ranges. */
export function searchCondition(q: string): SQL {
  const text = q.trim();
  const parsed = parseRmaNumber(text);
  const number = parsed.ok ? parsed.rmaNumber : text.toUpperCase();
  const serial = normalizeSerial(text) || text;
  const lower = text.toLowerCase();
  return sql`${rmas.rmaNumber} IN (
    SELECT rma_number FROM rmas WHERE rma_number >= ${number} AND rma_number < ${prefixEnd(number)}
    UNION SELECT rma_number FROM rmas WHERE serial_number >= ${serial} AND serial_number < ${prefixEnd(serial)}
    UNION SELECT m.rma_number FROM return_requests q JOIN rmas m ON m.request_id = q.id
      WHERE (lower(q.email) >= ${lower} AND lower(q.email) < ${prefixEnd(lower)})
         OR (lower(q.company) >= ${lower} AND lower(q.company) < ${prefixEnd(lower)}))`;
}

export function filterCondition(filter: QueueFilter, now: Date, assignment?: AssignmentFilter): SQL | undefined {
  const nowIso = now.toISOString();
  return and(
    assignment ? (assignment.to === "me" ? eq(rmas.assignedTo, assignment.userId) : isNull(rmas.assignedTo)) : undefined,
    filter.status ? statusCondition(filter.status, nowIso) : undefined,
    filter.model ? eq(rmas.model, filter.model) : undefined,
    filter.warranty ? eq(rmas.warrantyCovered, filter.warranty === "covered") : undefined,
    filter.from ? gte(rmas.requestedAt, startOf(filter.from)) : undefined,
    filter.to ? lt(rmas.requestedAt, startOf(addDays(filter.to, 1))) : undefined,
    filter.q ? searchCondition(filter.q) : undefined,
  );
}

function toRow(now: Date) {
  return (r: Selected): QueueRow => ({
    rmaNumber: r.rmaNumber,
    status: effectiveStatus(r, now),
    serialNumber: r.serialNumber,
    model: r.model,
    warrantyCovered: r.warrantyCovered,
    requestedAt: r.requestedAt,
    validUntil: r.validUntil,
    cancellationRequested: r.cancellationRequestedAt !== null,
    contactName: r.contactName,
    company: r.company,
    email: r.email,
    assignee: r.assignee,
  });
}

const SECTION_KEYS: readonly SectionKey[] = ["requested", "diagnosis", "quotes", "expiring", "cancellations", "to-ship"];

/** A section's heading in a desk language (the catalogue's `desk.queue.sections`); the API's `title` is English. */
export function sectionTitle(key: SectionKey, locale: Locale = "en"): string {
  return t(locale, `desk.queue.sections.${key}`, { days: REMINDER_DAYS_BEFORE });
}

/** Sections that are one stored status take their total from the counts; the others are counted. */
const SECTION_STATUS: Partial<Record<SectionKey, RmaStatus>> = {
  requested: "requested",
  diagnosis: "received",
  quotes: "quoted",
  "to-ship": "returning",
};

function sectionConditions(now: Date): Record<SectionKey, { where: SQL | undefined; order: SQL }> {
  const nowIso = now.toISOString();
  const soon = new Date(now.getTime() + REMINDER_DAYS_BEFORE * 86_400_000).toISOString();
  return {
    requested: { where: eq(rmas.status, "requested"), order: asc(rmas.requestedAt) },
    diagnosis: { where: eq(rmas.status, "received"), order: asc(rmas.updatedAt) },
    quotes: { where: eq(rmas.status, "quoted"), order: asc(rmas.updatedAt) },
    expiring: {
      where: and(eq(rmas.status, "authorized"), gte(rmas.validUntil, nowIso), lt(rmas.validUntil, soon)),
      order: asc(rmas.validUntil),
    },
    // `> ''` rather than IS NOT NULL: the same rows, but SQLite reads them from the index.
    cancellations: { where: gt(rmas.cancellationRequestedAt, ""), order: asc(rmas.cancellationRequestedAt) },
    "to-ship": { where: eq(rmas.status, "returning"), order: asc(rmas.updatedAt) },
  };
}

/** The queue's statements, to run in one batch (and for tests to read their query plans). */
export function queueStatements(db: Db, filter: QueueFilter, now: Date, cap = TOTAL_CAP, assignment?: AssignmentFilter) {
  const nowIso = now.toISOString();
  const where = filterCondition(filter, now, assignment);
  const sectionDefs = sectionConditions(now);
  // Every RMA has its request: counting needs no join. Unfiltered, the total is the sum of the counts.
  const capped = db
    .select({ one: sql`1` })
    .from(rmas)
    .where(where)
    .limit(cap + 1)
    .as("capped");
  return {
    statusCounts: db.select({ status: rmaStatusCounts.status, n: rmaStatusCounts.n }).from(rmaStatusCounts),
    /** Authorised RMAs past their 30 days: counted as expired. */
    lapsed: db.select({ n: count() }).from(rmas).where(lapsedCondition(nowIso)),
    models: distinctModelsStatement(db, rmas),
    rows: db
      .select(columns)
      .from(rmas)
      .innerJoin(returnRequests, eq(returnRequests.id, rmas.requestId))
      .where(where)
      .orderBy(desc(rmas.requestedAt), desc(rmas.rmaNumber))
      .limit(QUEUE_PAGE_SIZE)
      .offset((filter.page - 1) * QUEUE_PAGE_SIZE),
    total: where
      ? db.select({ n: count() }).from(capped)
      : db.select({ n: sql<number>`coalesce(sum(${rmaStatusCounts.n}), 0)` }).from(rmaStatusCounts),
    /** The totals of the sections that are not one status: index ranges over the few RMAs in them. */
    sectionTotals: db.all<{ expiring: number; cancellations: number }>(
      sql`SELECT (SELECT count(*) FROM ${rmas} WHERE ${sectionDefs.expiring.where}) AS expiring,
        (SELECT count(*) FROM ${rmas} WHERE ${sectionDefs.cancellations.where}) AS cancellations`,
    ),
    // Each list is its first SECTION_LIMIT rows, in index order: no more rows are read or joined.
    sections: SECTION_KEYS.map((k) =>
      db
        .select(columns)
        .from(rmas)
        .innerJoin(returnRequests, eq(returnRequests.id, rmas.requestId))
        .where(sectionDefs[k].where)
        .orderBy(sectionDefs[k].order)
        .limit(SECTION_LIMIT),
    ),
    /** The first page's "overdue first" section: a few index ranges and the targets. */
    overdue: overdueFirstStatements(db),
  };
}

export async function loadQueue(
  db: Db,
  filter: QueueFilter,
  now: Date,
  cap = TOTAL_CAP,
  assignment?: AssignmentFilter,
): Promise<QueueResult> {
  const q = queueStatements(db, filter, now, cap, assignment);
  const firstPage = filter.page === 1;
  const overdueReads = firstPage ? [q.overdue.settings, ...q.overdue.candidates] : [];
  const results = await db.batch([
    q.statusCounts,
    q.lapsed,
    q.sectionTotals,
    q.models,
    q.rows,
    q.total,
    ...q.sections,
    ...overdueReads,
  ]);
  const [statusCounts, [lapsed], [sectionTotals], models, rows, [total]] = results;
  const sections = results.slice(6, 6 + q.sections.length) as (typeof rows)[];
  const [overdueSettings, ...candidates] = results.slice(6 + q.sections.length) as [
    { key: string; value: string }[],
    ...Parameters<typeof overdueFirstFrom>[0][number][],
  ];
  const counts = Object.fromEntries(RMA_STATUSES.map((s) => [s, 0])) as Record<RmaStatus, number>;
  for (const c of statusCounts) if (c.status in counts) counts[c.status as RmaStatus] = c.n;
  const lapsedCount = lapsed?.n ?? 0;
  counts.authorized -= lapsedCount;
  counts.expired += lapsedCount;
  const row = toRow(now);
  const counted = Number(total?.n ?? 0);
  const more = counted > cap;
  const totalRows = Math.min(counted, cap);
  return {
    counts,
    sections: SECTION_KEYS.map((key, i) => {
      const found = sections[i] ?? [];
      const status = SECTION_STATUS[key];
      const total = status
        ? counts[status]
        : Number(key === "expiring" ? (sectionTotals?.expiring ?? 0) : (sectionTotals?.cancellations ?? 0));
      return { key, title: sectionTitle(key), rows: found.map(row), total, ...(status ? { status } : {}) };
    }),
    results: {
      rows: rows.map(row),
      total: totalRows,
      more,
      page: filter.page,
      pageSize: QUEUE_PAGE_SIZE,
      pages: Math.max(1, Math.ceil(totalRows / QUEUE_PAGE_SIZE)),
    },
    models: models.map((m) => m.model),
    ...(firstPage ? overdueOfFirstPage(overdueFirstFrom(candidates, overdueSettings, now)) : { overdue: [], overdueMore: false }),
  };
}

const overdueOfFirstPage = (found: { list: OverdueRma[]; more: boolean }) => ({ overdue: found.list, overdueMore: found.more });
