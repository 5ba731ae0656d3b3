/**
 * Guards of the staff API: unsafe methods must come from the portal's own pages (Origin check), and
 * every route but sign-in needs a staff session from the `rma_staff` cookie.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppBindings } from "../context.ts";
import { ApiError } from "../errors.ts";
import { isSecureOrigin, type StaffIdentity, sessionCookie, sessionCookieName } from "../services/staff/session.ts";
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
  "Sign in first: this needs a staff session (sessions end after 8 hours without activity, 12 hours after signing in, or when you sign out).";

export const requireStaff: MiddlewareHandler<AdminBindings> = async (c, next) => {
  const now = new Date();
  const token = getCookie(c, sessionCookieName(c.req.url));
  const session = await staffFromToken(c.var.db, token, now);
  if (!session || !token) throw new ApiError(401, "unauthenticated", NOT_SIGNED_IN);
  c.set("staff", { userId: session.userId, email: session.email });
  // The cookie lives as long as the session now does (slid by this request, never past its 12 hours);
  // a route that sets its own cookie (signing out) replaces this one.
  c.header("Set-Cookie", sessionCookie(token, { secure: isSecureOrigin(c.req.url), expiresAt: session.expiresAt, now }));
  await next();
};
