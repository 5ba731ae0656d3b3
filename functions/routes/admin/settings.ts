import { Hono } from "hono";
import { settingsSchema } from "../../domain/staff-input.ts";
import { limitBody } from "../../http/body.ts";
import { readJson } from "../../http/json-input.ts";
import type { AdminBindings } from "../../http/staff-guard.ts";
import { readSettings, writeSettings } from "../../services/staff/settings.ts";

/** `GET /api/admin/settings`; `PUT /api/admin/settings { autoAuthorize: boolean }`. */
export const adminSettings = new Hono<AdminBindings>()
  .get("/", async (c) => c.json(await readSettings(c.var.db)))
  .put("/", limitBody(), async (c) => c.json(await writeSettings(c.var.db, await readJson(c, settingsSchema))));
