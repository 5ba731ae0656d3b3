/**
 * Why a unit is quoted, in the page's language (the timeline's words are functions/services/rma/view.ts
 * `timelineOf(record, now, locale)`).
 */
import type { Locale } from "@/functions/i18n/index.ts";
import { translator } from "@/functions/i18n/index.ts";

const WARRANTY_REFUSED = /^The warranty does not apply to this fault: (.*)$/s;
const WARRANTY_ENDED = /^The unit is not under warranty \(it ended on (\d{4}-\d{2}-\d{2})\)\.$/;

/**
 * Why a unit is quoted, in the page's language. The quote service (functions/services/quote.ts `quoteReason`)
 * gives one English sentence of two forms; until it gives their data instead, they are recognised here. The
 * staff's reason for refusing the warranty is shown as they wrote it.
 */
export function quoteWhy(why: string, locale: Locale): string {
  const { t, date } = translator(locale);
  const refused = WARRANTY_REFUSED.exec(why);
  if (refused) return t("rma.quote.whyRefused", { reason: refused[1] ?? "" });
  const ended = WARRANTY_ENDED.exec(why);
  if (ended) return t("rma.quote.whyExpired", { until: date(`${ended[1]}T00:00:00Z`) });
  return why;
}
