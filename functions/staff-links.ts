/** Signed links that staff actions put in emails: the printable RMA form and the quote answer page. */
import { signToken } from "./auth/tokens.ts";
import { type LinkContext, rmaPath } from "./links.ts";

/** The printable RMA form and parcel label: the RMA page's signed link with `/print` before the query. */
export async function printUrl(links: LinkContext, rmaNumber: string): Promise<string> {
  const path = await rmaPath(links.secret, rmaNumber);
  return `${links.baseUrl}${path.replace("?", "/print?")}`;
}

export async function quotePath(secret: string, rmaNumber: string): Promise<string> {
  return `/rma/${rmaNumber}/quote?t=${await signToken(secret, "quote", rmaNumber)}`;
}

export function adminRmaUrl(links: LinkContext, rmaNumber: string): string {
  return `${links.baseUrl}/admin/rma/${rmaNumber}`;
}
