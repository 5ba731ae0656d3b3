/**
 * The one way an RMA changes: `changeStatements` writes a move (or a change that keeps the status, or
 * an event alone), its event and its outbox emails, as statements for the caller's batch. The update
 * only matches the status (and version) the actor saw; the event and emails are written only when it
 * changed the row (SQLite's `changes()`, chained statement to statement inside the batch's
 * transaction), so a lost race writes nothing at all. An event that leaves the RMA as it is (a
 * reminder, a late cancellation attempt) is written only while the RMA meets the same conditions, and
 * keeps its version: a staff member's open page stays current.
 *
 * Run alone (`changeRma`: staff actions, customer cancellation, the scheduled job), several at once all
 * or nothing (`changeRmas`: authorising every unit of a request), or inside a larger batch (issuing
 * records the expiry of a unit's lapsed RMA in its own write).
 */
import { and, eq, getTableColumns, inArray, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../../../db/client.ts";
import { outbox, rmaEvents, rmas } from "../../../db/schema.ts";
import { stageColumn } from "../../domain/lifecycle.ts";
import { moveRefusal, statusWords } from "../../domain/staff-actions.ts";
import type { RmaStatus } from "../../domain/status.ts";
import { insertEmails, type OutgoingEmail, outboxRow } from "../../email/outbox.ts";
import type { AppEnv } from "../../env.ts";
import { Refusal } from "../../errors.ts";
import { text } from "../../i18n/text.ts";
import { batchGuardFailed, failBatchUnless } from "./batch-guard.ts";

type RmaInsert = typeof rmas.$inferInsert;

/** Columns a change may set besides status, stage time, version and update time (e.g. `validUntil`). */
export type RmaChanges = Partial<
  Omit<RmaInsert, "rmaNumber" | "requestId" | "status" | "version" | "updatedAt" | ReturnType<typeof stageColumn>>
>;

interface ChangeBase {
  rmaNumber: string;
  /** `customer`, `system`, or `staff:<email>`. */
  actor: string;
  note?: string | null;
  /** The version the actor saw: when given, any other change since then refuses it. */
  expectedVersion?: number;
  /** Columns to set on the RMA; without them (and without a move) only the event is recorded. */
  set?: RmaChanges;
  /** A further condition on the RMA row (e.g. no reminder recorded yet). */
  where?: SQL;
  emails?: OutgoingEmail[];
  env: Pick<AppEnv, "RESEND_API_KEY">;
  now: Date;
}

/** A lifecycle move: from the status the actor saw to the next one. */
export interface Move extends ChangeBase {
  from: RmaStatus;
  to: RmaStatus;
  whenStatus?: never;
  /** Event kind, `status` unless said otherwise. */
  kind?: string;
  /** Staff grant the customer's cancellation request (allows `received → cancelled`). */
  cancellationGranted?: boolean;
  /** The unit's warranty verdict, when the caller knows it: an uncovered unit is quoted before repair. */
  covered?: boolean;
}

/** A change that keeps the status (or an event alone), applied only while the RMA is in one of `whenStatus`. */
export interface Keep extends ChangeBase {
  from?: never;
  to?: never;
  whenStatus?: readonly RmaStatus[];
  kind: string;
}

export type RmaChange = Move | Keep;

export interface ChangeResult {
  rmaNumber: string;
  from?: RmaStatus;
  to?: RmaStatus;
  /** The RMA's new version; null when only an event was recorded (the version stays). */
  version: number | null;
  /** Outbox rows written (rows whose dedupe key already existed are not), to be sent after the response. */
  emailIds: string[];
}

/** The statements of one change for a batch, and how to read their results (`results` from its first statement on). */
export interface ChangeStatements {
  statements: BatchItem<"sqlite">[];
  read(results: readonly unknown[]): { applied: boolean; version: number | null; emailIds: string[] };
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

const isMove = (change: RmaChange): change is Move => change.to !== undefined;

/**
 * The statements of one change, for a batch of the caller's. With `allOrNothing`, a change that no
 * longer applies fails the whole batch instead of writing nothing: several changes then land all
 * together or not at all (see `changeRmas`). A move the lifecycle does not allow is refused here,
 * before anything is sent.
 */
export function changeStatements(db: Db, change: RmaChange, opts: { allOrNothing?: boolean } = {}): ChangeStatements {
  const { rmaNumber, now } = change;
  const nowIso = now.toISOString();
  let status: SQL | undefined;
  let stage: Partial<RmaInsert> = {};
  if (isMove(change)) {
    const refused = moveRefusal(change.from, change.to, {
      ...(change.cancellationGranted === undefined ? {} : { cancellationGranted: change.cancellationGranted }),
      ...(change.covered === undefined ? {} : { covered: change.covered }),
    });
    if (refused) throw new Refusal("transition_refused", refused);
    status = eq(rmas.status, change.from);
    stage = { status: change.to, [stageColumn(change.to)]: nowIso };
  } else if (change.whenStatus) {
    status = inArray(rmas.status, [...change.whenStatus]);
  }
  const conditions = and(
    eq(rmas.rmaNumber, rmaNumber),
    status,
    change.expectedVersion === undefined ? undefined : eq(rmas.version, change.expectedVersion),
    change.where,
  );
  const event = {
    rmaNumber,
    at: nowIso,
    actor: change.actor,
    fromStatus: change.from ?? null,
    toStatus: change.to ?? null,
    kind: change.kind ?? "status",
    note: change.note ?? null,
  };
  const emails = change.emails ?? [];
  const mail =
    emails.length > 0
      ? insertWhen<typeof outbox, { id: string }>(
          db,
          outbox,
          emails.map((e) => outboxRow({ ...e, rmaNumber: e.rmaNumber ?? rmaNumber }, change.env)),
          WRITTEN,
          sql`id`,
        )
      : null;
  const guard = opts.allOrNothing ? [failBatchUnless(db, WRITTEN, `rma-change: ${rmaNumber} no longer applies`)] : [];
  const emailIds = (results: readonly unknown[]) => (mail ? (results.at(-1) as { id: string }[]).map((r) => r.id) : []);

  if (isMove(change) || change.set !== undefined) {
    const update = db
      .update(rmas)
      .set({ ...change.set, ...stage, updatedAt: nowIso, version: sql`${rmas.version} + 1` })
      .where(conditions)
      .returning({ version: rmas.version });
    const statements = [update, ...guard, insertWhen(db, rmaEvents, [event], WRITTEN), ...(mail ? [mail] : [])];
    return {
      statements,
      read: (results) => {
        const [row] = results[0] as { version: number }[];
        return { applied: row !== undefined, version: row?.version ?? null, emailIds: row ? emailIds(results) : [] };
      },
    };
  }
  // An event alone: written only while the RMA meets the conditions; the row (and its version) is left as it is.
  const recorded = insertWhen<typeof rmaEvents, { id: number }>(
    db,
    rmaEvents,
    [event],
    sql`EXISTS (SELECT 1 FROM ${rmas} WHERE ${conditions})`,
    sql`id`,
  );
  return {
    statements: [recorded, ...guard, ...(mail ? [mail] : [])],
    read: (results) => {
      const applied = (results[0] as unknown[]).length > 0;
      return { applied, version: null, emailIds: applied ? emailIds(results) : [] };
    },
  };
}

async function currentStatus(db: Db, rmaNumber: string): Promise<{ status: RmaStatus; version: number } | undefined> {
  const [row] = await db
    .select({ status: rmas.status, version: rmas.version })
    .from(rmas)
    .where(eq(rmas.rmaNumber, rmaNumber))
    .limit(1);
  return row;
}

/** The refusal when an RMA moved on before a conditional write: it says where the RMA is now. */
async function tooLate(db: Db, rmaNumber: string): Promise<Refusal> {
  const current = await currentStatus(db, rmaNumber);
  if (!current) return new Refusal("not_found", text("errors.desk.rmaNotFound", { number: rmaNumber }));
  return new Refusal("conflict", text("errors.desk.changedNow", { number: rmaNumber, status: statusWords(current.status) }));
}

async function runBatch(db: Db, statements: BatchItem<"sqlite">[]): Promise<unknown[]> {
  const [first, ...rest] = statements;
  if (!first) return [];
  return db.batch([first, ...rest]);
}

/**
 * One change in its own batch (one round trip); refused if the lifecycle does not allow it or it lost a race.
 * `before`: statements written first in the same batch, landing only with the change.
 */
export async function changeRma(db: Db, change: RmaChange, before: BatchItem<"sqlite">[] = []): Promise<ChangeResult> {
  const { statements, read } = changeStatements(db, change);
  const results = await runBatch(db, [...before, ...statements]);
  const { applied, version, emailIds } = read(results.slice(before.length));
  if (!applied) throw await tooLate(db, change.rmaNumber);
  return {
    rmaNumber: change.rmaNumber,
    ...(change.from === undefined ? {} : { from: change.from }),
    ...(change.to === undefined ? {} : { to: change.to }),
    version,
    emailIds,
  };
}

/**
 * Several changes in ONE all-or-nothing batch, with emails about them all (e.g. one email listing every
 * unit authorised): either every change is written, with its event, and the emails, or nothing is.
 */
export async function changeRmas(
  db: Db,
  changes: RmaChange[],
  opts: { emails?: OutgoingEmail[]; env: Pick<AppEnv, "RESEND_API_KEY"> },
): Promise<{ versions: Record<string, number>; emailIds: string[] }> {
  const parts = changes.map((change) => {
    try {
      return changeStatements(db, change, { allOrNothing: true });
    } catch (err) {
      if (err instanceof Refusal && err.code === "transition_refused")
        throw new Refusal("transition_refused", text("errors.desk.numbered", { number: change.rmaNumber, why: err.text }));
      throw err;
    }
  });
  const emails = opts.emails ?? [];
  const mail = emails.length > 0 ? [insertEmails(db, emails, opts.env).returning({ id: outbox.id })] : [];
  let results: unknown[];
  try {
    results = await runBatch(db, [...parts.flatMap((p) => p.statements), ...mail]);
  } catch (err) {
    if (!batchGuardFailed(err)) throw err;
    const numbers = changes.map((c) => c.rmaNumber);
    const now = await db
      .select({ rmaNumber: rmas.rmaNumber, status: rmas.status })
      .from(rmas)
      .where(inArray(rmas.rmaNumber, numbers));
    const moved = now.filter((r) => changes.some((c) => c.rmaNumber === r.rmaNumber && c.from !== r.status));
    // The first unit that moved is named (the page, reloaded, shows them all).
    const [first] = moved;
    throw new Refusal(
      "conflict",
      first
        ? text("errors.desk.unitsChanged", { number: first.rmaNumber, status: statusWords(first.status) })
        : text("errors.desk.unitsChangedAny"),
    );
  }
  const versions: Record<string, number> = {};
  let offset = 0;
  for (const [i, part] of parts.entries()) {
    const { version } = part.read(results.slice(offset, offset + part.statements.length));
    offset += part.statements.length;
    if (version !== null) versions[(changes[i] as RmaChange).rmaNumber] = version;
  }
  const emailIds = mail.length > 0 ? (results.at(-1) as { id: string }[]).map((r) => r.id) : [];
  return { versions, emailIds };
}
