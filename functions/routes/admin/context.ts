import type { Context } from "hono";
import { clientAddress } from "../../http/client.ts";
import type { AdminBindings } from "../../http/staff-guard.ts";
import { linkContext } from "../../links.ts";
import type { ActionContext } from "../../services/rma/action-context.ts";
import { staffActionContext } from "../../services/staff/sign-in.ts";
import type { TeamContext } from "../../services/team/accounts.ts";
import { type Auditor, auditorOf } from "../../services/team/audit.ts";

/** The signed-in staff member as the actor of an action, with the settings it needs. */
export function actionContext(c: Context<AdminBindings>): ActionContext {
  return staffActionContext(c.var.staff, c.env, c.req.url);
}

export function queryOf(c: Context): URLSearchParams {
  return new URL(c.req.url).searchParams;
}

/** The signed-in staff member and the client's address, for the audit log. */
export function auditorFor(c: Context<AdminBindings>): Auditor {
  return auditorOf(c.var.staff, clientAddress(c.req.raw.headers));
}

export function teamContext(c: Context<AdminBindings>): TeamContext {
  return { staff: c.var.staff, by: auditorFor(c), env: c.env, links: linkContext(c.env, c.req.url), now: new Date() };
}
