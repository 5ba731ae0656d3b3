/**
 * Where "My returns" links to, in the page's language. RMA pages and printable forms open with the same
 * signed links the emails carry (made here for the signed-in owner), so they work as before.
 *
 * The request form's parameters (documented in the README):
 * - `/rma/new?from=account` — "New request": contact and return address from the customer's last request
 *   (`prefillFor`, wired into the form page by `accountPrefill` in ./prefill.ts);
 * - `/rma/new?from=account&unit=RMA-…` — the same plus that unit, when it is the customer's and expired or closed;
 * - "Request again" uses the signed `/rma/new?again=RMA-…&t=…` link of the expiry email, which the form
 *   already understands, so it works whether or not the customer is signed in.
 */
import { signToken } from "../../auth/tokens.ts";
import type { Locale } from "../../i18n/index.ts";
import { localizedPath } from "../../i18n/paths.ts";
import { requestAgainPath, rmaPath } from "../../links.ts";
import type { AccountUnit } from "./returns.ts";

/** `/account…` in `locale` (English unprefixed, `/it/account…`, `/de/account…`). */
export function accountPath(locale: Locale, path = ""): string {
  return `${locale === "en" ? "" : `/${locale}`}/account${path}`;
}

export function unitHistoryPath(locale: Locale, serialNumber: string): string {
  return accountPath(locale, `/units/${encodeURIComponent(serialNumber)}`);
}

export const NEW_REQUEST_PATH = "/rma/new?from=account";

export interface UnitLinks {
  page: string;
  print: string | null;
  history: string;
  requestAgain: string | null;
}

/** "New request" in `locale`: the request form in the same language, pre-filled from the last request. */
export function newRequestPath(locale: Locale): string {
  return localizedPath(locale, NEW_REQUEST_PATH);
}

/** An RMA's links from "My returns", each to the page in the list's language (`/it/rma/…?t=…`). */
export async function unitLinks(secret: string, unit: AccountUnit, locale: Locale): Promise<UnitLinks> {
  const page = await rmaPath(secret, unit.rmaNumber);
  const print = `/rma/${unit.rmaNumber}/print?t=${await signToken(secret, "rma", unit.rmaNumber)}`;
  return {
    page: localizedPath(locale, page),
    print: unit.printable ? localizedPath(locale, print) : null,
    history: unitHistoryPath(locale, unit.serialNumber),
    requestAgain: unit.canRequestAgain ? localizedPath(locale, await requestAgainPath(secret, unit.rmaNumber)) : null,
  };
}
