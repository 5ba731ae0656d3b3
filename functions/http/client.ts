/** The client's address as Cloudflare reports it (the edge sets `cf-connecting-ip`; wrangler dev does too). */
export function clientAddress(headers: Headers): string {
  return headers.get("cf-connecting-ip")?.trim() || "unknown";
}
