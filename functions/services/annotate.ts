/**
 * Changing an RMA without moving it (the warranty refused at diagnosis, a cancellation request decided):
 * like a move, ONE batch with the conditional update, its event and its emails. The update matches only
 * the status and version the actor saw; the event and emails are written only if it changed the row.
 */
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { outbox, rmaEvents, rmas } from "../../db/schema.ts";
import type { RmaStatus } from "../domain/status.ts";
import { type OutgoingEmail, outboxRow } from "../email/outbox.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { insertWhen, type RmaChanges, WRITTEN } from "./transition.ts";

export interface AnnotateInput {
  rmaNumber: string;
  /** The status the actor saw: nothing is written if the RMA has left it. */
  status: RmaStatus;
  expectedVersion: number;
  /** A further condition on the row (e.g. a cancellation request still waiting). */
  where?: SQL;
  set: RmaChanges;
  actor: string;
  /** The event's kind (`warranty-refused`, `cancellation-refused`...). */
  kind: string;
  note?: string | null;
  emails?: OutgoingEmail[];
  env: Pick<AppEnv, "RESEND_API_KEY">;
  now: Date;
}

export async function annotateRma(db: Db, input: AnnotateInput): Promise<{ version: number; emailIds: string[] }> {
  const { rmaNumber, now } = input;
  const nowIso = now.toISOString();
  const update = db
    .update(rmas)
    .set({ ...input.set, updatedAt: nowIso, version: sql`${rmas.version} + 1` })
    .where(
      and(eq(rmas.rmaNumber, rmaNumber), eq(rmas.status, input.status), eq(rmas.version, input.expectedVersion), input.where),
    )
    .returning({ version: rmas.version });
  const event = insertWhen(
    db,
    rmaEvents,
    [{ rmaNumber, at: nowIso, actor: input.actor, fromStatus: null, toStatus: null, kind: input.kind, note: input.note ?? null }],
    WRITTEN,
  );
  // The emails only if the event was written (which it is only if the update changed the row).
  const rows = (input.emails ?? []).map((e) => outboxRow({ ...e, rmaNumber: e.rmaNumber ?? rmaNumber }, input.env));
  const mail = rows.length > 0 ? insertWhen<typeof outbox, { id: string }>(db, outbox, rows, WRITTEN, sql`id`) : null;
  const [updated, , written] = mail ? await db.batch([update, event, mail]) : await db.batch([update, event]);
  const [row] = updated;
  if (!row) {
    const [current] = await db.select({ status: rmas.status }).from(rmas).where(eq(rmas.rmaNumber, rmaNumber)).limit(1);
    if (!current) throw new ApiError(404, "not_found", `There is no RMA ${rmaNumber}.`);
    throw new ApiError(
      409,
      "conflict",
      `${rmaNumber} was changed by someone else (it is now ${current.status}). Reload the page and try again.`,
    );
  }
  return { version: row.version, emailIds: (written ?? []).map((r) => r.id) };
}
