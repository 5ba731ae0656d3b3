/**
 * The language of an on-demand customer page. Those pages live once under `src/pages/[...locale]/`: the
 * English address has no prefix (the parameter is undefined), the Italian and German ones start with
 * `/it/` and `/de/`. Any other first segment (`/en/status`, `/fr/status`) is not a page: null (404).
 */
import { DEFAULT_LOCALE, isLocale, type Locale } from "@/src/i18n/index.ts";

export function onDemandLocale(param: string | undefined): Locale | null {
  if (param === undefined || param === "") return DEFAULT_LOCALE;
  return isLocale(param) && param !== DEFAULT_LOCALE ? param : null;
}
