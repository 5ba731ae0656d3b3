/** Signed links to the customer's pages, as put in emails and redirects. */
import { requireSecret, signToken } from "./auth/tokens.ts";
import type { AppEnv } from "./env.ts";
import { DEFAULT_LOCALE, type Locale } from "./i18n/index.ts";
import { localizedPath } from "./i18n/paths.ts";

export interface LinkContext {
  /** The portal's address without a trailing slash. */
  baseUrl: string;
  secret: string;
}

export function linkContext(env: AppEnv, requestUrl?: string): LinkContext {
  const base = env.PUBLIC_URL || (requestUrl ? new URL(requestUrl).origin : "http://127.0.0.1:8787");
  return { baseUrl: base.replace(/\/+$/, ""), secret: requireSecret(env.LINK_SECRET) };
}

export async function rmaPath(secret: string, rmaNumber: string): Promise<string> {
  return `/rma/${rmaNumber}?t=${await signToken(secret, "rma", rmaNumber)}`;
}

export async function requestPath(secret: string, requestId: string): Promise<string> {
  return `/rma/requests/${requestId}?t=${await signToken(secret, "request", requestId)}`;
}

/** A new request prefilled from an RMA (after it expired), signed with the RMA page's token. */
export async function requestAgainPath(secret: string, rmaNumber: string): Promise<string> {
  return `/rma/new?again=${rmaNumber}&t=${await signToken(secret, "rma", rmaNumber)}`;
}

/**
 * A page's address in the reader's language (`/it/…` once the page exists in it: `localizedPath`), for
 * the links in emails: the customer's language follows the RMA.
 */
export function pageUrl(links: LinkContext, englishPath: string, locale: Locale = DEFAULT_LOCALE): string {
  return links.baseUrl + localizedPath(locale, englishPath);
}

/** The RMA page's signed link as an address, for emails, in the reader's language. */
export async function rmaUrl(links: LinkContext, rmaNumber: string, locale: Locale = DEFAULT_LOCALE): Promise<string> {
  return pageUrl(links, await rmaPath(links.secret, rmaNumber), locale);
}

/** The printable RMA form and parcel label: signed with the RMA page's token, in the reader's language. */
export async function printUrl(links: LinkContext, rmaNumber: string, locale: Locale = DEFAULT_LOCALE): Promise<string> {
  return pageUrl(links, `/rma/${rmaNumber}/print?t=${await signToken(links.secret, "rma", rmaNumber)}`, locale);
}

/** A new request prefilled from an expired RMA, as an address, in the reader's language. */
export async function requestAgainUrl(links: LinkContext, rmaNumber: string, locale: Locale = DEFAULT_LOCALE): Promise<string> {
  return pageUrl(links, await requestAgainPath(links.secret, rmaNumber), locale);
}

/** The page where the customer accepts or declines a quote (its own token purpose). */
export async function quotePath(secret: string, rmaNumber: string): Promise<string> {
  return `/rma/${rmaNumber}/quote?t=${await signToken(secret, "quote", rmaNumber)}`;
}

/** The quote page's signed link as an address, for emails, in the reader's language. */
export async function quoteUrl(links: LinkContext, rmaNumber: string, locale: Locale = DEFAULT_LOCALE): Promise<string> {
  return pageUrl(links, await quotePath(links.secret, rmaNumber), locale);
}

export function adminRmaUrl(links: LinkContext, rmaNumber: string): string {
  return `${links.baseUrl}/admin/rma/${rmaNumber}`;
}
