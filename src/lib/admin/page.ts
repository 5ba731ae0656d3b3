/**
 * What every admin page does first: no caching and the security headers, the database, and the staff
 * member behind the `rma_staff` cookie, or a redirect to the sign-in page (303) without one.
 */
import { env } from "cloudflare:workers";
import type { AstroGlobal } from "astro";
import { createDb, type Db } from "../../../db/client.ts";
import { SESSION_COOKIE, type StaffIdentity } from "../../../functions/auth/session.ts";
import { deliverOutbox } from "../../../functions/email/outbox.ts";
import type { AppEnv } from "../../../functions/env.ts";
import { linkContext } from "../../../functions/links.ts";
import { securityHeaders } from "../../../functions/security-headers.ts";
import { actorOf, staffFromToken } from "../../../functions/services/admin-auth.ts";
import type { ActionContext } from "../../../functions/services/admin-rma-context.ts";

export interface AdminPage {
  db: Db;
  env: AppEnv;
  staff: StaffIdentity;
  now: Date;
  ctx: ActionContext;
  /** Sends these outbox rows after the response. */
  sendLater(ids: string[]): void;
}

/** Admin pages are never cached and never framed. */
export function protectPage(Astro: AstroGlobal): void {
  for (const [k, v] of Object.entries(securityHeaders)) Astro.response.headers.set(k, v);
  Astro.response.headers.set("Cache-Control", "no-store");
}

/** Only paths of the admin pages may be a `next` after signing in (never another site). */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/admin(\/[\w\-./]*)?(\?[^\s]*)?$/.test(next) && !next.startsWith("//") ? next : "/admin";
}

export async function openAdminPage(Astro: AstroGlobal): Promise<AdminPage | Response> {
  protectPage(Astro);
  const db = createDb(env);
  const now = new Date();
  const staff = await staffFromToken(db, Astro.cookies.get(SESSION_COOKIE)?.value, now);
  if (!staff) {
    const next = `${Astro.url.pathname}${Astro.url.search}`;
    return Astro.redirect(`/admin/login?next=${encodeURIComponent(safeNext(next))}`, 303);
  }
  return {
    db,
    env,
    staff,
    now,
    ctx: { actor: actorOf(staff), env, links: linkContext(env, Astro.request.url), now },
    sendLater: (ids) => {
      if (ids.length > 0) Astro.locals.cfContext.waitUntil(deliverOutbox(db, env, { ids }).catch(() => undefined));
    },
  };
}
