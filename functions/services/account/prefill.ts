/**
 * The request form's initial values for a signed-in customer (`/rma/new?from=account[&unit=RMA-…]`).
 * The form page calls `accountPrefill(db, Astro.request)` on a GET and, when it returns values, puts
 * `contact`, `returnAddress` and (when not empty) `units` into its state; every field stays editable.
 */
import type { Db } from "../../../db/client.ts";
import { type PrefillValues, prefillFor } from "./returns.ts";
import { customerOf } from "./session.ts";

export const FROM_ACCOUNT = "account";

export async function accountPrefill(db: Db, request: Request, now: Date = new Date()): Promise<PrefillValues | null> {
  const url = new URL(request.url);
  if (url.searchParams.get("from") !== FROM_ACCOUNT) return null;
  const session = await customerOf(db, request, now);
  if (!session) return null;
  return prefillFor(db, session.email, { unit: url.searchParams.get("unit"), now });
}
