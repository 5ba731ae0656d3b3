/**
 * Staff answering on an RMA: `POST /api/admin/rmas/{n}/messages` (JSON `{ "body" }`, or multipart with
 * `body` and `files` parts: the staff RMA page's form, with or without JavaScript) and
 * `GET /api/admin/rmas/{n}/history` (everything, time-ordered, internal notes included, event titles in the
 * staff member's language). Guarded like the rest of the staff API
 * (the portal's own Origin for writes, a staff session) with the existing guards, used as they are.
 */
import { Hono } from "hono";
import { z } from "zod";
import { Refusal } from "../errors.ts";
import { deliverAfterResponse } from "../http/background.ts";
import { limitBody } from "../http/body.ts";
import { readJson } from "../http/json-input.ts";
import { multipartBoundary } from "../http/multipart.ts";
import { type AdminBindings, requirePermission, requireStaff, sameOrigin } from "../http/staff-guard.ts";
import { linkContext } from "../links.ts";
import { FileRefusal } from "../services/files/store.ts";
import { checkBody, MAX_MESSAGE_CHARS, postMessage, postStaffReply } from "../services/messages/post.ts";
import { rmaNotFound } from "../services/rma/action-context.ts";
import { loadStaffRmaPage } from "../services/rma/detail.ts";
import { staffHistory } from "../services/rma/history.ts";
import { loadRma } from "../services/rma/view.ts";
import { backToForm, requestLocale, wantsPage } from "./messages.ts";

const replySchema = z.strictObject({ body: z.string().max(MAX_MESSAGE_CHARS * 4), locale: z.string().max(5).optional() });

const NO_RMA = (n: string) => new Refusal("not_found", rmaNotFound(n));

// Mounted before the rest of /api/admin/rmas: its checks apply to its own two paths only (a session is
// checked, and slid, once per request), with the role's permission for each.
export const staffMessages = new Hono<AdminBindings>()
  .use("/:rmaNumber/history", requireStaff, requirePermission("desk.read"))
  .use("/:rmaNumber/messages", sameOrigin, requireStaff, requirePermission("rma.message"))
  .get("/:rmaNumber/history", async (c) => {
    // The RMA, its thread and its internal notes in one round trip (the staff page's own read).
    const now = new Date();
    const read = await loadStaffRmaPage(c.var.db, c.req.param("rmaNumber"), now);
    if (!read) throw NO_RMA(c.req.param("rmaNumber"));
    return c.json({ history: await staffHistory(c.var.db, read.record, now, c.var.staff.locale, read.notes) });
  })
  .post(
    "/:rmaNumber/messages",
    async (c, next) => {
      await next();
      if (c.error instanceof FileRefusal && wantsPage(c)) {
        c.res = c.redirect(backToForm(`/admin/rma/${encodeURIComponent(c.req.param("rmaNumber"))}`, c.error), 303);
      }
    },
    (c, next) => (multipartBoundary(c.req.header("content-type")) ? next() : limitBody()(c, next)),
    async (c) => {
      const number = c.req.param("rmaNumber");
      const now = new Date();
      const boundary = multipartBoundary(c.req.header("content-type"));
      const record = await loadRma(c.var.db, number);
      if (!record) throw NO_RMA(number);
      const author = { kind: "staff" as const, email: c.var.staff.email };
      let posted: Awaited<ReturnType<typeof postMessage>>;
      if (!boundary) {
        const reply = await readJson(c, replySchema);
        const text = checkBody(reply.body, false, requestLocale(c, reply.locale));
        posted = await postMessage(c.var.db, c.env, {
          record,
          author,
          body: text,
          files: [],
          links: linkContext(c.env, c.req.url),
          now,
        });
      } else {
        posted = await postStaffReply(c.var.db, c.env, {
          record,
          staffEmail: c.var.staff.email,
          stream: c.req.raw.body,
          boundary,
          locale: requestLocale(c),
          links: linkContext(c.env, c.req.url),
          now,
        });
      }
      await deliverAfterResponse(c, posted.emailIds);
      if (boundary && wantsPage(c)) return c.redirect(`/admin/rma/${record.rma.rmaNumber}?sent=message#history`, 303);
      return c.json({ message: { id: posted.id, createdAt: posted.createdAt, files: posted.files } }, 201);
    },
  );
