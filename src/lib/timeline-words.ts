/**
 * The RMA page's timeline in the page's language. An event's title comes from its kind (a status change
 * is its status label). Its note is what a person wrote (staff, or the customer's cancellation reason) and is
 * shown as written, except the few notes the portal itself writes into the event log in English: until
 * those are stored as codes, they are recognised here and said in the page's language.
 */
import { EXPIRY_NOTE } from "@/functions/domain/expiry.ts";
import { statusLabel } from "@/functions/domain/lifecycle.ts";
import type { Locale, MessageKey } from "@/functions/i18n/index.ts";
import { translator } from "@/functions/i18n/index.ts";
import type { TimelineEntry } from "@/functions/services/rma/view.ts";

const EVENT_KEYS: Readonly<Record<string, MessageKey>> = {
  "cancellation-requested": "rma.events.cancellation-requested",
  "cancellation-refused": "rma.events.cancellation-refused",
  "cancellation-granted": "rma.events.cancellation-granted",
  "cancellation-not-possible": "rma.events.cancellation-not-possible",
  "warranty-refused": "rma.events.warranty-refused",
  reminder: "rma.events.reminder",
  note: "rma.events.note",
};

const AUTO_AUTHORIZED = "Authorised automatically: the serial number is in our registry and under warranty.";
const NOT_IN_REGISTRY = /^Serial not in the registry: purchase date (\d{4}-\d{2}-\d{2}) from invoice (.*)\.$/s;

export function timelineTitle(e: TimelineEntry, locale: Locale): string {
  if (e.status && (e.kind === "status" || e.kind === "lapsed")) return statusLabel(e.status, locale);
  const key = EVENT_KEYS[e.kind];
  return translator(locale).t(key ?? "rma.events.update");
}

export function timelineNote(note: string | null, locale: Locale): string | null {
  if (!note) return note;
  const { t, date } = translator(locale);
  if (note === AUTO_AUTHORIZED) return t("rma.events.autoAuthorized");
  if (note === EXPIRY_NOTE) return t("rma.events.expired");
  const unknown = NOT_IN_REGISTRY.exec(note);
  if (unknown) return t("rma.events.notInRegistry", { date: date(`${unknown[1]}T00:00:00Z`), invoice: unknown[2] ?? "" });
  return note;
}

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
