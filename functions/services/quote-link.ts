/**
 * The customer's side of a quote: the signed link from the email opens it (token purpose `quote`,
 * subject the RMA number), shows it, and takes one answer. Used by the quote page and its JSON API.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { rmas } from "../../db/schema.ts";
import { requireSecret, verifyToken } from "../auth/tokens.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { linkContext } from "../links.ts";
import { answerQuote, type QuoteView, quoteViewOf } from "./admin-quote.ts";
import type { ActionResult } from "./admin-rma-context.ts";
import { loadForAction } from "./admin-rma-context.ts";

export const INVALID_QUOTE_LINK =
  "This quote link is not valid: it may be incomplete. Open it again from our email, or reply to that email and we will help.";

async function checkLink(env: AppEnv, rmaNumber: string, token: string | null | undefined): Promise<void> {
  if (!(await verifyToken(requireSecret(env.LINK_SECRET), "quote", rmaNumber, token))) {
    throw new ApiError(403, "invalid_link", INVALID_QUOTE_LINK);
  }
}

/** The quote behind a signed link; 403 for a wrong link, 404 when the RMA has no quote. */
export async function openQuote(db: Db, env: AppEnv, rmaNumber: string, token: string | null | undefined): Promise<QuoteView> {
  await checkLink(env, rmaNumber, token);
  const [rma] = await db.select().from(rmas).where(eq(rmas.rmaNumber, rmaNumber)).limit(1);
  const view = rma ? quoteViewOf(rma) : null;
  if (!view) throw new ApiError(404, "no_quote", `There is no quote for ${rmaNumber}.`);
  return view;
}

/** The customer's answer through the signed link. */
export async function answerQuoteLink(
  db: Db,
  env: AppEnv,
  input: { rmaNumber: string; token: string | null | undefined; decision: "accept" | "decline"; requestUrl: string; now: Date },
): Promise<ActionResult> {
  await checkLink(env, input.rmaNumber, input.token);
  return answerQuote(
    db,
    await loadForAction(db, input.rmaNumber),
    { decision: input.decision },
    { actor: "customer", env, links: linkContext(env, input.requestUrl), now: input.now },
  );
}
