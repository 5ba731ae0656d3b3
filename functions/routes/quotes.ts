import { Hono } from "hono";
import type { AppBindings } from "../context.ts";
import { quoteAnswerSchema } from "../domain/staff-input.ts";
import { deliverAfterResponse } from "../http/background.ts";
import { limitBody } from "../http/body.ts";
import { clientAddress } from "../http/client.ts";
import { readJson } from "../http/json-input.ts";
import { answerQuoteLink, openQuote } from "../services/quote.ts";

/**
 * The customer's quote, opened with the signed link from the email:
 * `GET /api/quotes/{rmaNumber}?t=` shows it; `POST /api/quotes/{rmaNumber} { t, decision: "accept" | "decline" }`
 * answers it once (403 for a wrong link). Once the quote is answered its link stops working: both answer
 * 410 `quote_answered`.
 */
export const quotes = new Hono<AppBindings>()
  .get("/:number", async (c) =>
    c.json(
      await openQuote(c.var.db, c.env, c.req.param("number"), c.req.query("t"), clientAddress(c.req.raw.headers), c.var.locale),
    ),
  )
  .post("/:number", limitBody(), async (c) => {
    const { t, decision } = await readJson(c, quoteAnswerSchema);
    const result = await answerQuoteLink(c.var.db, c.env, {
      rmaNumber: c.req.param("number"),
      token: t,
      decision,
      requestUrl: c.req.url,
      now: new Date(),
      clientAddress: clientAddress(c.req.raw.headers),
    });
    await deliverAfterResponse(c, result.emailIds);
    return c.json({ rmaNumber: result.rmaNumber, status: result.status, decision: result.done });
  });
