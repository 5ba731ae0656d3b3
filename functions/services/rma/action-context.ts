/**
 * What every staff action on one RMA shares: reading the RMA with its request in one round trip, the
 * checks made before a change (the version the staff member saw, the gate `actionRefusal`), and the
 * change itself through `changeRma` with the staff member as actor.
 */

import { eq, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../../db/client.ts";
import { type RequestRow, type RmaRow, returnRequests, rmas } from "../../../db/schema.ts";
import { effectiveStatus } from "../../domain/expiry.ts";
import { actionRefusal, type RequestUnits, statusWords } from "../../domain/staff-actions.ts";
import type { ActionInput, StaffAction } from "../../domain/staff-input.ts";
import type { RmaStatus } from "../../domain/status.ts";
import type { EmailContent } from "../../email/letters.ts";
import type { OutgoingEmail } from "../../email/outbox.ts";
import type { AppEnv } from "../../env.ts";
import { Refusal } from "../../errors.ts";
import { type Locale, toLocale } from "../../i18n/index.ts";
import { text } from "../../i18n/text.ts";
import type { LinkContext } from "../../links.ts";
import { changeRma, type RmaChanges } from "./change.ts";

export interface ActionContext {
  /** `staff:<email>` (or `customer` for a quote answered online). */
  actor: string;
  env: AppEnv;
  links: LinkContext;
  now: Date;
}

export interface ActionResult {
  rmaNumber: string;
  status: RmaStatus;
  version: number;
  /** Outbox rows written, to be sent after the response. */
  emailIds: string[];
  /** What was done, in one word, for the page's confirmation (`?done=authorized`). */
  done: string;
  /** The RMA numbers an "authorise all" moved. */
  authorized?: string[];
}

/** A staff action's service: the RMA as read (its version compared, the gate asked), the action's input, who acts and when. */
export type ActionHandler<A extends StaffAction> = (
  db: Db,
  rec: LoadedRma,
  input: ActionInput<A>,
  ctx: ActionContext,
) => Promise<ActionResult>;

export interface LoadedRma {
  rma: RmaRow;
  request: RequestRow;
}

/** "There is no RMA …", naming at most 40 characters of what was asked for. */
export const rmaNotFound = (rmaNumber: string) => text("errors.desk.rmaNotFound", { number: rmaNumber.slice(0, 40) });

export async function loadForAction(db: Db, rmaNumber: string): Promise<LoadedRma> {
  const [[rma], [request]] = await db.batch([
    db.select().from(rmas).where(eq(rmas.rmaNumber, rmaNumber)).limit(1),
    db
      .select()
      .from(returnRequests)
      .where(sql`${returnRequests.id} = (SELECT request_id FROM rmas WHERE rma_number = ${rmaNumber})`)
      .limit(1),
  ]);
  if (!rma || !request) throw new Refusal("not_found", rmaNotFound(rmaNumber));
  return { rma, request };
}

/** Refuses an action on an RMA changed since the staff member loaded it: two clicks cannot both win. */
export function checkVersion(rec: LoadedRma, version: number, now: Date): void {
  if (rec.rma.version === version) return;
  throw new Refusal(
    "conflict",
    text("errors.desk.changedSinceLoaded", { number: rec.rma.rmaNumber, status: statusWords(effectiveStatus(rec.rma, now)) }),
  );
}

/** Asks the gate whether `action` is allowed for this RMA now, and refuses it (409, the gate's code) when not. */
export function refuseUnlessAllowed(action: StaffAction, rec: LoadedRma, now: Date, request?: RequestUnits): void {
  const refusal = actionRefusal(action, rec.rma, now, request);
  if (refusal) throw new Refusal(refusal.code, refusal.words);
}

/** The language of the RMA's request: its customer's emails and links are written in it, whoever acts. */
export function readerLocale(rec: { request: { locale?: string | null } }): Locale {
  return toLocale(rec.request.locale);
}

export function mailUnit(rma: Pick<RmaRow, "rmaNumber" | "model" | "serialNumber">) {
  return { rmaNumber: rma.rmaNumber, model: rma.model, serialNumber: rma.serialNumber };
}

/** An email to the customer about this RMA, unique per RMA version so a retried action never sends it twice. */
export function toCustomer(rec: LoadedRma, kind: string, content: EmailContent): OutgoingEmail {
  return {
    to: rec.request.email,
    ...content,
    requestId: rec.request.id,
    rmaNumber: rec.rma.rmaNumber,
    dedupeKey: `${kind}:${rec.rma.rmaNumber}:v${rec.rma.version}`,
  };
}

/**
 * A staff change: a move to `to`, or (with `kind`) a decision recorded as an event that keeps the status.
 * It applies only to the version read (which `runRmaAction` compared with the one the staff member saw).
 */
export type StaffChange = {
  note?: string | null;
  set?: RmaChanges;
  where?: SQL;
  emails?: OutgoingEmail[];
  /**
   * Statements written first in the change's own batch (the diagnosis details), built for the version read:
   * they land exactly when the change does, and the triggers that count the move already see them.
   */
  before?: BatchItem<"sqlite">[];
  done: string;
} & ({ to: RmaStatus; covered?: boolean; cancellationGranted?: boolean } | { to?: never; kind: string });

/** Changes the RMA from the status it was read in, as the version the staff member saw, with its event and emails. */
export async function staffChange(db: Db, rec: LoadedRma, ctx: ActionContext, change: StaffChange): Promise<ActionResult> {
  const { rma } = rec;
  const base = {
    rmaNumber: rma.rmaNumber,
    actor: ctx.actor,
    note: change.note ?? null,
    expectedVersion: rma.version,
    ...(change.set ? { set: change.set } : {}),
    ...(change.where ? { where: change.where } : {}),
    ...(change.emails ? { emails: change.emails } : {}),
    env: ctx.env,
    now: ctx.now,
  };
  const result = await changeRma(
    db,
    change.to === undefined
      ? { ...base, whenStatus: [rma.status], kind: change.kind }
      : {
          ...base,
          from: rma.status,
          to: change.to,
          ...(change.covered === undefined ? {} : { covered: change.covered }),
          ...(change.cancellationGranted === undefined ? {} : { cancellationGranted: change.cancellationGranted }),
        },
    change.before,
  );
  return {
    rmaNumber: rma.rmaNumber,
    status: change.to ?? rma.status,
    version: result.version ?? rma.version,
    emailIds: result.emailIds,
    done: change.done,
  };
}

/** "First sentence. Second." from optional parts. */
export function sentences(...parts: (string | false | null | undefined)[]): string | null {
  const kept = parts
    .filter((p): p is string => typeof p === "string" && p.trim() !== "")
    .map((p) => (/[.!?]$/.test(p.trim()) ? p.trim() : `${p.trim()}.`));
  return kept.length > 0 ? kept.join(" ") : null;
}
