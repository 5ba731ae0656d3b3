import { type Context, Hono } from "hono";
import type { AppBindings } from "../context.ts";
import { VALIDATION_TEXT } from "../domain/input.ts";
import { checkIdempotencyKey, formToRequest, parseRmaRequestTexts } from "../domain/request-input.ts";
import { ApiError, Refusal } from "../errors.ts";
import { deliverAfterResponse } from "../http/background.ts";
import { limitBody, readBody, takeLocale } from "../http/body.ts";
import { clientAddress } from "../http/client.ts";
import { multipartBoundary } from "../http/multipart.ts";
import { requireHuman, TURNSTILE_FIELD } from "../http/turnstile.ts";
import { encodeText, text } from "../i18n/text.ts";
import { linkContext, requestPath } from "../links.ts";
import { checkFileUnits, receiveRequestFiles, requestPartMissing } from "../services/files/request-files.ts";
import { deletePieces, filesBucket, keepOnlyIfWritten } from "../services/files/store.ts";
import { issueRmas } from "../services/rma/issue.ts";

/** Text parts a multipart request may have besides `request`: the one-time key and the Turnstile token. */
const MULTIPART_TEXT_FIELDS = new Set(["idempotencyKey", TURNSTILE_FIELD]);

/**
 * `POST /api/rma-requests`: JSON (201 with the RMA numbers), the form's encoding (303 to the confirmation
 * page), or `multipart/form-data` with the JSON request in a part named `request` and each unit's files in
 * parts named `units.N.files` (N from 0), answered as the JSON call is. An `Idempotency-Key` header (or
 * the form's one-time key) makes repeats harmless.
 */
export const rmaRequests = new Hono<AppBindings>().post(
  "/",
  // JSON and the form's encoding are small and read whole; a multipart body is read as it streams, under the files' limits.
  (c, next) => (multipartBoundary(c.req.header("content-type")) ? next() : limitBody()(c, next)),
  async (c) => {
    const boundary = multipartBoundary(c.req.header("content-type"));
    if (boundary) return withFiles(c, boundary);
    const body = await readBody(c);
    const key = checkIdempotencyKey(
      c.req.header("idempotency-key") ?? (body.kind === "form" ? body.data["idempotencyKey"] : undefined),
    );
    const address = clientAddress(c.req.raw.headers);
    // Turnstile (when on) first: a request that fails it reads and writes nothing.
    await requireHuman(
      c.env,
      c.req.header(TURNSTILE_FIELD) ?? (body.kind === "form" ? body.data[TURNSTILE_FIELD] : undefined),
      address,
    );
    const parsed = parseRmaRequestTexts(body.kind === "form" ? formToRequest(body.data) : body.data);
    if (!parsed.ok) throw new ApiError(422, "validation_failed", VALIDATION_TEXT, parsed.fields);
    const links = linkContext(c.env, c.req.url);
    const result = await issueRmas(c.var.db, c.env, parsed.data, {
      links,
      idempotencyKey: key,
      clientAddress: address,
      // The customer's language follows the RMA: every later email about this request is written in it.
      locale: c.var.locale,
    });
    await deliverAfterResponse(c, result.emailIds);
    if (result.replayed) c.header("Idempotent-Replayed", "true");
    if (body.kind === "form") return c.redirect(await requestPath(links.secret, result.requestId), 303);
    return c.json({ requestId: result.requestId, rmas: result.rmas }, 201);
  },
);

/**
 * The multipart request: the files go to R2 as they arrive (refused at the first byte over a limit), then
 * the `request` part is checked as a JSON body is, and the request is issued with the files' rows in its
 * own batch. A refusal deletes every stored piece at once; a batch that fails leaves pieces without rows,
 * which the hourly sweep removes. A replay (same key, same request and files) stores nothing new.
 */
async function withFiles(c: Context<AppBindings>, boundary: string) {
  const headerKey = c.req.header("idempotency-key");
  if (headerKey !== undefined) checkIdempotencyKey(headerKey);
  const address = clientAddress(c.req.raw.headers);
  const headerToken = c.req.header(TURNSTILE_FIELD);
  // With the token in a header, Turnstile is checked before a byte of the files is stored.
  if (headerToken !== undefined) await requireHuman(c.env, headerToken, address);
  const locale = c.var.locale;
  const bucket = filesBucket(c.env, locale);
  const upload = await receiveRequestFiles(bucket, c.req.raw.body, boundary, locale);
  const { files } = upload;
  const result = await keepOnlyIfWritten(bucket, files, async () => {
    for (const name of Object.keys(upload.fields)) {
      if (MULTIPART_TEXT_FIELDS.has(name)) continue;
      const message = text("files.unknownField", { name: name.slice(0, 100) });
      throw new Refusal("validation_failed", message, { [name.slice(0, 100)]: encodeText(message) });
    }
    const key = checkIdempotencyKey(headerKey ?? upload.fields["idempotencyKey"]);
    if (headerToken === undefined) await requireHuman(c.env, upload.fields[TURNSTILE_FIELD], address);
    if (upload.request === null) throw requestPartMissing();
    // The `request` part's `locale`, as a JSON body's, chooses the answer's and the RMA's language (refusals of
    // files, read before the part may arrive, follow Accept-Language).
    const parsed = parseRmaRequestTexts(takeLocale(c, upload.request));
    if (!parsed.ok) throw new ApiError(422, "validation_failed", VALIDATION_TEXT, parsed.fields);
    checkFileUnits(files, parsed.data.units.length);
    return issueRmas(c.var.db, c.env, parsed.data, {
      links: linkContext(c.env, c.req.url),
      idempotencyKey: key,
      clientAddress: address,
      // The request's `locale` (as in a JSON body), else Accept-Language: the RMA's language from now on.
      locale: c.var.locale,
      files,
    });
  });
  // A replay answers as the first request did, with the first request's files: these were not needed.
  if (result.replayed) await deletePieces(bucket, files);
  await deliverAfterResponse(c, result.emailIds);
  if (result.replayed) c.header("Idempotent-Replayed", "true");
  return c.json({ requestId: result.requestId, rmas: result.rmas }, 201);
}
