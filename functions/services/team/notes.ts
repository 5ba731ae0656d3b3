/**
 * Internal notes of staff on an RMA: written and read only by the desk (never by a customer page,
 * email or the customer API). `notesOf` gives `{ at, author, body }` to merge into the RMA's history.
 */
import { asc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { rmaNotes } from "../../../db/schema/team.ts";
import { rmas } from "../../../db/schema.ts";
import { Refusal } from "../../errors.ts";
import { t } from "../../i18n/index.ts";
import { rmaNotFound } from "../rma/action-context.ts";
import type { StaffIdentity } from "../staff/session.ts";
import { type Auditor, auditStatement } from "./audit.ts";

export const MAX_NOTE_CHARS = 4000;

export interface InternalNote {
  at: string;
  author: string;
  body: string;
}

/** An RMA's internal notes, oldest first: a statement for a caller's batch (the staff RMA page's). */
export function notesStatement(db: Db, rmaNumber: string) {
  return db
    .select({ at: rmaNotes.at, author: rmaNotes.author, body: rmaNotes.body })
    .from(rmaNotes)
    .where(eq(rmaNotes.rmaNumber, rmaNumber))
    .orderBy(asc(rmaNotes.at), asc(rmaNotes.id));
}

export async function notesOf(db: Db, rmaNumber: string): Promise<InternalNote[]> {
  return notesStatement(db, rmaNumber);
}

export async function addNote(
  db: Db,
  rmaNumber: string,
  bodyInput: unknown,
  staff: StaffIdentity,
  by: Auditor,
  now: Date,
): Promise<InternalNote> {
  const locale = staff.locale;
  const body = typeof bodyInput === "string" ? bodyInput.replace(/\r\n?/g, "\n").trim() : "";
  if (!body) {
    const message = t(locale, "team.note.empty");
    throw new Refusal("validation_failed", message, { body: message });
  }
  if ([...body].length > MAX_NOTE_CHARS) {
    const message = t(locale, "team.note.tooLong", { max: MAX_NOTE_CHARS });
    throw new Refusal("validation_failed", message, { body: message });
  }
  // Control characters other than line breaks and tabs have no place in a note.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  const clean = body.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
  const [rma] = await db.select({ n: rmas.rmaNumber }).from(rmas).where(eq(rmas.rmaNumber, rmaNumber)).limit(1);
  if (!rma) throw new Refusal("not_found", rmaNotFound(rmaNumber));
  const at = now.toISOString();
  await db.batch([
    db.insert(rmaNotes).values({ rmaNumber, at, authorId: staff.userId, author: staff.email, body: clean }),
    auditStatement(db, by, { kind: "rma-note", subject: rmaNumber, detail: { chars: [...clean].length } }, now),
  ]);
  return { at, author: staff.email, body: clean };
}
