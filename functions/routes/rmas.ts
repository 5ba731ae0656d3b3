/**
 * Customers following their RMAs: `POST /api/rmas/lookup`, `GET /api/rmas/{n}?t=` and
 * `POST /api/rmas/{n}/cancel`, with the RMA number + email or the signed link from an email.
 */
import { Hono } from "hono";
import type { AppBindings } from "../context.ts";
import { cancelSchema, lookupSchema } from "../domain/follow-input.ts";
import { ApiError } from "../errors.ts";
import { deliverAfterResponse } from "../http/background.ts";
import { limitBody } from "../http/body.ts";
import { clientAddress } from "../http/client.ts";
import { readJson } from "../http/json-input.ts";
import type { Locale } from "../i18n/index.ts";
import { encodeText, say, text } from "../i18n/text.ts";
import { linkContext, rmaPath } from "../links.ts";
import { cancelByCustomer } from "../services/cancellation.ts";
import { linkDaysAfterEnd, lookupRma, openWithToken } from "../services/rma/customer-access.ts";
import { type RmaRecord, toView } from "../services/rma/view.ts";

/** The RMA as its customer sees it, its words in the caller's language (`Accept-Language` or a body `locale`). */
async function viewBody(record: RmaRecord, secret: string, now: Date, locale: Locale) {
  return { rma: toView(record, now, locale), link: await rmaPath(secret, record.rma.rmaNumber) };
}

export const rmasRoutes = new Hono<AppBindings>()
  .post("/lookup", limitBody(), async (c) => {
    const input = await readJson(c, lookupSchema);
    const now = new Date();
    const record = await lookupRma(c.var.db, { ...input, clientAddress: clientAddress(c.req.raw.headers), now });
    return c.json(await viewBody(record, linkContext(c.env).secret, now, c.var.locale));
  })
  .get("/:rmaNumber", async (c) => {
    const { secret } = linkContext(c.env);
    const now = new Date();
    const record = await openWithToken(c.var.db, {
      rmaNumber: c.req.param("rmaNumber"),
      token: c.req.query("t"),
      secret,
      clientAddress: clientAddress(c.req.raw.headers),
      now,
      linkDays: linkDaysAfterEnd(c.env),
    });
    return c.json(await viewBody(record, secret, now, c.var.locale));
  })
  .post("/:rmaNumber/cancel", limitBody(), async (c) => {
    const input = await readJson(c, cancelSchema);
    const { reason } = input;
    const links = linkContext(c.env, c.req.url);
    const now = new Date();
    const address = clientAddress(c.req.raw.headers);
    const number = c.req.param("rmaNumber");
    if (!input.t && !input.email) {
      throw new ApiError(422, "validation_failed", text("errors.follow.emailOrToken"), {
        email: encodeText(text("errors.follow.emailOrTokenField")),
      });
    }
    const record = input.t
      ? await openWithToken(c.var.db, {
          rmaNumber: number,
          token: input.t,
          secret: links.secret,
          clientAddress: address,
          now,
          linkDays: linkDaysAfterEnd(c.env),
        })
      : await lookupRma(c.var.db, { rmaNumber: number, email: input.email ?? "", clientAddress: address, now });
    const outcome = await cancelByCustomer(c.var.db, c.env, record, { reason, links, now });
    await deliverAfterResponse(c, outcome.emailIds);
    return c.json({ outcome: outcome.outcome, message: say(c.var.locale, outcome.text) });
  });
