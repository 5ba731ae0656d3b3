import { Hono } from "hono";
import { ApiError } from "../../errors.ts";
import { type AdminBindings, requirePermission } from "../../http/staff-guard.ts";
import { AUDIT_KINDS, isAuditKind, listAudit } from "../../services/team/audit.ts";
import { queryOf } from "./context.ts";

/** `GET /api/admin/audit?kind=&actor=&subject=&before=` (admins only): newest first, 100 a page. No writes. */
export const adminAudit = new Hono<AdminBindings>().use(requirePermission("audit.read")).get("/", async (c) => {
  const q = queryOf(c);
  const kind = q.get("kind") || undefined;
  if (kind !== undefined && !isAuditKind(kind)) {
    throw new ApiError(422, "validation_failed", `The kind is one of ${AUDIT_KINDS.join(", ")}.`, { kind: "Unknown kind." });
  }
  const before = Number(q.get("before") ?? "") || undefined;
  return c.json(
    await listAudit(c.var.db, { kind, actor: q.get("actor") || undefined, subject: q.get("subject") || undefined, before }),
  );
});
