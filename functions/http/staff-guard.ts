/**
 * Guards of the staff API: unsafe methods must come from the portal's own pages (Origin check), and
 * every route but sign-in needs a staff session from the `rma_staff` cookie.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppBindings } from "../context.ts";
import { can, type Permission } from "../domain/roles.ts";
import { ApiError, Refusal } from "../errors.ts";
import { type Text, text } from "../i18n/text.ts";
import { isSecureOrigin, type StaffIdentity, sessionCookie, sessionCookieName } from "../services/staff/session.ts";
import { staffFromToken } from "../services/staff/sign-in.ts";
import { isCrossSite } from "./protection.ts";

export interface AdminBindings extends AppBindings {
  Variables: AppBindings["Variables"] & { staff: StaffIdentity };
}

export const sameOrigin: MiddlewareHandler<AdminBindings> = async (c, next) => {
  if (isCrossSite(c.req.raw, new URL(c.req.url).origin, { formsOnly: false })) {
    // Before a session is known: said in the browser's language (`Accept-Language`, as the whole API).
    throw new ApiError(403, "cross_site_forbidden", text("errors.staff.crossSite"));
  }
  await next();
};

/** No staff session: said in the browser's language (`Accept-Language`), nobody being known yet. */
export const NOT_SIGNED_IN: Text = text("errors.staff.notSignedIn");

/**
 * A staff session from the `rma_staff` cookie, or 401. Signed in, every staff route answers in the
 * account's desk language (`staff_users.locale`, as `c.var.locale`), whatever the browser says.
 */
export const requireStaff: MiddlewareHandler<AdminBindings> = async (c, next) => {
  const now = new Date();
  const token = getCookie(c, sessionCookieName(c.req.url));
  const session = await staffFromToken(c.var.db, token, now);
  if (!session || !token) throw new ApiError(401, "unauthenticated", NOT_SIGNED_IN);
  c.set("staff", { userId: session.userId, email: session.email, role: session.role, locale: session.locale });
  c.set("locale", session.locale);
  // The cookie lives as long as the session now does (slid by this request, never past its 12 hours);
  // a route that sets its own cookie (signing out) replaces this one.
  c.header("Set-Cookie", sessionCookie(token, { secure: isSecureOrigin(c.req.url), expiresAt: session.expiresAt, now }));
  await next();
};

/** The refusal of an action the staff member's role does not allow: 403 `forbidden`, saying which role and what. */
export function forbidden(staff: StaffIdentity, what: string): Refusal {
  // A Text: said in the reader's language at the edge, the role by its name in that language.
  return new Refusal("forbidden", text("team.forbidden", { role: text(`team.roles.${staff.role}`), what }));
}

/** Refuses with 403 unless the signed-in staff member's role has `permission` (after `requireStaff`). */
export function assertCan(staff: StaffIdentity, permission: Permission, what: string = permission): void {
  if (!can(staff.role, permission)) throw forbidden(staff, what);
}

/** Route middleware: the permission a route needs. */
export const requirePermission =
  (permission: Permission): MiddlewareHandler<AdminBindings> =>
  async (c, next) => {
    assertCan(c.var.staff, permission, `${c.req.method} ${new URL(c.req.url).pathname}`);
    await next();
  };
