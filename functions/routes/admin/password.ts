import { Hono } from "hono";
import { limitBody } from "../../http/body.ts";
import { clientAddress } from "../../http/client.ts";
import type { AdminBindings } from "../../http/staff-guard.ts";
import { preferredLocales } from "../../i18n/index.ts";
import { redeemLink } from "../../services/team/links.ts";
import { fieldsOf } from "./staff.ts";

/**
 * `POST /api/admin/password { token, password }`: sets the password of the account of a one-time link
 * (an invitation or a reset; 48 hours, once). 204; an unknown link 403, a used one or an expired one 410.
 * The person then signs in with it.
 */
export const adminPassword = new Hono<AdminBindings>().post("/", limitBody(), async (c) => {
  const { token, password } = await fieldsOf(c);
  await redeemLink(c.var.db, {
    token: typeof token === "string" ? token : "",
    password: typeof password === "string" ? password : "",
    address: clientAddress(c.req.raw.headers),
    now: new Date(),
    locale: preferredLocales(c.req.header("accept-language"))[0] ?? "en",
  });
  return c.body(null, 204);
});
