import { Hono } from "hono";
import { Refusal } from "../../errors.ts";
import { type AdminBindings, requirePermission } from "../../http/staff-guard.ts";
import { text } from "../../i18n/text.ts";
import { listAudit, parseAuditFilter } from "../../services/team/audit.ts";
import { queryOf } from "./context.ts";

/**
 * `GET /api/admin/audit?kind=&actor=&subject=&from=&to=&before=` (admins only): newest first, 100 a page;
 * `from`/`to` are days (`YYYY-MM-DD`, UTC), both included. No writes.
 */
export const adminAudit = new Hono<AdminBindings>().use(requirePermission("audit.read")).get("/", async (c) => {
  const { filter, errors } = parseAuditFilter(queryOf(c));
  if (Object.keys(errors).length > 0) throw new Refusal("validation_failed", text("errors.desk.filters.invalid"), errors);
  return c.json(await listAudit(c.var.db, filter));
});
