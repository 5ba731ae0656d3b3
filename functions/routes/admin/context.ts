import type { Context } from "hono";
import type { AdminBindings } from "../../http/staff-guard.ts";
import { staffActionContext } from "../../services/admin-auth.ts";
import type { ActionContext } from "../../services/admin-rma-context.ts";

/** The signed-in staff member as the actor of an action, with the settings it needs. */
export function actionContext(c: Context<AdminBindings>): ActionContext {
  return staffActionContext(c.var.staff, c.env, c.req.url);
}

export function queryOf(c: Context): URLSearchParams {
  return new URL(c.req.url).searchParams;
}
