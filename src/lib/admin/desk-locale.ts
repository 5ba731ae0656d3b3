/**
 * The desk's language of the page being rendered: the signed-in staff member's (`staff_users.locale`),
 * set once by `openAdminPage` for the request and read by every admin component, so no component needs
 * it passed down. English where nobody is signed in.
 */
import { type Locale, type Translator, translator } from "@/functions/i18n/index.ts";

const byRequest = new WeakMap<Request, Locale>();

export function setDeskLocale(request: Request, locale: Locale): void {
  byRequest.set(request, locale);
}

export function deskLocale(request: Request): Locale {
  return byRequest.get(request) ?? "en";
}

/** The translator of the desk's language for this request (`deskText(Astro)` in a component). */
export function deskText(astro: { request: Request }): Translator {
  return translator(deskLocale(astro.request));
}
