/**
 * Customers' messages on an RMA: `POST /api/rmas/{n}/messages` with JSON `{ "t" or "email", "body" }`, or
 * `multipart/form-data` with the same fields and `files` parts (the RMA page's form, with or without
 * JavaScript; `t` may also come in the query string, so the link is checked before any file is read).
 * A browser's form post (Accept: text/html) is sent back to the RMA page (303); API clients get 201.
 * `GET /api/rmas/{n}/messages?t=…` answers the customer's history of the RMA.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppBindings } from "../context.ts";
import { ApiError } from "../errors.ts";
import { deliverAfterResponse } from "../http/background.ts";
import { limitBody } from "../http/body.ts";
import { clientAddress } from "../http/client.ts";
import { readJson } from "../http/json-input.ts";
import { multipartBoundary } from "../http/multipart.ts";
import { DEFAULT_LOCALE, type Locale, preferredLocales, toLocale, translator } from "../i18n/index.ts";
import { localizedPath } from "../i18n/paths.ts";
import { linkContext, rmaPath } from "../links.ts";
import { FileRefusal, filesBucket, keepOnlyIfWritten, receiveMultipart } from "../services/files/store.ts";
import {
  checkBody,
  checkCustomerMayWrite,
  MAX_MESSAGE_CHARS,
  MAX_MESSAGE_FIELD_BYTES,
  postMessage,
} from "../services/messages/post.ts";
import { linkDaysAfterEnd, lookupRma, openWithToken } from "../services/rma/customer-access.ts";
import { customerHistory } from "../services/rma/history.ts";
import type { RmaRecord } from "../services/rma/view.ts";

/** Text fields of a message form: the link's token or the email, the body, and the form's language. */
export const MESSAGE_TEXT_FIELDS = ["t", "email", "body", "locale"] as const;

const messageSchema = z.strictObject({
  t: z.string().max(64).optional(),
  email: z.string().trim().max(254).optional(),
  body: z.string().max(MAX_MESSAGE_CHARS * 4),
  locale: z.string().max(5).optional(),
});

export function requestLocale(c: Context, stated?: string): Locale {
  // A form's `locale` field, else the app's (a JSON body's `locale`, else Accept-Language).
  return preferredLocales(stated ?? null)[0] ?? (c.get("locale") as Locale | undefined) ?? DEFAULT_LOCALE;
}

/** A browser's form post (no JavaScript) rather than an API call. */
export const wantsPage = (c: Context) => (c.req.header("accept") ?? "").includes("text/html");

/**
 * A refusal of a browser's form post goes back to the page (303) with the refusal's catalogue key and
 * the file it names (`messageError`, `file`), which MessageForm.astro shows above the form; API clients
 * get the error as JSON.
 */
export function backToForm(page: string, err: FileRefusal): string {
  const q = new URLSearchParams({ messageError: err.notice, ...(err.fileName ? { file: err.fileName } : {}) });
  return `${page}${page.includes("?") ? "&" : "?"}${q}#message-form`;
}

async function openRecord(
  c: Context<AppBindings>,
  number: string,
  access: { t?: string | undefined; email?: string | undefined },
  locale: Locale,
  opts: { thread?: boolean } = {},
): Promise<RmaRecord> {
  const now = new Date();
  const address = clientAddress(c.req.raw.headers);
  if (access.t) {
    return openWithToken(c.var.db, {
      ...opts,
      rmaNumber: number,
      token: access.t,
      secret: linkContext(c.env).secret,
      clientAddress: address,
      now,
      linkDays: linkDaysAfterEnd(c.env),
    });
  }
  if (access.email) return lookupRma(c.var.db, { rmaNumber: number, email: access.email, clientAddress: address, now });
  const message = translator(locale).t("files.needEmailOrLink");
  throw new ApiError(422, "validation_failed", message, { email: message });
}

export const messages = new Hono<AppBindings>()
  .get("/:rmaNumber/messages", async (c) => {
    const locale = requestLocale(c);
    const number = c.req.param("rmaNumber");
    const record = await openRecord(c, number, { t: c.req.query("t") }, locale, { thread: true });
    const t = c.req.query("t") ?? "";
    return c.json({ history: await customerHistory(c.var.db, record, new Date(), t, locale) });
  })
  .post(
    "/:rmaNumber/messages",
    // JSON is small and read whole; a multipart body is read as it streams, under the files' limits.
    (c, next) => (multipartBoundary(c.req.header("content-type")) ? next() : limitBody()(c, next)),
    async (c, next) => {
      if (multipartBoundary(c.req.header("content-type"))) return next();
      const input = await readJson(c, messageSchema);
      const locale = requestLocale(c, input.locale);
      const now = new Date();
      const record = await openRecord(c, c.req.param("rmaNumber"), input, locale);
      await checkCustomerMayWrite(c.var.db, record, c.env, locale, now);
      const text = checkBody(input.body, false, locale);
      const posted = await postMessage(c.var.db, c.env, {
        record,
        author: { kind: "customer" },
        body: text,
        files: [],
        links: linkContext(c.env, c.req.url),
        now,
      });
      await deliverAfterResponse(c, posted.emailIds);
      return c.json({ message: { id: posted.id, createdAt: posted.createdAt, files: posted.files } }, 201);
    },
  )
  .post("/:rmaNumber/messages", async (c, next) => {
    await next();
    // The app's onError has answered the refusal already (c.error); a browser's form post goes back instead.
    const token = c.req.query("t");
    if (c.error instanceof FileRefusal && token && wantsPage(c)) {
      c.res = c.redirect(
        backToForm(pageIn(c, `/rma/${encodeURIComponent(c.req.param("rmaNumber"))}?t=${encodeURIComponent(token)}`), c.error),
        303,
      );
    }
  })
  .post("/:rmaNumber/messages", async (c) => {
    const boundary = multipartBoundary(c.req.header("content-type")) ?? "";
    let locale = requestLocale(c);
    const number = c.req.param("rmaNumber");
    const now = new Date();
    const queryToken = c.req.query("t");
    // With the link in the address, who writes is known before a byte of the files is stored.
    let record = queryToken ? await openRecord(c, number, { t: queryToken }, locale) : null;
    if (record) await checkCustomerMayWrite(c.var.db, record, c.env, locale, now);
    const bucket = filesBucket(c.env, locale);
    const received = await receiveMultipart(bucket, c.req.raw.body, boundary, {
      locale,
      fileGroup: (field) => (field === "files" ? "message" : null),
      textFields: MESSAGE_TEXT_FIELDS,
      maxTextBytes: MAX_MESSAGE_FIELD_BYTES,
    });
    const { fields, files } = received;
    const { posted, rma } = await keepOnlyIfWritten(bucket, files, async () => {
      locale = requestLocale(c, fields["locale"]);
      if (!record) {
        record = await openRecord(c, number, { t: fields["t"], email: fields["email"] }, locale);
        await checkCustomerMayWrite(c.var.db, record, c.env, locale, now);
      }
      const text = checkBody(fields["body"], files.length > 0, locale);
      const written = await postMessage(c.var.db, c.env, {
        record,
        author: { kind: "customer" },
        body: text,
        files,
        links: linkContext(c.env, c.req.url),
        now,
      });
      return { posted: written, rma: record.rma };
    });
    await deliverAfterResponse(c, posted.emailIds);
    if (wantsPage(c)) {
      const path = await rmaPath(linkContext(c.env).secret, rma.rmaNumber);
      return c.redirect(`${pageIn(c, path)}&sent=message#history`, 303);
    }
    return c.json({ message: { id: posted.id, createdAt: posted.createdAt, files: posted.files } }, 201);
  });

/** The RMA page in the language of the page the form was on (`?lang=it` on the form's action). */
function pageIn(c: Context, englishPath: string): string {
  return localizedPath(toLocale(c.req.query("lang")), englishPath);
}
