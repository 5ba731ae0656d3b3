/**
 * Interface text lives in content/<locale>/ui.json, so an Italian version is a new folder, not new code.
 */
import en from "@/content/en/ui.json";

export const LOCALES = ["en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

export type UiStrings = typeof en;
const strings: Record<Locale, UiStrings> = { en };

export function ui(locale: Locale = DEFAULT_LOCALE): UiStrings {
  return strings[locale];
}
