/**
 * The insight API under /api/admin/insight, with the staff checks of the rest of /api/admin applied
 * here (it is mounted before them): a staff session for everything, the portal's own Origin for writes.
 *
 * - `GET|POST /categories`, `PATCH /categories/{code}`: the failure categories admins maintain;
 * - `GET|PUT /settings`: turnaround targets (working days) and the repair warranty's months;
 * - `PUT /rmas/{n}/diagnosis`: record or correct the diagnosis details of an RMA;
 * - `GET /dashboard?from=YYYY-MM&to=YYYY-MM&model=`: the dashboard's figures;
 * - `GET /overdue`: the open RMAs past a turnaround target now, most overdue first.
 */
import { Hono } from "hono";
import { categorySchema, categoryUpdateSchema, diagnosisSchema, insightSettingsSchema } from "../domain/staff-input.ts";
import { limitBody } from "../http/body.ts";
import { readJson } from "../http/json-input.ts";
import { type AdminBindings, requirePermission, requireStaff, sameOrigin } from "../http/staff-guard.ts";
import { addCategory, allCategories, updateCategory } from "../services/insight/categories.ts";
import { dashboardFigures } from "../services/insight/dashboard.ts";
import { parseDashboardFilter } from "../services/insight/dashboard-filter.ts";
import { recordDiagnosis } from "../services/insight/diagnosis.ts";
import { overdueRmas } from "../services/insight/overdue.ts";
import { readInsightSettings, writeInsightSettings } from "../services/insight/settings.ts";

export const insight = new Hono<AdminBindings>()
  .use(sameOrigin)
  .use(requireStaff)
  .get("/categories", requirePermission("reports.read"), async (c) => c.json({ categories: await allCategories(c.var.db) }))
  .post("/categories", requirePermission("failure-codes.manage"), limitBody(), async (c) =>
    c.json(await addCategory(c.var.db, await readJson(c, categorySchema)), 201),
  )
  .patch("/categories/:code", requirePermission("failure-codes.manage"), limitBody(), async (c) =>
    c.json(await updateCategory(c.var.db, c.req.param("code"), await readJson(c, categoryUpdateSchema), new Date())),
  )
  .get("/settings", requirePermission("reports.read"), async (c) => c.json(await readInsightSettings(c.var.db)))
  .put("/settings", requirePermission("settings.manage"), limitBody(), async (c) =>
    c.json(await writeInsightSettings(c.var.db, await readJson(c, insightSettingsSchema))),
  )
  .put("/rmas/:number/diagnosis", requirePermission("rma:confirm-warranty"), limitBody(), async (c) =>
    c.json(await recordDiagnosis(c.var.db, c.req.param("number"), await readJson(c, diagnosisSchema), new Date())),
  )
  .get("/overdue", requirePermission("reports.read"), async (c) => c.json({ overdue: await overdueRmas(c.var.db, new Date()) }))
  .get("/dashboard", requirePermission("reports.read"), async (c) => {
    const filter = parseDashboardFilter(new URL(c.req.url).searchParams, new Date());
    return c.json(await dashboardFigures(c.var.db, filter));
  });
