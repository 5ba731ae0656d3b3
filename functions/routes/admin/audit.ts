import { Hono } from "hono";
import { Refusal } from "../../errors.ts";
import { type AdminBindings, requirePermission } from "../../http/staff-guard.ts";
import { encodeText, text } from "../../i18n/text.ts";
import { AUDIT_KINDS, isAuditKind, listAudit } from "../../services/team/audit.ts";
import { queryOf } from "./context.ts";

/** `GET /api/admin/audit?kind=&actor=&subject=&before=` (admins only): newest first, 100 a page. No writes. */
export const adminAudit = new Hono<AdminBindings>().use(requirePermission("audit.read")).get("/", async (c) => {
  const q = queryOf(c);
  const kind = q.get("kind") || undefined;
  if (kind !== undefined && !isAuditKind(kind)) {
    throw new Refusal("validation_failed", text("errors.desk.filters.auditKind", { kinds: AUDIT_KINDS.join(", ") }), {
      kind: encodeText(text("errors.desk.filters.unknownKind")),
    });
  }
  const before = Number(q.get("before") ?? "") || undefined;
  return c.json(
    await listAudit(c.var.db, { kind, actor: q.get("actor") || undefined, subject: q.get("subject") || undefined, before }),
  );
});
