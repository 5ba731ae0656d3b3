/**
 * The pages' side of functions/i18n: the translator for the page being rendered. Interface text lives in
 * content/<locale>/ui.json; a new language is a new folder plus its code in `LOCALES`
 * (functions/i18n/index.ts) and in astro.config.mjs `i18n.locales`.
 *
 * In a page or component: `const { t, locale, path } = pageText(Astro);` then `t("faq.title")`,
 * and `path("/faq")` for a link to another page in the same language.
 */
import { type Locale, type Translator, toLocale, translator } from "@/functions/i18n/index.ts";
import { localizedPath } from "@/functions/i18n/paths.ts";

export * from "@/functions/i18n/index.ts";
export * from "@/functions/i18n/paths.ts";

export interface PageText extends Translator {
  /** `path("/faq")` → "/it/faq" on an Italian page; pages not translated yet keep their English path. */
  path(englishPath: string): string;
}

/** The translator for the page `Astro` renders (its locale is the URL's: `/it/…`, `/de/…`, else English). */
export function pageText(astro: { currentLocale: string | undefined }): PageText {
  return forLocale(toLocale(astro.currentLocale));
}

export function forLocale(locale: Locale): PageText {
  return { ...translator(locale), path: (p: string) => localizedPath(locale, p) };
}
