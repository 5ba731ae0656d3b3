/**
 * A parcel arrives: staff type the RMA number written on it, or the unit's serial number, and see
 * every RMA it could be, with its effective status and what to do with the parcel.
 */
import { desc, eq, or } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { products, returnRequests, rmas } from "../../../db/schema.ts";
import { effectiveStatus, shipByDate } from "../../domain/expiry.ts";
import { parseRmaNumber, RMA_NUMBER_TEXTS } from "../../domain/rma-number.ts";
import { normalizeSerial } from "../../domain/serial.ts";
import { statusWords } from "../../domain/staff-actions.ts";
import type { RmaStatus } from "../../domain/status.ts";
import { type Text, text as words } from "../../i18n/text.ts";

export interface LookupMatch {
  rmaNumber: string;
  status: RmaStatus;
  serialNumber: string;
  model: string;
  company: string | null;
  contactName: string;
  requestedAt: string;
  validUntil: string | null;
  /** What to do with a parcel under this RMA (said in the reader's language: `say(locale, advice)`). */
  advice: Text;
}

export interface LookupResult {
  query: string;
  matches: LookupMatch[];
  registry: { serialNumber: string; model: string; purchaseDate: string } | null;
  /** Set when the text looks like an RMA number but cannot be one (e.g. a wrong check letter). */
  problem: Text | null;
}

export function parcelAdvice(status: RmaStatus, validUntil: string | null): Text {
  switch (status) {
    case "authorized":
      return validUntil
        ? words("desk.lookup.advice.authorizedUntil", { date: shipByDate(validUntil) })
        : words("desk.lookup.advice.authorized");
    case "expired":
      return words("desk.lookup.advice.expired");
    case "requested":
      return words("desk.lookup.advice.requested");
    case "rejected":
    case "cancelled":
      return words("desk.lookup.advice.unexpected", { status: statusWords(status) });
    default:
      return words("desk.lookup.advice.already", { status: statusWords(status) });
  }
}

export async function lookupParcel(db: Db, query: string, now: Date): Promise<LookupResult> {
  const text = query.trim().slice(0, 100);
  const number = parseRmaNumber(text);
  const serial = normalizeSerial(text);
  const [rows, [product]] = await db.batch([
    db
      .select({
        rmaNumber: rmas.rmaNumber,
        status: rmas.status,
        validUntil: rmas.validUntil,
        serialNumber: rmas.serialNumber,
        model: rmas.model,
        requestedAt: rmas.requestedAt,
        company: returnRequests.company,
        contactName: returnRequests.contactName,
      })
      .from(rmas)
      .innerJoin(returnRequests, eq(returnRequests.id, rmas.requestId))
      .where(or(eq(rmas.rmaNumber, number.ok ? number.rmaNumber : text.toUpperCase()), eq(rmas.serialNumber, serial)))
      .orderBy(desc(rmas.requestedAt))
      .limit(50),
    db.select().from(products).where(eq(products.serialNumber, serial)).limit(1),
  ]);
  const matches = rows.map((r) => {
    const status = effectiveStatus(r, now);
    return { ...r, status, advice: parcelAdvice(status, r.validUntil) };
  });
  const looksLikeNumber = /^\s*rma/i.test(text);
  const problem = matches.length === 0 && looksLikeNumber && !number.ok ? RMA_NUMBER_TEXTS[number.reason] : null;
  return {
    query: text,
    matches,
    registry: product ? { serialNumber: product.serialNumber, model: product.model, purchaseDate: product.purchaseDate } : null,
    problem,
  };
}
