import { Hono } from "hono";
import { readQueueFilter } from "../../domain/queue-filter.ts";
import { Refusal } from "../../errors.ts";
import { type AdminBindings, requirePermission } from "../../http/staff-guard.ts";
import { encodeText, text } from "../../i18n/text.ts";
import { loadQueue, parseAssigned, TOTAL_CAP } from "../../services/rma/queue.ts";
import { queryOf } from "./context.ts";

/**
 * `GET /api/admin/queue?status=&model=&warranty=covered|not-covered&from=&to=&q=&assigned=me|none&page=`
 * (`assigned`: the RMAs assigned to the signed-in staff member, or to nobody).
 */
export const adminQueue = new Hono<AdminBindings>().get("/", requirePermission("desk.read"), async (c) => {
  const q = queryOf(c);
  const { filter, errors } = readQueueFilter(q);
  const assigned = parseAssigned(q.get("assigned"));
  if (assigned === false) errors["assigned"] = encodeText(text("errors.desk.filters.assigned"));
  if (Object.keys(errors).length > 0) throw new Refusal("validation_failed", text("errors.desk.filters.invalid"), errors);
  return c.json(
    await loadQueue(c.var.db, filter, new Date(), TOTAL_CAP, assigned ? { to: assigned, userId: c.var.staff.userId } : undefined),
  );
});
