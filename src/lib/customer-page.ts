/** Shared by the customer's RMA pages: open the RMA from the signed link, or say why not (in the page's language). */
import { env } from "cloudflare:workers";
import { createDb, type Db } from "@/db/client.ts";
import type { VerdictWords } from "@/functions/domain/verdict-text.ts";
import { asApiError } from "@/functions/errors.ts";
import { clientAddress } from "@/functions/http/client.ts";
import { type Locale, translator } from "@/functions/i18n/index.ts";
import { linkContext } from "@/functions/links.ts";
import { linkDaysAfterEnd, openWithToken } from "@/functions/services/rma/customer-access.ts";
import type { RmaRecord } from "@/functions/services/rma/view.ts";

export type Opened = { ok: true; record: RmaRecord; db: Db; token: string } | { ok: false; status: number; message: string };

export async function openRmaPage(request: Request, rmaNumber: string, token: string | null, locale: Locale): Promise<Opened> {
  const db = createDb(env);
  try {
    const record = await openWithToken(db, {
      rmaNumber,
      token,
      secret: linkContext(env, request.url).secret,
      clientAddress: clientAddress(request.headers),
      now: new Date(),
      linkDays: linkDaysAfterEnd(env),
      thread: true,
    });
    return { ok: true, record, db, token: token ?? "" };
  } catch (err) {
    const e = asApiError(err);
    return { ok: false, status: e.status, message: e.messageIn(locale) };
  }
}

/** A calendar date (an ISO date or timestamp) in the page's language: 30 November 2026, 30 novembre 2026. */
export function formatDate(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return "";
  return translator(locale).date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
}

/** The verdict templates of the request form in the page's language (functions/domain/verdict-text.ts). */
export function verdictWords(locale: Locale): VerdictWords {
  const { t } = translator(locale);
  return {
    covered: t("rma.verdict.covered"),
    coveredByRepair: t("insight.repairWarranty.verdict"),
    notCovered: t("rma.verdict.notCovered"),
    unknown: t("rma.verdict.unknown"),
    date: (iso) => formatDate(iso, locale),
  };
}
