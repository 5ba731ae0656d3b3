import { Hono } from "hono";
import { allowedActions } from "../../domain/roles.ts";
import { isStaffAction } from "../../domain/staff-input.ts";
import { Refusal } from "../../errors.ts";
import { deliverAfterResponse } from "../../http/background.ts";
import { limitBody, readBody } from "../../http/body.ts";
import { type AdminBindings, assertCan, requirePermission } from "../../http/staff-guard.ts";
import { encodeText, say, text } from "../../i18n/text.ts";
import { rmaNotFound } from "../../services/rma/action-context.ts";
import { runRmaAction } from "../../services/rma/actions.ts";
import { loadStaffRmaPage } from "../../services/rma/detail.ts";
import { lookupParcel } from "../../services/rma/parcel-lookup.ts";
import { assign } from "../../services/team/assignment.ts";
import { recordAudit } from "../../services/team/audit.ts";
import { addNote, notesOf } from "../../services/team/notes.ts";
import { actionContext, auditorFor, queryOf } from "./context.ts";
import { fieldsOf } from "./staff.ts";

/**
 * `GET /api/admin/rmas/{n}`: everything about one RMA and the actions allowed now.
 * `POST /api/admin/rmas/{n}/{action}`: one staff action (authorize, reject, receive, quote, ship...).
 * `GET /api/admin/lookup?q=`: a parcel's RMA by number or serial.
 */
export const adminRmas = new Hono<AdminBindings>()
  .get("/rmas/:number", requirePermission("desk.read"), async (c) => {
    const number = c.req.param("number");
    // What the staff RMA page reads, in its one round trip.
    const read = await loadStaffRmaPage(c.var.db, number, new Date(), c.var.staff.locale);
    if (!read) throw new Refusal("not_found", rmaNotFound(number));
    const { detail, notes, assignee } = read;
    const { role } = c.var.staff;
    return c.json({ ...detail, actions: allowedActions(role, detail.actions), notes, assignee });
  })
  .get("/rmas/:number/notes", requirePermission("desk.read"), async (c) =>
    c.json({ notes: await notesOf(c.var.db, c.req.param("number")) }),
  )
  .post("/rmas/:number/notes", requirePermission("rma.note"), limitBody(), async (c) => {
    const { body } = await fieldsOf(c);
    return c.json(await addNote(c.var.db, c.req.param("number"), body, c.var.staff, auditorFor(c), new Date()), 201);
  })
  .put("/rmas/:number/assignee", requirePermission("rma.assign"), limitBody(), async (c) => {
    const { assignee } = await fieldsOf(c);
    const to = await assign(c.var.db, c.req.param("number"), assignee ?? null, c.var.staff, auditorFor(c), new Date());
    return c.json({ assignee: to });
  })
  .post("/rmas/:number/:action", limitBody(), async (c) => {
    const action = c.req.param("action");
    assertCan(c.var.staff, isStaffAction(action) ? `rma:${action}` : "desk.read", action);
    const body = await readBody(c, ["json"]);
    const number = c.req.param("number");
    const result = await runRmaAction(c.var.db, number, action, body.data, actionContext(c));
    await recordAudit(c.var.db, auditorFor(c), { kind: "rma-action", subject: number, detail: { action, done: result.done } });
    await deliverAfterResponse(c, result.emailIds);
    return c.json(result);
  })
  .get("/lookup", requirePermission("desk.read"), async (c) => {
    const q = queryOf(c).get("q")?.trim() ?? "";
    if (!q) {
      throw new Refusal("validation_failed", text("errors.desk.lookupQuery"), { q: encodeText(text("errors.desk.required")) });
    }
    const found = await lookupParcel(c.var.db, q, new Date());
    const { locale } = c.var;
    return c.json({
      ...found,
      matches: found.matches.map((m) => ({ ...m, advice: say(locale, m.advice) })),
      problem: found.problem && say(locale, found.problem),
    });
  });
