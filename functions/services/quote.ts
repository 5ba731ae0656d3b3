/**
 * Repair quotes for units not covered by warranty: staff write one (total by the domain's
 * `computeQuote`), the customer gets it by email with a signed link, and answers online (or staff
 * record an answer given by phone or email). Accepting starts the repair; declining sends the unit
 * back unrepaired. The answer is recorded once, and staff are told.
 *
 * The customer's side: the signed link from the email opens the quote (token purpose `quote`, subject
 * the RMA number), shows it, and takes one answer. Used by the quote page and its JSON API.
 */

import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { type RmaRow, rmas } from "../../db/schema.ts";
import { requireSecret, verifyToken } from "../auth/tokens.ts";
import { computeQuote, formatEuros, type QuoteLine } from "../domain/quote.ts";
import { actionRefusal } from "../domain/staff-actions.ts";
import type { RmaStatus } from "../domain/status.ts";
import { type QuoteWhy, quoteAnsweredStaffEmail, quoteEmail } from "../email/letters.ts";
import { type AppEnv, staffAddress } from "../env.ts";
import { Refusal } from "../errors.ts";
import { DEFAULT_LOCALE, type Locale, t, translator } from "../i18n/index.ts";
import { type Text, text } from "../i18n/text.ts";
import { adminRmaUrl, linkContext, quoteUrl } from "../links.ts";
import {
  type ActionContext,
  type ActionHandler,
  type ActionResult,
  type LoadedRma,
  loadForAction,
  mailUnit,
  readerLocale,
  refuseUnlessAllowed,
  sentences,
  staffChange,
  toCustomer,
} from "./rma/action-context.ts";
import { refuseLink } from "./rma/customer-access.ts";
import { quoteAnsweredNote, quoteSentNote, UNREPAIRED_NOTE } from "./rma/issuing/notes.ts";

/** Why the customer pays, as data for the customer's email (said in the request's language). */
export function quoteWhy(rma: Pick<RmaRow, "warrantyRefusedReason" | "warrantyUntil">): QuoteWhy {
  return rma.warrantyRefusedReason ? { refused: rma.warrantyRefusedReason } : { ended: rma.warrantyUntil };
}

/**
 * Why the customer pays, in the reader's words: the warranty ended (a date of the locale), or it does not
 * apply to this fault (the staff member's reason, as written). The desk, the quote page and its API say it.
 */
export function quoteReason(
  rma: Pick<RmaRow, "warrantyRefusedReason" | "warrantyUntil">,
  locale: Locale = DEFAULT_LOCALE,
): string {
  const tr = translator(locale);
  return rma.warrantyRefusedReason
    ? tr.t("emails.quote.whyRefused", { reason: rma.warrantyRefusedReason })
    : tr.t("emails.quote.whyEnded", { date: tr.date(`${rma.warrantyUntil}T00:00:00Z`) });
}

export const quote: ActionHandler<"quote"> = async (db, rec, input, ctx) => {
  const { rma } = rec;
  const computed = computeQuote(input, { covered: false });
  if (!computed.ok) throw new Refusal("validation_failed", text("errors.desk.quoteAmounts"), computed.fields);
  const { lines, totalCents } = computed.quote;
  const locale = readerLocale(rec);
  const link = await quoteUrl(ctx.links, rma.rmaNumber, locale);
  const content = quoteEmail({
    locale,
    name: rec.request.contactName,
    unit: mailUnit(rma),
    lines,
    totalCents,
    link,
    why: quoteWhy(rma),
    note: input.note,
  });
  return staffChange(db, rec, ctx, {
    to: "quoted",
    note: sentences(
      // Stored in English (the desk's record); the timelines say it in their reader's words (`systemNote`).
      quoteSentNote(
        formatEuros(totalCents),
        lines.map((l) => `${t(DEFAULT_LOCALE, `emails.quote.lines.${l.key}`).toLowerCase()} ${formatEuros(l.cents)}`).join(", "),
      ),
      input.note,
    ),
    set: {
      quoteLabourCents: input.labourCents,
      quotePartsCents: input.partsAndSuppliesCents,
      quoteHandlingCents: input.handlingFeeCents,
      quoteShippingCents: input.returnShippingCents,
      quoteTotalCents: totalCents,
      diagnosedAt: rma.diagnosedAt ?? ctx.now.toISOString(),
    },
    emails: [toCustomer(rec, "quote", content)],
    done: "quoted",
  });
};

export interface QuoteView {
  rmaNumber: string;
  model: string;
  serialNumber: string;
  status: RmaStatus;
  why: string;
  lines: QuoteLine[];
  totalCents: number;
  decision: "accepted" | "declined" | null;
  answeredAt: string | null;
  /** True while the customer can still answer. */
  open: boolean;
}

/**
 * The quote as the customer sees it, its words (line names, why the customer pays) in `locale` (English by
 * default, as the desk shows it); null when the RMA has none.
 */
export function quoteViewOf(rma: RmaRow, now: Date, locale: Locale = DEFAULT_LOCALE): QuoteView | null {
  if (rma.quoteTotalCents === null) return null;
  const cents = {
    labourCents: rma.quoteLabourCents ?? 0,
    partsAndSuppliesCents: rma.quotePartsCents ?? 0,
    handlingFeeCents: rma.quoteHandlingCents ?? 0,
    returnShippingCents: rma.quoteShippingCents ?? 0,
  };
  const lines = (Object.keys(cents) as (keyof typeof cents)[]).map((key) => ({
    key,
    label: t(locale, `emails.quote.lines.${key}`),
    cents: cents[key],
  }));
  return {
    rmaNumber: rma.rmaNumber,
    model: rma.model,
    serialNumber: rma.serialNumber,
    status: rma.status,
    why: quoteReason(rma, locale),
    lines,
    totalCents: rma.quoteTotalCents,
    decision: rma.quoteDecision,
    answeredAt: rma.quoteAnsweredAt,
    open: actionRefusal("record-quote-answer", rma, now) === null,
  };
}

export interface QuoteAnswer {
  decision: "accept" | "decline";
  note?: string | undefined;
}

/**
 * Records the customer's answer to the quote of `rec` (as read by the caller): accepted → repairing,
 * declined → returning (unrepaired); staff are emailed. Staff recording an answer given by phone or
 * email have had the version they saw compared already.
 */
export async function answerQuote(db: Db, rec: LoadedRma, answer: QuoteAnswer, ctx: ActionContext): Promise<ActionResult> {
  const { rma } = rec;
  refuseUnlessAllowed("record-quote-answer", rec, ctx.now);
  const decision = answer.decision === "accept" ? "accepted" : "declined";
  const byStaff = ctx.actor.startsWith("staff:");
  const customer = rec.request.company ? `${rec.request.contactName} (${rec.request.company})` : rec.request.contactName;
  const content = quoteAnsweredStaffEmail({
    unit: mailUnit(rma),
    decision,
    totalCents: rma.quoteTotalCents ?? 0,
    customer,
    adminUrl: adminRmaUrl(ctx.links, rma.rmaNumber),
  });
  try {
    return await staffChange(db, rec, ctx, {
      to: decision === "accepted" ? "repairing" : "returning",
      note: sentences(
        quoteAnsweredNote(formatEuros(rma.quoteTotalCents ?? 0), decision, byStaff),
        decision === "declined" && UNREPAIRED_NOTE,
        answer.note,
      ),
      set: { quoteDecision: decision, quoteAnsweredAt: ctx.now.toISOString() },
      emails: [{ to: staffAddress(ctx.env), ...content, rmaNumber: rma.rmaNumber, dedupeKey: `quote-answer:${rma.rmaNumber}` }],
      done: decision,
    });
  } catch (err) {
    if (!(err instanceof Refusal) || err.code !== "conflict") throw err;
    // Lost a race: if it was another answer, say so as the gate would now.
    refuseUnlessAllowed("record-quote-answer", await loadForAction(db, rma.rmaNumber), ctx.now);
    throw err;
  }
}

/** The refusal of a quote link once its quote is answered: the link has done its job and stops working (410). */
export function quoteAnsweredRefusal(rma: Pick<RmaRow, "quoteDecision" | "quoteAnsweredAt">): Refusal {
  const decision = text(
    rma.quoteDecision === "accepted" || rma.quoteDecision === "declined"
      ? `errors.quote.decision.${rma.quoteDecision}`
      : "errors.quote.decision.answered",
  );
  return new Refusal(
    "quote_answered",
    rma.quoteAnsweredAt
      ? text("errors.quote.answeredOn", { date: rma.quoteAnsweredAt.slice(0, 10), decision })
      : text("errors.quote.answered", { decision }),
  );
}

export const INVALID_QUOTE_LINK: Text = text("errors.quote.linkInvalid");

/** A wrong quote link counts toward the client address's failed-link limit, as RMA links do (429 past it). */
async function checkLink(
  db: Db,
  env: AppEnv,
  rmaNumber: string,
  token: string | null | undefined,
  clientAddress: string,
): Promise<void> {
  if (!(await verifyToken(requireSecret(env.LINK_SECRET), "quote", rmaNumber, token))) {
    await refuseLink(db, clientAddress, new Date(), new Refusal("invalid_link", INVALID_QUOTE_LINK));
  }
}

/**
 * The quote behind a signed link; 403 for a wrong link (429 past the failed-link limit), 404 when the RMA has
 * no quote, 410 once the quote is answered (the link stops working).
 */
export async function openQuote(
  db: Db,
  env: AppEnv,
  rmaNumber: string,
  token: string | null | undefined,
  clientAddress = "unknown",
  /** The reader's language (the API caller's, or the quote page's). */
  locale: Locale = DEFAULT_LOCALE,
): Promise<QuoteView> {
  await checkLink(db, env, rmaNumber, token, clientAddress);
  const [rma] = await db.select().from(rmas).where(eq(rmas.rmaNumber, rmaNumber)).limit(1);
  const view = rma ? quoteViewOf(rma, new Date(), locale) : null;
  if (!rma || !view) throw new Refusal("no_quote", text("errors.quote.none", { rmaNumber }));
  if (rma.quoteDecision) throw quoteAnsweredRefusal(rma);
  return view;
}

/** The customer's answer through the signed link: once; the link of an answered quote is refused with 410. */
export async function answerQuoteLink(
  db: Db,
  env: AppEnv,
  input: {
    rmaNumber: string;
    token: string | null | undefined;
    decision: "accept" | "decline";
    requestUrl: string;
    now: Date;
    clientAddress?: string;
  },
): Promise<ActionResult> {
  await checkLink(db, env, input.rmaNumber, input.token, input.clientAddress ?? "unknown");
  const rec = await loadForAction(db, input.rmaNumber);
  if (rec.rma.quoteDecision) throw quoteAnsweredRefusal(rec.rma);
  try {
    return await answerQuote(
      db,
      rec,
      { decision: input.decision },
      { actor: "customer", env, links: linkContext(env, input.requestUrl), now: input.now },
    );
  } catch (err) {
    // Lost a race to another answer: the link is now used, as for any later request.
    if (!(err instanceof Refusal) || err.code !== "already_answered") throw err;
    throw quoteAnsweredRefusal((await loadForAction(db, input.rmaNumber)).rma);
  }
}
