/**
 * What every admin page does first: the database, and the staff member behind the `rma_staff` cookie,
 * or a redirect to the sign-in page (303) without one. (No caching and the security headers come from
 * src/middleware.ts, for every page rendered on demand.)
 */
import { env } from "cloudflare:workers";
import type { AstroGlobal } from "astro";
import { createDb, type Db } from "@/db/client.ts";
import { deliverLater } from "@/functions/email/outbox.ts";
import type { AppEnv } from "@/functions/env.ts";
import type { ActionContext } from "@/functions/services/rma/action-context.ts";
import { isSecureOrigin, type StaffIdentity, sessionCookie, sessionCookieName } from "@/functions/services/staff/session.ts";
import { staffActionContext, staffFromToken } from "@/functions/services/staff/sign-in.ts";

export interface AdminPage {
  db: Db;
  env: AppEnv;
  staff: StaffIdentity;
  now: Date;
  ctx: ActionContext;
  /** Sends these outbox rows after the response. */
  sendLater(ids: string[]): void;
}

/** Only paths of the admin pages may be a `next` after signing in (never another site). */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/admin(\/[\w\-./]*)?(\?[^\s]*)?$/.test(next) && !next.startsWith("//") ? next : "/admin";
}

export async function openAdminPage(Astro: AstroGlobal): Promise<AdminPage | Response> {
  const db = createDb(env);
  const now = new Date();
  const token = Astro.cookies.get(sessionCookieName(Astro.request.url))?.value;
  const session = await staffFromToken(db, token, now);
  if (!session || !token) {
    const next = `${Astro.url.pathname}${Astro.url.search}`;
    return Astro.redirect(`/admin/login?next=${encodeURIComponent(safeNext(next))}`, 303);
  }
  const staff: StaffIdentity = { userId: session.userId, email: session.email };
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
    sendLater: (ids) => {
      deliverLater((p) => Astro.locals.cfContext.waitUntil(p), db, env, ids);
    },
  };
}
