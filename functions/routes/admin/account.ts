import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { Refusal } from "../../errors.ts";
import { limitBody } from "../../http/body.ts";
import { type AdminBindings, requirePermission } from "../../http/staff-guard.ts";
import { t } from "../../i18n/index.ts";
import { sessionCookieName } from "../../services/staff/session.ts";
import { endOwnSession, listOwnSessions, setOwnLocale } from "../../services/team/accounts.ts";
import { changeOwnPassword } from "../../services/team/passwords.ts";
import { auditorFor, teamContext } from "./context.ts";
import { fieldsOf } from "./staff.ts";

/**
 * One's own account: `GET /api/admin/account` (who, role, language, sessions); `PUT /api/admin/account/password
 * { currentPassword, newPassword }` (ends the other sessions); `PUT /api/admin/account/locale { locale: "en"|"it" }`;
 * `DELETE /api/admin/account/sessions/{id}` ends one of one's sessions.
 */
export const adminAccount = new Hono<AdminBindings>()
  .use(requirePermission("account.own"))
  .get("/", async (c) => {
    const { staff } = c.var;
    const sessions = await listOwnSessions(c.var.db, staff, getCookie(c, sessionCookieName(c.req.url)), new Date());
    return c.json({ email: staff.email, role: staff.role, locale: staff.locale, sessions });
  })
  .put("/password", limitBody(), async (c) => {
    const { currentPassword, newPassword } = await fieldsOf(c);
    await changeOwnPassword(
      c.var.db,
      c.var.staff,
      {
        currentPassword: typeof currentPassword === "string" ? currentPassword : "",
        newPassword: typeof newPassword === "string" ? newPassword : "",
        keepToken: getCookie(c, sessionCookieName(c.req.url)),
      },
      auditorFor(c),
      new Date(),
    );
    return c.body(null, 204);
  })
  .put("/locale", limitBody(), async (c) => {
    const { locale } = await fieldsOf(c);
    return c.json({ locale: await setOwnLocale(c.var.db, locale, teamContext(c)) });
  })
  .delete("/sessions/:id", async (c) => {
    const ended = await endOwnSession(c.var.db, c.req.param("id"), teamContext(c));
    if (!ended) throw new Refusal("not_found", t(c.var.staff.locale, "team.account.noSession"));
    return c.body(null, 204);
  });
