/**
 * Guards of the staff API: unsafe methods must come from the portal's own pages (Origin check), and
 * every route but sign-in needs a staff session from the `rma_staff` cookie.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppBindings } from "../context.ts";
import { ApiError } from "../errors.ts";
import { SESSION_COOKIE, type StaffIdentity } from "../services/staff/session.ts";
import { staffFromToken } from "../services/staff/sign-in.ts";
import { isCrossSite } from "./protection.ts";

export interface AdminBindings extends AppBindings {
  Variables: AppBindings["Variables"] & { staff: StaffIdentity };
}

export const sameOrigin: MiddlewareHandler<AdminBindings> = async (c, next) => {
  if (isCrossSite(c.req.raw, new URL(c.req.url).origin, { formsOnly: false })) {
    throw new ApiError(
      403,
      "cross_site_forbidden",
      "This request did not come from the portal's own pages (its Origin header is missing or another site's), so it was refused.",
    );
  }
  await next();
};

export const NOT_SIGNED_IN =
  "Sign in first: this needs a staff session (sessions end after 8 hours without activity, or when you sign out).";

export const requireStaff: MiddlewareHandler<AdminBindings> = async (c, next) => {
  const staff = await staffFromToken(c.var.db, getCookie(c, SESSION_COOKIE), new Date());
  if (!staff) throw new ApiError(401, "unauthenticated", NOT_SIGNED_IN);
  c.set("staff", staff);
  await next();
};
