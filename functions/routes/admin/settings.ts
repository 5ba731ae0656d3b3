import { Hono } from "hono";
import { settingsSchema } from "../../domain/staff-input.ts";
import { limitBody } from "../../http/body.ts";
import { readJson } from "../../http/json-input.ts";
import { type AdminBindings, requirePermission } from "../../http/staff-guard.ts";
import { readSettings, writeSettings } from "../../services/staff/settings.ts";
import { recordAudit } from "../../services/team/audit.ts";
import { auditorFor } from "./context.ts";

/** `GET /api/admin/settings`; `PUT /api/admin/settings { autoAuthorize: boolean }`. */
export const adminSettings = new Hono<AdminBindings>()
  .use(requirePermission("settings.manage"))
  .get("/", async (c) => c.json(await readSettings(c.var.db)))
  .put("/", limitBody(), async (c) => {
    const next = await readJson(c, settingsSchema);
    const before = await readSettings(c.var.db);
    const saved = await writeSettings(c.var.db, next);
    await recordAudit(c.var.db, auditorFor(c), { kind: "settings", subject: "settings", detail: { from: before, to: saved } });
    return c.json(saved);
  });
