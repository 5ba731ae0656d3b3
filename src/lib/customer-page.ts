/** Shared by the customer's RMA pages: open the RMA from the signed link, or say why not. */
import { env } from "cloudflare:workers";
import { createDb, type Db } from "@/db/client.ts";
import { asApiError } from "@/functions/errors.ts";
import { clientAddress } from "@/functions/http/client.ts";
import { linkContext } from "@/functions/links.ts";
import { linkDaysAfterEnd, openWithToken } from "@/functions/services/rma/customer-access.ts";
import type { RmaRecord } from "@/functions/services/rma/view.ts";

export type Opened = { ok: true; record: RmaRecord; db: Db; token: string } | { ok: false; status: number; message: string };

export async function openRmaPage(request: Request, rmaNumber: string, token: string | null): Promise<Opened> {
  const db = createDb(env);
  try {
    const record = await openWithToken(db, {
      rmaNumber,
      token,
      secret: linkContext(env, request.url).secret,
      clientAddress: clientAddress(request.headers),
      now: new Date(),
      linkDays: linkDaysAfterEnd(env),
    });
    return { ok: true, record, db, token: token ?? "" };
  } catch (err) {
    const e = asApiError(err);
    return { ok: false, status: e.status, message: e.message };
  }
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}
