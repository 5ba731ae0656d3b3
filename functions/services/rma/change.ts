/**
 * Moving an RMA through its lifecycle in ONE atomic batch: the conditional status update, its event
 * and its outbox emails. The update only matches the status (and version) the actor saw; the event
 * and emails are written only when it changed a row (SQLite's `changes()`, chained statement to
 * statement inside the batch's transaction), so a lost race writes nothing at all.
 */
import { and, eq, getTableColumns, inArray, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../../../db/client.ts";
import { outbox, rmaEvents, rmas } from "../../../db/schema.ts";
import { checkMove, stageColumn } from "../../domain/lifecycle.ts";
import type { RmaStatus } from "../../domain/status.ts";
import { type OutgoingEmail, outboxRow } from "../../email/outbox.ts";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../errors.ts";

type RmaRow = typeof rmas.$inferInsert;

/** Columns a move may set besides status, stage time, version and update time (e.g. `validUntil`). */
export type RmaChanges = Partial<
  Omit<RmaRow, "rmaNumber" | "requestId" | "status" | "version" | "updatedAt" | ReturnType<typeof stageColumn>>
>;

export interface MoveInput {
  rmaNumber: string;
  /** The status the actor saw: the move applies only if the RMA is still in it. */
  from: RmaStatus;
  to: RmaStatus;
  /** `customer`, `system`, or `staff:<email>`. */
  actor: string;
  note?: string | null;
  /** The version the actor saw: when given, any other change since then refuses the move. */
  expectedVersion?: number;
  set?: RmaChanges;
  /** Event kind, `status` unless said otherwise. */
  kind?: string;
  emails?: OutgoingEmail[];
  /** Staff grant the customer's cancellation request (allows `received → cancelled`). */
  cancellationGranted?: boolean;
  /** The unit's warranty verdict, when the caller knows it: an uncovered unit is quoted before repair. */
  covered?: boolean;
  env: Pick<AppEnv, "RESEND_API_KEY">;
  now: Date;
}

export interface MoveResult {
  rmaNumber: string;
  from: RmaStatus;
  to: RmaStatus;
  version: number;
  /** Outbox rows written (rows whose dedupe key already existed are not), to be sent after the response. */
  emailIds: string[];
}

export interface EventInput {
  rmaNumber: string;
  actor: string;
  kind: string;
  note?: string | null;
  /** Record it only while the RMA is in one of these statuses (e.g. a cancellation request). */
  whenStatus?: readonly RmaStatus[];
  /** A further condition on the RMA row (e.g. no reminder recorded yet). */
  where?: SQL;
  emails?: OutgoingEmail[];
  env: Pick<AppEnv, "RESEND_API_KEY">;
  now: Date;
}

const WRITTEN = sql`changes() = 1`;

/**
 * `INSERT INTO <table> (...) SELECT * FROM (VALUES (...), ...) WHERE <condition> ON CONFLICT DO NOTHING`:
 * the condition is evaluated once for the statement, before any of its rows count in `changes()`.
 * Every row must have the same keys.
 */
function insertWhen<T extends SQLiteTable, R = never>(
  db: Db,
  table: T,
  rows: T["$inferInsert"][],
  condition: SQL,
  returning?: SQL,
) {
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  const first = (rows[0] ?? {}) as Record<string, unknown>;
  const keys = Object.keys(first).filter((k) => columns[k] !== undefined && first[k] !== undefined);
  const column = (k: string) => columns[k] as SQLiteColumn;
  const names = sql.join(
    keys.map((k) => sql.identifier(column(k).name)),
    sql`, `,
  );
  const values = sql.join(
    rows.map(
      (row) =>
        sql`(${sql.join(
          keys.map((k) => sql.param((row as Record<string, unknown>)[k] ?? null, column(k))),
          sql`, `,
        )})`,
    ),
    sql`, `,
  );
  const tail = returning ? sql` RETURNING ${returning}` : sql``;
  return db.all<R>(
    sql`INSERT INTO ${table} (${names}) SELECT * FROM (VALUES ${values}) WHERE ${condition} ON CONFLICT DO NOTHING${tail}`,
  );
}

/** The emails' outbox rows, written only if the statement just before wrote its one row; null when there are none. */
function emailsIfWritten(db: Db, emails: OutgoingEmail[] | undefined, rmaNumber: string, env: Pick<AppEnv, "RESEND_API_KEY">) {
  if (!emails || emails.length === 0) return null;
  const rows = emails.map((e) => outboxRow({ ...e, rmaNumber: e.rmaNumber ?? rmaNumber }, env));
  return insertWhen<typeof outbox, { id: string }>(db, outbox, rows, WRITTEN, sql`id`);
}

async function currentStatus(db: Db, rmaNumber: string): Promise<{ status: RmaStatus; version: number } | undefined> {
  const [row] = await db
    .select({ status: rmas.status, version: rmas.version })
    .from(rmas)
    .where(eq(rmas.rmaNumber, rmaNumber))
    .limit(1);
  return row;
}

function notFound(rmaNumber: string): ApiError {
  return new ApiError(404, "not_found", `There is no RMA ${rmaNumber}.`);
}

/** The refusal when an RMA moved on before a conditional write: it says where the RMA is now. */
async function tooLate(db: Db, rmaNumber: string): Promise<ApiError> {
  const current = await currentStatus(db, rmaNumber);
  if (!current) return notFound(rmaNumber);
  return new ApiError(
    409,
    "conflict",
    `${rmaNumber} was changed by someone else (it is now ${current.status}). Reload the page and try again.`,
  );
}

/**
 * The statements of one lifecycle move (the conditional update, its event, its emails), for a batch of
 * the caller's: the event and emails are written only if the update changed the row, so they can ride
 * in another write (e.g. a new request recording the expiry of the unit's lapsed RMA).
 */
export function moveStatements(db: Db, input: MoveInput, opts: { mustMove?: boolean } = {}) {
  const { rmaNumber, from, to, now } = input;
  const check = checkMove(from, to, {
    ...(input.cancellationGranted === undefined ? {} : { cancellationGranted: input.cancellationGranted }),
    ...(input.covered === undefined ? {} : { covered: input.covered }),
  });
  if (!check.ok) throw new ApiError(409, "transition_refused", check.message);
  const nowIso = now.toISOString();

  const update = db
    .update(rmas)
    .set({
      ...input.set,
      status: to,
      [stageColumn(to)]: nowIso,
      updatedAt: nowIso,
      version: sql`${rmas.version} + 1`,
    })
    .where(
      and(
        eq(rmas.rmaNumber, rmaNumber),
        eq(rmas.status, from),
        input.expectedVersion === undefined ? undefined : eq(rmas.version, input.expectedVersion),
      ),
    )
    .returning({ rmaNumber: rmas.rmaNumber, version: rmas.version });
  const kind = input.kind ?? "status";
  const note = input.note ?? null;
  // Skipped when the update matched no row; with `mustMove`, it fails instead (NOT NULL rma_number),
  // rolling the whole batch back: several moves then land all together or not at all.
  const event = opts.mustMove
    ? db.run(
        sql`INSERT INTO ${rmaEvents} (rma_number, at, actor, from_status, to_status, kind, note) VALUES (CASE WHEN changes() = 1 THEN ${rmaNumber} END, ${nowIso}, ${input.actor}, ${from}, ${to}, ${kind}, ${note})`,
      )
    : insertWhen(
        db,
        rmaEvents,
        [{ rmaNumber, at: nowIso, actor: input.actor, fromStatus: from, toStatus: to, kind, note }],
        WRITTEN,
      );
  const mail = emailsIfWritten(db, input.emails, rmaNumber, input.env);
  return { update, event, mail };
}

/** Applies one lifecycle move, with its event and emails, atomically; refuses it if it is not allowed or lost a race. */
export async function moveRma(db: Db, input: MoveInput): Promise<MoveResult> {
  const { rmaNumber, from, to } = input;
  const { update, event, mail } = moveStatements(db, input);

  const [updated, , written] = mail ? await db.batch([update, event, mail]) : await db.batch([update, event]);
  const [row] = updated;
  if (!row) throw await tooLate(db, rmaNumber);
  return { rmaNumber, from, to, version: row.version, emailIds: (written ?? []).map((r) => r.id) };
}

/**
 * Records an event that is not a move (`cancellation-requested`, `reminder`...), with its emails, in one
 * batch, leaving the RMA row (and so its version) as it is: a staff member's open page stays current.
 * With `whenStatus` / `where`, it is recorded only while the RMA meets them (else 409).
 */
export async function recordEvent(db: Db, input: EventInput): Promise<{ emailIds: string[] }> {
  const { rmaNumber } = input;
  const inStatus = input.whenStatus ? inArray(rmas.status, [...input.whenStatus]) : undefined;
  const exists = sql`EXISTS (SELECT 1 FROM ${rmas} WHERE ${and(eq(rmas.rmaNumber, rmaNumber), inStatus, input.where)})`;
  const event = insertWhen<typeof rmaEvents, { id: number }>(
    db,
    rmaEvents,
    [
      {
        rmaNumber,
        at: input.now.toISOString(),
        actor: input.actor,
        fromStatus: null,
        toStatus: null,
        kind: input.kind,
        note: input.note ?? null,
      },
    ],
    exists,
    sql`id`,
  );
  const mail = emailsIfWritten(db, input.emails, rmaNumber, input.env);
  const [events, written] = mail ? await db.batch([event, mail]) : await db.batch([event]);
  if (events.length === 0) throw await tooLate(db, rmaNumber);
  return { emailIds: (written ?? []).map((r) => r.id) };
}

export interface ChangeInput extends EventInput {
  /** Columns to set on the RMA (its status stays); the event and emails are written only if it changed. */
  set: RmaChanges;
  /** The version the actor saw: any other change since then refuses it. */
  expectedVersion?: number;
}

/**
 * Changes an RMA without moving it (e.g. records a cancellation request) together with its event and
 * emails, in one batch; refused with 409 when the RMA is no longer in one of `whenStatus` or `where` fails.
 */
export async function changeRma(db: Db, input: ChangeInput): Promise<{ version: number; emailIds: string[] }> {
  const { rmaNumber } = input;
  const nowIso = input.now.toISOString();
  const update = db
    .update(rmas)
    .set({ ...input.set, updatedAt: nowIso, version: sql`${rmas.version} + 1` })
    .where(
      and(
        eq(rmas.rmaNumber, rmaNumber),
        input.whenStatus ? inArray(rmas.status, [...input.whenStatus]) : undefined,
        input.expectedVersion === undefined ? undefined : eq(rmas.version, input.expectedVersion),
        input.where,
      ),
    )
    .returning({ version: rmas.version });
  const event = insertWhen(
    db,
    rmaEvents,
    [{ rmaNumber, at: nowIso, actor: input.actor, fromStatus: null, toStatus: null, kind: input.kind, note: input.note ?? null }],
    WRITTEN,
  );
  const mail = emailsIfWritten(db, input.emails, rmaNumber, input.env);
  const [updated, , written] = mail ? await db.batch([update, event, mail]) : await db.batch([update, event]);
  const [row] = updated;
  if (!row) throw await tooLate(db, rmaNumber);
  return { version: row.version, emailIds: (written ?? []).map((r) => r.id) };
}
