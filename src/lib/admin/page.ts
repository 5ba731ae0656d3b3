/**
 * What every admin page does first: the database, and the staff member behind the `rma_staff` cookie,
 * or a redirect to the sign-in page (303) without one. (No caching and the security headers come from
 * src/middleware.ts, for every page rendered on demand.)
 */
import { env } from "cloudflare:workers";
import type { AstroGlobal } from "astro";
import { createDb, type Db } from "@/db/client.ts";
import { can, type Permission } from "@/functions/domain/roles.ts";
import { deliverLater } from "@/functions/email/outbox.ts";
import type { AppEnv } from "@/functions/env.ts";
import { clientAddress } from "@/functions/http/client.ts";
import { t } from "@/functions/i18n/index.ts";
import type { ActionContext } from "@/functions/services/rma/action-context.ts";
import { isSecureOrigin, type StaffIdentity, sessionCookie, sessionCookieName } from "@/functions/services/staff/session.ts";
import { staffActionContext, staffFromToken } from "@/functions/services/staff/sign-in.ts";
import { type Auditor, auditorOf } from "@/functions/services/team/audit.ts";
import { setDeskLocale } from "./desk-locale.ts";

export interface AdminPage {
  db: Db;
  env: AppEnv;
  staff: StaffIdentity;
  now: Date;
  ctx: ActionContext;
  /** The staff member and their address, for the audit log. */
  by: Auditor;
  /** The session cookie's token (to keep this session when the password changes). */
  token: string;
  /** Whether the staff member's role has this permission (what the page offers). */
  can(permission: Permission): boolean;
  /** Sends these outbox rows after the response. */
  sendLater(ids: string[]): void;
}

/** Only paths of the admin pages may be a `next` after signing in (never another site). */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/admin(\/[\w\-./]*)?(\?[^\s]*)?$/.test(next) && !next.startsWith("//") ? next : "/admin";
}

/** The page a role may not open: 403, in the staff member's language, with a way back to the queue. */
function forbiddenPage(staff: StaffIdentity): Response {
  const message = t(staff.locale, "team.forbiddenPage", { role: t(staff.locale, `team.roles.${staff.role}`) });
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const body = `<!doctype html><html lang="${staff.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><title>403 · Alkeria RMA</title></head><body><main><h1>403</h1><p>${esc(message)}</p><p><a href="/admin">${esc(t(staff.locale, "desk.nav.queue"))}</a></p></main></body></html>`;
  return new Response(body, { status: 403, headers: { "content-type": "text/html; charset=utf-8" } });
}

/**
 * The page's database and staff member, or a redirect to sign in (303), or 403 when the staff member's
 * role lacks `permission` (every staff page names the one it needs; functions/domain/roles.ts).
 */
export async function openAdminPage(Astro: AstroGlobal, permission: Permission = "desk.read"): Promise<AdminPage | Response> {
  const db = createDb(env);
  const now = new Date();
  const token = Astro.cookies.get(sessionCookieName(Astro.request.url))?.value;
  const session = await staffFromToken(db, token, now);
  if (!session || !token) {
    const next = `${Astro.url.pathname}${Astro.url.search}`;
    return Astro.redirect(`/admin/login?next=${encodeURIComponent(safeNext(next))}`, 303);
  }
  const staff: StaffIdentity = { userId: session.userId, email: session.email, role: session.role, locale: session.locale };
  setDeskLocale(Astro.request, staff.locale);
  if (!can(staff.role, permission)) return forbiddenPage(staff);
  // The cookie lives as long as the session now does (slid by this visit, never past its 12 hours).
  Astro.response.headers.append(
    "Set-Cookie",
    sessionCookie(token, { secure: isSecureOrigin(Astro.request.url), expiresAt: session.expiresAt, now }),
  );
  return {
    db,
    env,
    staff,
    now,
    ctx: staffActionContext(staff, env, Astro.request.url, now),
    by: auditorOf(staff, clientAddress(Astro.request.headers)),
    token,
    can: (p) => can(staff.role, p),
    sendLater: (ids) => {
      deliverLater((p) => Astro.locals.cfContext.waitUntil(p), db, env, ids);
    },
  };
}
