/**
 * Where a page lives in each language: English at its own path, Italian under /it, German under /de
 * (Astro's i18n routing, `prefixDefaultLocale: false`). The pages listed in `TRANSLATED` exist in every
 * language (every customer page); a link to any other page (the staff desk) keeps its English path.
 */
import { DEFAULT_LOCALE, LOCALES, type Locale } from "./index.ts";

/**
 * English paths of the pages that exist in every language: exact paths, or a prefix ending in "/". The
 * on-demand customer pages (request form, status, an RMA's page, its printable form and quote, the
 * confirmation of a request) are all under "/rma/" or at "/status"; their signed links (`?t=…`) work in
 * every language.
 */
const TRANSLATED: readonly string[] = [
  "/",
  "/faq",
  "/policies",
  "/policies/",
  "/search",
  "/status",
  "/rma/",
  "/account",
  "/account/",
];

/** Whether the page at this English path exists in every language. */
export function isTranslated(englishPath: string): boolean {
  const path = englishPath.split(/[?#]/)[0] ?? englishPath;
  return TRANSLATED.some((p) => (p.endsWith("/") && p !== "/" ? path.startsWith(p) : path === p));
}

/**
 * The path of the page at `englishPath` in `locale`: `/faq#warranty` → `/it/faq#warranty`; a page not
 * translated yet (`/rma/new`) or not a site path keeps its English path.
 */
export function localizedPath(locale: Locale, englishPath: string): string {
  if (locale === DEFAULT_LOCALE || !englishPath.startsWith("/") || englishPath.startsWith("//")) return englishPath;
  if (!isTranslated(englishPath)) return englishPath;
  // The home page in a language is `/it` (the build writes it.html; `/it/` is sent there).
  const rest = englishPath === "/" || /^\/[?#]/.test(englishPath) ? englishPath.slice(1) : englishPath;
  return `/${locale}${rest}`;
}

/** The locale a path is in and the English path of the same page: `/de/faq` → `{ locale: "de", path: "/faq" }`. */
export function splitLocale(path: string): { locale: Locale; path: string } {
  for (const locale of LOCALES) {
    if (locale === DEFAULT_LOCALE) continue;
    if (path === `/${locale}` || path === `/${locale}/`) return { locale, path: "/" };
    if (path.startsWith(`/${locale}/`)) return { locale, path: path.slice(locale.length + 1) };
  }
  return { locale: DEFAULT_LOCALE, path };
}

/**
 * Translated Markdown names English paths in its links (`/rma/new`, `/faq#warranty`, `/policies/…`), as the
 * English files do: in rendered HTML, each `href` to a page that exists in `locale` is pointed there
 * (`/it/faq#warranty`); a link to a page not translated yet keeps its English path.
 */
export function localizeLinks(locale: Locale, html: string): string {
  if (locale === DEFAULT_LOCALE) return html;
  return html.replace(
    /(<a\b[^>]*?\shref=")(\/[^"]*)"/g,
    (_whole, start: string, href: string) => `${start}${localizedPath(locale, href)}"`,
  );
}
