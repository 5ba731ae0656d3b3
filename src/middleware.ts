/**
 * Runs around every request Astro answers (pages and the /api catch-all):
 * - refuses cross-site form posts (Astro's own `checkOrigin` answers in plain text, so it is off and
 *   this answers instead: the one error shape under /api, a 403 page elsewhere);
 * - answers 503 when the database cannot be reached while a page is rendered, instead of a 500;
 * - keeps every /api error in the one error shape, also when Astro answers before the Hono app does;
 * - adds the security headers to every response that does not have them yet (the Hono app under /api
 *   sets its own; static files get them from public/_headers), and `Cache-Control: no-store` to pages
 *   rendered on demand, which show personal data behind signed links.
 */
import { defineMiddleware } from "astro:middleware";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError, internalError, isDatabaseUnavailable, noSuchEndpoint, unavailable } from "@/functions/errors.ts";
import { addSecurityHeaders, isCrossSite } from "@/functions/http/protection.ts";
import { DEFAULT_LOCALE, type Locale, preferredLocales, t } from "@/functions/i18n/index.ts";
import { splitLocale } from "@/functions/i18n/paths.ts";
import { text } from "@/functions/i18n/text.ts";
import { errorPage } from "./lib/error-page.ts";

const isApi = (path: string) => path === "/api" || path.startsWith("/api/");

/** An API error in the one shape, said in the language the client asks for (`Accept-Language`), as the Hono app does. */
function apiError(error: ApiError, locale: Locale): Response {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (error.retryAfterSeconds) headers["Retry-After"] = String(error.retryAfterSeconds);
  return new Response(JSON.stringify(error.toBody(locale)), { status: error.status, headers });
}

/** Adds what is missing in place (Astro attaches cookies to the Response object itself); copies only immutable ones. */
function withSecurityHeaders(response: Response, onDemand: boolean, url: string): Response {
  const add = (headers: Headers) => addSecurityHeaders(headers, { noStore: onDemand, url });
  try {
    add(response.headers);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    add(copy.headers);
    return copy;
  }
}

export const onRequest = defineMiddleware(async (context, next) => {
  const { request, url } = context;
  // Astro decodes the path before routing (`/api/x/..%5c..%5cy` becomes `/y`): a request sent to /api is
  // answered as the API answers, whatever Astro makes of its path.
  const api = isApi(url.pathname) || isApi(new URL(request.url).pathname);
  const onDemand = !context.isPrerendered;
  // The API answers in the client's language; a page in its own (`/it/…`).
  const locale = api
    ? (preferredLocales(request.headers.get("accept-language"))[0] ?? DEFAULT_LOCALE)
    : splitLocale(url.pathname).locale;
  if (onDemand && isCrossSite(request, url.origin, { formsOnly: api })) {
    const crossSite = text("errors.http.crossSite");
    return withSecurityHeaders(
      api
        ? apiError(new ApiError(403, "cross_site_forbidden", crossSite), locale)
        : errorPage(403, t(locale, "errors.http.crossSiteTitle"), t(locale, "errors.http.crossSite")),
      true,
      request.url,
    );
  }
  let response: Response;
  try {
    response = await next();
  } catch (err) {
    if (!isDatabaseUnavailable(err)) throw err;
    const error = unavailable();
    response = api
      ? apiError(error, locale)
      : errorPage(503, t(locale, "errors.http.unavailableTitle"), error.messageIn(locale), { "Retry-After": "60" });
  }
  // An /api path the catch-all route does not match (e.g. one with an encoded line break) gets Astro's
  // HTML 404: answer it, and anything else Astro answers under /api, in the one error shape.
  if (api && response.status >= 400 && !(response.headers.get("content-type") ?? "").includes("application/json")) {
    const status = response.status;
    response = apiError(
      status === 404
        ? noSuchEndpoint(request.method, url.pathname)
        : status >= 500
          ? internalError()
          : new ApiError(
              status as ContentfulStatusCode,
              status === 405 ? "method_not_allowed" : "bad_request",
              text("errors.http.cannotAnswer"),
            ),
      locale,
    );
  }
  return withSecurityHeaders(response, onDemand, request.url);
});
