/**
 * `GET /api/rmas/{n}/files/{id}`: a stored file, only to the holder of that RMA's signed link (`?t=`)
 * or to signed-in staff (the `rma_staff` cookie, checked read-only: serving a file does not slide the
 * session). A file of another RMA, an unknown id, a wrong link or no credentials are refused alike
 * whatever the id. Headers: serve.ts.
 */
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { rmaFiles } from "../../db/schema/files.ts";
import type { AppBindings } from "../context.ts";
import { ApiError, Refusal } from "../errors.ts";
import { clientAddress } from "../http/client.ts";
import { NOT_SIGNED_IN } from "../http/staff-guard.ts";
import { translator } from "../i18n/index.ts";
import { linkContext } from "../links.ts";
import { fileBody, fileHeaders } from "../services/files/serve.ts";
import { filesBucket } from "../services/files/store.ts";
import { linkDaysAfterEnd, openWithToken } from "../services/rma/customer-access.ts";
import { sessionCookieName } from "../services/staff/session.ts";
import { staffFromToken } from "../services/staff/sign-in.ts";
import { requestLocale } from "./messages.ts";

export const files = new Hono<AppBindings>().get("/:rmaNumber/files/:id", async (c) => {
  const number = c.req.param("rmaNumber");
  const token = c.req.query("t");
  const now = new Date();
  const locale = requestLocale(c);
  if (token) {
    await openWithToken(c.var.db, {
      rmaNumber: number,
      token,
      secret: linkContext(c.env).secret,
      clientAddress: clientAddress(c.req.raw.headers),
      now,
      linkDays: linkDaysAfterEnd(c.env),
    });
  } else {
    const session = await staffFromToken(c.var.db, getCookie(c, sessionCookieName(c.req.url)), now);
    if (!session) throw new ApiError(401, "unauthenticated", NOT_SIGNED_IN);
  }
  const id = c.req.param("id");
  const [row] = /^[0-9a-f-]{36}$/.test(id)
    ? await c.var.db
        .select()
        .from(rmaFiles)
        .where(and(eq(rmaFiles.id, id), eq(rmaFiles.rmaNumber, number)))
        .limit(1)
    : [];
  if (!row) throw new Refusal("not_found", translator(locale).t("files.notFound"));
  const bucket = filesBucket(c.env, locale);
  return new Response(c.req.method === "HEAD" ? null : fileBody(bucket, row), { status: 200, headers: fileHeaders(row) });
});
