import { Hono } from "hono";
import { pageNumberOf } from "../../domain/queue-filter.ts";
import { can } from "../../domain/roles.ts";
import { outboxRetrySchema } from "../../domain/staff-input.ts";
import { Refusal } from "../../errors.ts";
import { limitBody } from "../../http/body.ts";
import { readJson } from "../../http/json-input.ts";
import { type AdminBindings, requirePermission } from "../../http/staff-guard.ts";
import { encodeText, text } from "../../i18n/text.ts";
import { isOutboxStatus, listOutbox, OUTBOX_STATUSES, retryOutbox } from "../../services/outbox/desk.ts";
import { recordAudit } from "../../services/team/audit.ts";
import { auditorFor, queryOf } from "./context.ts";

/** `GET /api/admin/outbox?status=&page=`; `POST /api/admin/outbox/retry { ids } | { all: true }`. */
export const adminOutbox = new Hono<AdminBindings>()
  .get("/", requirePermission("outbox.read"), async (c) => {
    const q = queryOf(c);
    const status = q.get("status") || undefined;
    if (status !== undefined && !isOutboxStatus(status)) {
      throw new Refusal("validation_failed", text("errors.desk.filters.outboxStatus", { statuses: OUTBOX_STATUSES.join(", ") }), {
        status: encodeText(text("errors.desk.filters.unknownStatus")),
      });
    }
    return c.json(
      await listOutbox(c.var.db, c.env, {
        status,
        page: pageNumberOf(q.get("page")) ?? 1,
        showTeamLinks: can(c.var.staff.role, "staff.manage"),
      }),
    );
  })
  .post("/retry", requirePermission("outbox.retry"), limitBody(), async (c) => {
    const input = await readJson(c, outboxRetrySchema);
    const report = await retryOutbox(c.var.db, c.env, "all" in input ? "all" : { ids: input.ids });
    await recordAudit(c.var.db, auditorFor(c), {
      kind: "outbox-retry",
      subject: "all" in input ? "all" : input.ids.join(",").slice(0, 500),
      detail: { ...report },
    });
    return c.json(report);
  });
