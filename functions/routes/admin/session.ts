import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { signInSchema } from "../../domain/staff-input.ts";
import { limitBody } from "../../http/body.ts";
import { clientAddress } from "../../http/client.ts";
import { readJson } from "../../http/json-input.ts";
import type { AdminBindings } from "../../http/staff-guard.ts";
import { clearSessionCookie, isSecureOrigin, sessionCookie, sessionCookieName } from "../../services/staff/session.ts";
import { signIn, signOut, signOutEverywhere } from "../../services/staff/sign-in.ts";

/**
 * `POST /api/admin/session` `{ email, password }` signs in (the cookie `rma_staff`); `GET` says who is
 * signed in; `DELETE` signs out (`DELETE /api/admin/session?everywhere=1`: every session of this staff
 * member, on every device).
 */
export const adminSession = new Hono<AdminBindings>()
  .post("/", limitBody(), async (c) => {
    const input = await readJson(c, signInSchema);
    // A refusal over the limit carries Retry-After through app.onError.
    const { token, staff } = await signIn(c.var.db, { ...input, address: clientAddress(c.req.raw.headers), now: new Date() });
    c.header("Set-Cookie", sessionCookie(token, { secure: isSecureOrigin(c.req.url) }));
    return c.json({ email: staff.email });
  })
  .get("/", (c) => c.json({ email: c.var.staff.email }))
  .delete("/", async (c) => {
    const address = clientAddress(c.req.raw.headers);
    if (c.req.query("everywhere") === "1") await signOutEverywhere(c.var.db, c.var.staff, address);
    else await signOut(c.var.db, getCookie(c, sessionCookieName(c.req.url)), { staff: c.var.staff, address });
    c.header("Set-Cookie", clearSessionCookie({ secure: isSecureOrigin(c.req.url) }));
    return c.body(null, 204);
  });
