/**
 * `/` is a static file, served without the Worker for everyone else. Only GET `/` runs the Worker first
 * (wrangler.toml `[assets] run_worker_first = ["/"]`): it fetches the same static file and, when the
 * visitor's `Accept-Language` prefers Italian or German to English, adds one line with a link to `/it`
 * or `/de` (not to a visitor coming from the portal's own pages: see `localeToOffer`). No redirect (bookmarks and crawlers keep `/`), no script, no cookie; the page stays the
 * prerendered one, so its bytes for English visitors are unchanged.
 */
import { escapeHtml } from "@/functions/email/html.ts";
import { preferredLocales, t } from "@/functions/i18n/index.ts";
import { localizedPath } from "@/functions/i18n/paths.ts";

/**
 * The language to offer on the English home page to this visitor, if any: the first of `Accept-Language`
 * when it is Italian or German, unless the visitor came from a page of the portal (the Referer is the
 * portal's: `Referrer-Policy: same-origin`): having chosen English with the switcher, they are not asked again.
 */
export function localeToOffer(request: Request) {
  const referer = request.headers.get("referer");
  if (referer && URL.canParse(referer) && new URL(referer).origin === new URL(request.url).origin) return null;
  const first = preferredLocales(request.headers.get("accept-language"))[0];
  return first && first !== "en" ? first : null;
}

/** The static `/`, with the offer added when the visitor prefers another language. */
export async function homeWithOffer(request: Request, assets: Fetcher): Promise<Response> {
  const page = await assets.fetch(request);
  const locale = localeToOffer(request);
  const headers = new Headers(page.headers);
  headers.append("Vary", "Accept-Language");
  if (!locale || page.status !== 200 || !(headers.get("content-type") ?? "").includes("text/html")) {
    return new Response(page.body, { status: page.status, statusText: page.statusText, headers });
  }
  headers.delete("Content-Length");
  headers.delete("ETag");
  const offer =
    `<p class="language-offer" lang="${locale}">${escapeHtml(t(locale, "lang.offer"))} ` +
    `<a href="${localizedPath(locale, "/")}" hreflang="${locale}">${escapeHtml(t(locale, "lang.offerLink"))}</a></p>`;
  const rewritten = new HTMLRewriter()
    .on("main", { element: (main) => void main.prepend(offer, { html: true }) })
    .transform(new Response(page.body, { status: 200, headers }));
  return rewritten;
}
