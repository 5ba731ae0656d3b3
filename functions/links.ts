/** Signed links to the customer's pages, as put in emails and redirects. */
import { requireSecret, signToken } from "./auth/tokens.ts";
import type { AppEnv } from "./env.ts";

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
