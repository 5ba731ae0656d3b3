/**
 * Every staff action on an RMA behind one entry point, used alike by the JSON API
 * (`POST /api/admin/rmas/{n}/{action}`) and the admin pages' forms: the input is checked against the
 * action's schema, the RMA read, the version the staff member saw compared, the gate asked
 * (`actionRefusal`: is this action allowed for this RMA now?), and the action's service called.
 */
import type { Db } from "../../../db/client.ts";
import { VALIDATION_TEXT } from "../../domain/input.ts";
import { isStaffAction, parseAction, STAFF_ACTIONS, type StaffAction } from "../../domain/staff-input.ts";
import { Refusal } from "../../errors.ts";
import { text } from "../../i18n/text.ts";
import { cancel, grantCancellation, refuseCancellation } from "../cancellation.ts";
import { answerQuote, quote } from "../quote.ts";
import {
  type ActionContext,
  type ActionHandler,
  type ActionResult,
  checkVersion,
  loadForAction,
  refuseUnlessAllowed,
} from "./action-context.ts";
import { authorize, authorizeAll, reject } from "./authorization.ts";
import { close, confirmWarranty, finishRepair, receive, refuseWarranty, ship } from "./workshop.ts";

const HANDLERS: { [A in StaffAction]: ActionHandler<A> } = {
  authorize,
  "authorize-all": authorizeAll,
  reject,
  cancel,
  receive,
  "confirm-warranty": confirmWarranty,
  "refuse-warranty": refuseWarranty,
  quote,
  "record-quote-answer": (db, rec, input, ctx) => answerQuote(db, rec, { decision: input.decision, note: input.note }, ctx),
  "finish-repair": finishRepair,
  ship,
  close,
  "grant-cancellation": grantCancellation,
  "refuse-cancellation": refuseCancellation,
};

async function run<A extends StaffAction>(db: Db, rmaNumber: string, action: A, raw: unknown, ctx: ActionContext) {
  const parsed = parseAction(action, raw);
  if (!parsed.ok) throw new Refusal("validation_failed", VALIDATION_TEXT, parsed.fields);
  const rec = await loadForAction(db, rmaNumber);
  const input = parsed.data;
  if ("version" in input && typeof input.version === "number") checkVersion(rec, input.version, ctx.now);
  refuseUnlessAllowed(action, rec, ctx.now);
  return HANDLERS[action](db, rec, input, ctx);
}

/** Runs one staff action on an RMA; refusals are `Refusal`s by code (the one error shape under /api). */
export async function runRmaAction(
  db: Db,
  rmaNumber: string,
  action: string,
  raw: unknown,
  ctx: ActionContext,
): Promise<ActionResult> {
  if (!isStaffAction(action)) {
    throw new Refusal(
      "unknown_action",
      text("errors.desk.unknownAction", { action: action.slice(0, 40), actions: STAFF_ACTIONS.join(", ") }),
    );
  }
  return run(db, rmaNumber, action, raw, ctx);
}
