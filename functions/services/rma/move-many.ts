/**
 * Several lifecycle moves in ONE all-or-nothing batch (authorising every unit of a request at once,
 * with one email listing them all): each move's statements from `moveStatements` with `mustMove`, so an
 * update that matched no row fails its event and rolls the whole batch back. Either every unit moved,
 * with its event and the email, or nothing was written.
 */
import { inArray } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { outbox, rmas } from "../../../db/schema.ts";
import type { RmaStatus } from "../../domain/status.ts";
import { insertEmails, type OutgoingEmail } from "../../email/outbox.ts";
import type { AppEnv } from "../../env.ts";
import { ApiError, matchError } from "../../errors.ts";
import { moveStatements, type RmaChanges } from "./change.ts";

export interface BatchMove {
  rmaNumber: string;
  from: RmaStatus;
  to: RmaStatus;
  set?: RmaChanges;
  note?: string | null;
}

export interface MoveManyInput {
  moves: BatchMove[];
  actor: string;
  emails?: OutgoingEmail[];
  env: Pick<AppEnv, "RESEND_API_KEY">;
  now: Date;
}

const LOST_RACE = /NOT NULL constraint failed: rma_events\.rma_number/;

const lostRace = (err: unknown) => matchError(err, LOST_RACE) !== null;

export async function moveMany(db: Db, input: MoveManyInput): Promise<{ versions: Record<string, number>; emailIds: string[] }> {
  const statements = input.moves.flatMap((m) => {
    try {
      const { update, event } = moveStatements(
        db,
        { ...m, actor: input.actor, env: input.env, now: input.now },
        { mustMove: true },
      );
      return [update, event];
    } catch (err) {
      if (err instanceof ApiError && err.code === "transition_refused")
        throw new ApiError(409, "transition_refused", `${m.rmaNumber}: ${err.message}`);
      throw err;
    }
  });
  const emails = input.emails ?? [];
  const mail = emails.length > 0 ? [insertEmails(db, emails, input.env).returning({ id: outbox.id })] : [];
  const [first, ...rest] = [...statements, ...mail];
  if (!first) return { versions: {}, emailIds: [] };
  let results: unknown[];
  try {
    results = await db.batch([first, ...rest]);
  } catch (err) {
    if (!lostRace(err)) throw err;
    const numbers = input.moves.map((m) => m.rmaNumber);
    const now = await db
      .select({ rmaNumber: rmas.rmaNumber, status: rmas.status })
      .from(rmas)
      .where(inArray(rmas.rmaNumber, numbers));
    const moved = now.filter((r) => input.moves.some((m) => m.rmaNumber === r.rmaNumber && m.from !== r.status));
    const which = moved.map((r) => `${r.rmaNumber} is now ${r.status}`).join(", ") || "one of the units changed";
    throw new ApiError(
      409,
      "conflict",
      `Nothing was changed: someone else changed these units meanwhile (${which}). Reload the page.`,
    );
  }
  const versions: Record<string, number> = {};
  for (const [i] of input.moves.entries()) {
    const [row] = results[i * 2] as { rmaNumber: string; version: number }[];
    if (row) versions[row.rmaNumber] = row.version;
  }
  const emailIds = mail.length > 0 ? (results[results.length - 1] as { id: string }[]).map((r) => r.id) : [];
  return { versions, emailIds };
}
