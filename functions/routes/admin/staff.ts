import type { Context } from "hono";
import { Hono } from "hono";
import { deliverAfterResponse } from "../../http/background.ts";
import { limitBody, readBody } from "../../http/body.ts";
import { type AdminBindings, requirePermission } from "../../http/staff-guard.ts";
import { invite, listStaff, sendReset, setDisabled, setRole } from "../../services/team/accounts.ts";
import { teamContext } from "./context.ts";

/** A JSON body as a record of fields (anything else is an empty one, which each service refuses field by field). */
export async function fieldsOf(c: Context): Promise<Record<string, unknown>> {
  const { data } = await readBody(c, ["json"]);
  return data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

/**
 * Accounts (admins only): `GET /api/admin/staff`; `POST /api/admin/staff { email, role, locale? }` invites
 * (a one-time link by email); `PUT /api/admin/staff/{id}/role { role }`; `POST /api/admin/staff/{id}/disable`
 * and `/enable`; `POST /api/admin/staff/{id}/reset` sends a password reset link.
 */
export const adminStaff = new Hono<AdminBindings>()
  .use(requirePermission("staff.manage"))
  .get("/", async (c) => c.json({ accounts: await listStaff(c.var.db) }))
  .post("/", limitBody(), async (c) => {
    const result = await invite(c.var.db, await fieldsOf(c), teamContext(c));
    await deliverAfterResponse(c, result.emailIds);
    return c.json({ id: result.id, email: result.email }, 201);
  })
  .put("/:id/role", limitBody(), async (c) => {
    const { role } = await fieldsOf(c);
    return c.json(await setRole(c.var.db, c.req.param("id"), role, teamContext(c)));
  })
  .post("/:id/disable", async (c) => {
    await setDisabled(c.var.db, c.req.param("id"), true, teamContext(c));
    return c.body(null, 204);
  })
  .post("/:id/enable", async (c) => {
    await setDisabled(c.var.db, c.req.param("id"), false, teamContext(c));
    return c.body(null, 204);
  })
  .post("/:id/reset", async (c) => {
    const result = await sendReset(c.var.db, c.req.param("id"), teamContext(c));
    await deliverAfterResponse(c, result.emailIds);
    return c.json({ email: result.email });
  });
