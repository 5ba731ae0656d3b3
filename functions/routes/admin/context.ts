import type { Context } from "hono";
import type { AdminBindings } from "../../http/staff-guard.ts";
import { linkContext } from "../../links.ts";
import { actorOf } from "../../services/admin-auth.ts";
import type { ActionContext } from "../../services/admin-rma-context.ts";

/** The signed-in staff member as the actor of an action, with the settings it needs. */
export function actionContext(c: Context<AdminBindings>): ActionContext {
  return { actor: actorOf(c.var.staff), env: c.env, links: linkContext(c.env, c.req.url), now: new Date() };
}

export function queryOf(c: Context): URLSearchParams {
  return new URL(c.req.url).searchParams;
}
