/**
 * What protects every request and response, in one place: the security headers (on every response the
 * Worker makes, from the Astro middleware and the Hono app alike; static assets get the same from
 * public/_headers) and the cross-site check on writes (the Astro middleware for pages and form posts to
 * /api, the staff API for every write).
 */

/** Browser features the portal never uses. */
export const PERMISSIONS_POLICY =
  "accelerometer=(), autoplay=(), bluetooth=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()";

/** HTTPS only from now on, for a year, on this host and its subdomains (sent outside local plain HTTP). */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/** False only for plain-HTTP loopback (local development), where a Secure cookie would not be kept. */
export function isSecureOrigin(url: string | URL): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return true;
  }
  if (parsed.protocol !== "http:") return true;
  return !["localhost", "127.0.0.1", "[::1]"].includes(parsed.hostname);
}

export const securityHeaders: Readonly<Record<string, string>> = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  // Nothing the portal does needs these: denied to the page and to any frame in it.
  "Permissions-Policy": PERMISSIONS_POLICY,
};

/**
 * Adds the security headers a response does not have yet, `Strict-Transport-Security` when the request
 * (`url`) is not local plain HTTP, and with `noStore` (responses rendered on demand, which show personal
 * data behind signed links) `Cache-Control: no-store` unless it has one.
 */
export function addSecurityHeaders(headers: Headers, opts: { noStore: boolean; url?: string | undefined }): void {
  for (const [k, v] of Object.entries(securityHeaders)) if (!headers.has(k)) headers.set(k, v);
  if (opts.url !== undefined && isSecureOrigin(opts.url) && !headers.has("Strict-Transport-Security")) {
    headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  }
  if (opts.noStore && !headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

/**
 * A state-changing request that does not carry `origin` (the request's own) in its Origin header.
 * With `formsOnly`, only bodies a browser can send cross-site without CORS count (form-like or none):
 * the public API takes JSON from other clients, which browsers cannot send cross-site without the CORS
 * the portal does not grant. Pages and the staff API need the portal's own Origin for every write.
 */
export function isCrossSite(request: Request, origin: string, opts: { formsOnly: boolean }): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  if (request.headers.get("origin") === origin) return false;
  if (!opts.formsOnly) return true;
  const type = request.headers.get("content-type");
  return type === null || FORM_TYPES.some((t) => type.toLowerCase().includes(t));
}
