/**
 * Text through one function: every string a person reads comes from the message catalogues
 * content/{en,it,de}/ui.json and content/{en,it,de}/messages/<area>.json through `t()`. Plain TypeScript (no Astro, no Hono): pages, API errors,
 * emails and Node scripts all import it.
 *
 * - Keys are the dotted paths of content/en/ui.json (`"faq.title"`); `MessageKey` lists them, so a
 *   wrong key fails `npm run typecheck`, and each catalogue must have the shape of the English one, so
 *   a key missing from it/de fails it too.
 * - `{name}` in a message is replaced by `params.name` (a number is formatted for the locale).
 * - A message that is an object of plural forms (`{"one": "{count} unit", "other": "{count} units"}`)
 *   is chosen with `Intl.PluralRules` by `params.count`; `other` is required.
 * - Dates and numbers are formatted by `Intl` for the locale: `date()` gives 30 November 2026,
 *   30 novembre 2026, 30. November 2026.
 *
 * @example
 *   const { t, date } = translator("it");
 *   t("faq.title");                      // "Domande frequenti"
 *   t("search.results", { count: 3 });   // "3 risultati"
 *   date(new Date("2026-11-30"));        // "30 novembre 2026"
 */

import deAccount from "../../content/de/messages/account.json" with { type: "json" };
import deDesk from "../../content/de/messages/desk.json" with { type: "json" };
import deEmails from "../../content/de/messages/emails.json" with { type: "json" };
import deErrors from "../../content/de/messages/errors.json" with { type: "json" };
import deFiles from "../../content/de/messages/files.json" with { type: "json" };
import deInsight from "../../content/de/messages/insight.json" with { type: "json" };
import deRma from "../../content/de/messages/rma.json" with { type: "json" };
import deTeam from "../../content/de/messages/team.json" with { type: "json" };
import deWorkshop from "../../content/de/messages/workshop.json" with { type: "json" };
import deUi from "../../content/de/ui.json" with { type: "json" };
import enAccount from "../../content/en/messages/account.json" with { type: "json" };
import enDesk from "../../content/en/messages/desk.json" with { type: "json" };
import enEmails from "../../content/en/messages/emails.json" with { type: "json" };
import enErrors from "../../content/en/messages/errors.json" with { type: "json" };
import enFiles from "../../content/en/messages/files.json" with { type: "json" };
import enInsight from "../../content/en/messages/insight.json" with { type: "json" };
import enRma from "../../content/en/messages/rma.json" with { type: "json" };
import enTeam from "../../content/en/messages/team.json" with { type: "json" };
import enWorkshop from "../../content/en/messages/workshop.json" with { type: "json" };
import enUi from "../../content/en/ui.json" with { type: "json" };
import itAccount from "../../content/it/messages/account.json" with { type: "json" };
import itDesk from "../../content/it/messages/desk.json" with { type: "json" };
import itEmails from "../../content/it/messages/emails.json" with { type: "json" };
import itErrors from "../../content/it/messages/errors.json" with { type: "json" };
import itFiles from "../../content/it/messages/files.json" with { type: "json" };
import itInsight from "../../content/it/messages/insight.json" with { type: "json" };
import itRma from "../../content/it/messages/rma.json" with { type: "json" };
import itTeam from "../../content/it/messages/team.json" with { type: "json" };
import itWorkshop from "../../content/it/messages/workshop.json" with { type: "json" };
import itUi from "../../content/it/ui.json" with { type: "json" };

/**
 * Each language is `ui.json` (site, FAQ, policies, search) plus one file per area under `messages/`, whose
 * keys sit under the area's name: `content/it/messages/errors.json` holds the `errors.*` keys. A feature
 * adds its words to its own area file in every language.
 */
const en = {
  ...enUi,
  rma: enRma,
  errors: enErrors,
  emails: enEmails,
  desk: enDesk,
  files: enFiles,
  team: enTeam,
  insight: enInsight,
  account: enAccount,
  workshop: enWorkshop,
};
const it = {
  ...itUi,
  rma: itRma,
  errors: itErrors,
  emails: itEmails,
  desk: itDesk,
  files: itFiles,
  team: itTeam,
  insight: itInsight,
  account: itAccount,
  workshop: itWorkshop,
};
const de = {
  ...deUi,
  rma: deRma,
  errors: deErrors,
  emails: deEmails,
  desk: deDesk,
  files: deFiles,
  team: deTeam,
  insight: deInsight,
  account: deAccount,
  workshop: deWorkshop,
};

export const LOCALES = ["en", "it", "de"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** The language's own name, for the language switcher (always written in that language). */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: "English", it: "Italiano", de: "Deutsch" };

/** Intl locale per portal locale: "en" is British English (30 November 2026, as the portal always wrote dates). */
const INTL_LOCALE: Readonly<Record<Locale, string>> = { en: "en-GB", it: "it-IT", de: "de-DE" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** A locale from anything (a route parameter, `Astro.currentLocale`, a stored column): English when unknown. */
export function toLocale(value: unknown): Locale {
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

type PluralForms = { other: string } & Partial<Record<Exclude<Intl.LDMLPluralRule, "other">, string>>;

/** A catalogue has the English one's shape: every key, strings where it has strings, plural forms where it has them. */
type Shape<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : T[K] extends { other: string } ? PluralForms : Shape<T[K]>;
};
export type Catalogue = Shape<typeof en>;

type Keys<T> = {
  [K in keyof T & string]: T[K] extends string | { other: string } ? K : `${K}.${Keys<T[K]>}`;
}[keyof T & string];
/** Every message key, e.g. "faq.categories.warranty". */
export type MessageKey = Keys<typeof en>;

/**
 * Messages that are the same in every language on purpose (names, legal names, codes such as Incoterms
 * or model names): the catalogue test allows these, and only these, to equal the English text.
 */
export const SAME_IN_EVERY_LANGUAGE: ReadonlySet<MessageKey> = new Set<MessageKey>([
  "site.company",
  "footer.rights",
  "errors.desk.numbered",
]);

/** Each language must have every key of English: a missing one is a type error here. */
export const CATALOGUES: Readonly<Record<Locale, Catalogue>> = { en, it, de };

export type Params = Readonly<Record<string, string | number>>;

function lookup(catalogue: Catalogue, key: string): unknown {
  let node: unknown = catalogue;
  for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

export interface Translator {
  readonly locale: Locale;
  /** The message `key` in this locale, `{param}`s filled in, its plural form chosen by `params.count`. */
  t(key: MessageKey, params?: Params): string;
  /** A calendar date (UTC): 30 November 2026 / 30 novembre 2026 / 30. November 2026. */
  date(value: Date | string | number, style?: "long" | "short"): string;
  /** A number with the locale's separators (1,234.5 / 1.234,5). */
  number(value: number, options?: Intl.NumberFormatOptions): string;
  /** An amount of money: €1,234.50 / 1.234,50 € . */
  money(value: number, currency?: string): string;
}

const cache = new Map<Locale, Translator>();

/** The translator for a locale (made once per locale and kept: formatting objects are not cheap). */
export function translator(locale: Locale): Translator {
  const made = cache.get(locale);
  if (made) return made;
  const intl = INTL_LOCALE[locale];
  const plurals = new Intl.PluralRules(intl);
  const numbers = new Intl.NumberFormat(intl);
  const dates = {
    long: new Intl.DateTimeFormat(intl, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }),
    short: new Intl.DateTimeFormat(intl, { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" }),
  };
  const catalogue = CATALOGUES[locale];
  const fill = (message: string, params: Params | undefined) =>
    params
      ? message.replace(/\{(\w+)\}/g, (whole, name: string) => {
          const value = params[name];
          return value === undefined ? whole : typeof value === "number" ? numbers.format(value) : value;
        })
      : message;
  const made2: Translator = {
    locale,
    t(key, params) {
      const found = lookup(catalogue, key) ?? lookup(CATALOGUES[DEFAULT_LOCALE], key);
      if (typeof found === "string") return fill(found, params);
      if (found && typeof found === "object" && "other" in found) {
        const forms = found as PluralForms;
        const count = Number(params?.["count"] ?? 0);
        return fill(forms[plurals.select(count)] ?? forms.other, params);
      }
      throw new Error(`no message "${key}" in ${locale}`);
    },
    date: (value, style = "long") => dates[style].format(new Date(value)),
    number: (value, options) => (options ? new Intl.NumberFormat(intl, options) : numbers).format(value),
    money: (value, currency = "EUR") => new Intl.NumberFormat(intl, { style: "currency", currency }).format(value),
  };
  cache.set(locale, made2);
  return made2;
}

/** `t(key)` for one locale, when nothing else is needed. */
export function t(locale: Locale, key: MessageKey, params?: Params): string {
  return translator(locale).t(key, params);
}

/**
 * The locales a request's `Accept-Language` prefers, best first, among the portal's (`it-CH;q=0.8` counts
 * as `it`); English is not added when not asked for.
 */
export function preferredLocales(acceptLanguage: string | null | undefined): Locale[] {
  if (!acceptLanguage) return [];
  const ranked = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag = "", ...rest] = part.trim().split(";");
      const q = rest.map((r) => /^\s*q=([\d.]+)\s*$/.exec(r)?.[1]).find((v) => v !== undefined);
      return { lang: tag.trim().toLowerCase().split("-")[0] ?? "", q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0 && Number.isFinite(r.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const out: Locale[] = [];
  for (const r of ranked) if (isLocale(r.lang) && !out.includes(r.lang)) out.push(r.lang);
  return out;
}
