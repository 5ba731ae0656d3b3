/**
 * The audit log: who, when, from which address, what kind of event, about what, and what changed.
 * Append-only (triggers refuse UPDATE and DELETE); the desk only adds and reads.
 */
import { and, count, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { auditLog } from "../../../db/schema/team.ts";
import { addDays, isIsoDate } from "../../domain/dates.ts";
import type { FieldErrors } from "../../errors.ts";
import { encodeText, text } from "../../i18n/text.ts";
import type { StaffIdentity } from "../staff/session.ts";

export const AUDIT_KINDS = [
  "sign-in",
  "sign-in-failed",
  "sign-out",
  "sign-out-everywhere",
  "session-ended",
  "account-invited",
  "account-role",
  "account-disabled",
  "account-enabled",
  "account-language",
  "password-reset-sent",
  "password-set",
  "password-changed",
  "settings",
  "registry-import",
  "outbox-retry",
  "rma-action",
  "rma-assigned",
  "rma-note",
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export function isAuditKind(value: unknown): value is AuditKind {
  return typeof value === "string" && (AUDIT_KINDS as readonly string[]).includes(value);
}

/** Who did it and from where: a signed-in staff member, or (failed sign-in) only an email typed. */
export interface Auditor {
  actorId: string | null;
  actor: string | null;
  address: string;
}

export function auditorOf(staff: Pick<StaffIdentity, "userId" | "email">, address: string): Auditor {
  return { actorId: staff.userId, actor: staff.email, address };
}

export interface AuditEntryInput {
  kind: AuditKind;
  subject?: string | null;
  detail?: Record<string, unknown> | null;
}

/** The INSERT, to put in the batch of the change it records (so both land or neither). */
export function auditStatement(db: Db, by: Auditor, entry: AuditEntryInput, now: Date) {
  return db.insert(auditLog).values({
    at: now.toISOString(),
    actorId: by.actorId,
    actor: by.actor,
    address: by.address.slice(0, 64),
    kind: entry.kind,
    subject: entry.subject ?? null,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
  });
}

export async function recordAudit(db: Db, by: Auditor, entry: AuditEntryInput, now = new Date()): Promise<void> {
  await auditStatement(db, by, entry, now);
}

export const AUDIT_PAGE_SIZE = 100;

export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  address: string;
  kind: string;
  subject: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditFilter {
  kind?: AuditKind | undefined;
  actor?: string | undefined;
  subject?: string | undefined;
  /** Entries of this day (`YYYY-MM-DD`, UTC) or later. */
  from?: string | undefined;
  /** Entries of this day (`YYYY-MM-DD`, UTC) or earlier. */
  to?: string | undefined;
  /** Entries older than this id (the next page). */
  before?: number | undefined;
}

/**
 * The filter of the audit log's page and API from its query (`kind`, `actor`, `subject`, `from`, `to`,
 * `before`); a value that cannot be used is refused naming its field (an encoded `Text`, said at the edge).
 */
export function parseAuditFilter(query: URLSearchParams): { filter: AuditFilter; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const filter: AuditFilter = {};
  const kind = query.get("kind") || undefined;
  if (kind !== undefined) {
    if (isAuditKind(kind)) filter.kind = kind;
    else errors["kind"] = encodeText(text("errors.desk.filters.unknownKind"));
  }
  const actor = query.get("actor")?.trim().slice(0, 254);
  if (actor) filter.actor = actor;
  const subject = query.get("subject")?.trim().slice(0, 254);
  if (subject) filter.subject = subject;
  for (const name of ["from", "to"] as const) {
    const day = query.get(name)?.trim() ?? "";
    if (day === "") continue;
    if (isIsoDate(day)) filter[name] = day;
    else errors[name] = encodeText(text("errors.desk.filters.date", { value: day.slice(0, 20) }));
  }
  if (filter.from && filter.to && filter.from > filter.to) errors["to"] = encodeText(text("errors.desk.filters.dateOrder"));
  const before = Number(query.get("before") ?? "");
  if (Number.isSafeInteger(before) && before > 0) filter.before = before;
  return { filter, errors };
}

/** The two reads of a page of the audit log: its entries (one more than a page, to know there is a next) and the count. */
export function auditStatements(db: Db, filter: AuditFilter) {
  const where: SQL | undefined = and(
    filter.kind ? eq(auditLog.kind, filter.kind) : undefined,
    filter.actor ? eq(auditLog.actor, filter.actor.trim().toLowerCase()) : undefined,
    filter.subject ? eq(auditLog.subject, filter.subject.trim()) : undefined,
    // A range of `at` (ISO instants sort as text), which audit_log_at_idx / audit_log_kind_idx serve.
    filter.from ? gte(auditLog.at, `${filter.from}T00:00:00.000Z`) : undefined,
    filter.to ? lt(auditLog.at, `${addDays(filter.to, 1)}T00:00:00.000Z`) : undefined,
  );
  return [
    db
      .select()
      .from(auditLog)
      .where(and(where, filter.before ? lt(auditLog.id, filter.before) : undefined))
      .orderBy(desc(auditLog.id))
      .limit(AUDIT_PAGE_SIZE + 1),
    db.select({ n: count() }).from(auditLog).where(where),
  ] as const;
}

/** The newest entries first, filtered by kind, actor's email, subject or days; `next` reads the page after. */
export async function listAudit(
  db: Db,
  filter: AuditFilter,
): Promise<{ rows: AuditEntry[]; next: number | null; total: number }> {
  const [rows, [total]] = await db.batch(auditStatements(db, filter));
  const page = rows.slice(0, AUDIT_PAGE_SIZE).map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    address: r.address,
    kind: r.kind,
    subject: r.subject,
    detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
  }));
  return { rows: page, next: rows.length > AUDIT_PAGE_SIZE ? (page.at(-1)?.id ?? null) : null, total: total?.n ?? 0 };
}
