import type { Context } from "hono";
import type { AdminBindings } from "../../http/staff-guard.ts";
import type { ActionContext } from "../../services/rma/action-context.ts";
import { staffActionContext } from "../../services/staff/sign-in.ts";

/** The signed-in staff member as the actor of an action, with the settings it needs. */
export function actionContext(c: Context<AdminBindings>): ActionContext {
  return staffActionContext(c.var.staff, c.env, c.req.url);
}

export function queryOf(c: Context): URLSearchParams {
  return new URL(c.req.url).searchParams;
}
