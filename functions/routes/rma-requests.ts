import { Hono } from "hono";
import type { AppBindings } from "../context.ts";
import { VALIDATION_TEXT } from "../domain/input.ts";
import { checkIdempotencyKey, formToRequest, parseRmaRequestTexts } from "../domain/request-input.ts";
import { ApiError } from "../errors.ts";
import { deliverAfterResponse } from "../http/background.ts";
import { limitBody, readBody } from "../http/body.ts";
import { clientAddress } from "../http/client.ts";
import { requireHuman, TURNSTILE_FIELD } from "../http/turnstile.ts";
import { linkContext, requestPath } from "../links.ts";
import { issueRmas } from "../services/rma/issue.ts";

/**
 * `POST /api/rma-requests`: JSON (201 with the RMA numbers) or the form's encoding (303 to the
 * confirmation page). An `Idempotency-Key` header (or the form's one-time key) makes repeats harmless.
 */
export const rmaRequests = new Hono<AppBindings>().post("/", limitBody(), async (c) => {
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
});
