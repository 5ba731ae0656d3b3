/**
 * A parcel arrives: staff type the RMA number written on it, or the unit's serial number, and see
 * every RMA it could be, with its effective status and what to do with the parcel.
 */
import { desc, eq, or } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { products, returnRequests, rmas } from "../../../db/schema.ts";
import { effectiveStatus, shipByDate } from "../../domain/expiry.ts";
import { parseRmaNumber, RMA_NUMBER_MESSAGES } from "../../domain/rma-number.ts";
import { normalizeSerial } from "../../domain/serial.ts";
import type { RmaStatus } from "../../domain/status.ts";

export interface LookupMatch {
  rmaNumber: string;
  status: RmaStatus;
  serialNumber: string;
  model: string;
  company: string | null;
  contactName: string;
  requestedAt: string;
  validUntil: string | null;
  /** What to do with a parcel under this RMA. */
  advice: string;
}

export interface LookupResult {
  query: string;
  matches: LookupMatch[];
  registry: { serialNumber: string; model: string; purchaseDate: string } | null;
  /** Set when the text looks like an RMA number but cannot be one (e.g. a wrong check letter). */
  problem: string | null;
}

export function parcelAdvice(status: RmaStatus, validUntil: string | null): string {
  switch (status) {
    case "authorized":
      return `Authorised${validUntil ? ` until ${shipByDate(validUntil)}` : ""}: record the receipt on its page.`;
    case "expired":
      return "Expired: not received within 30 days of authorisation. Do not accept the parcel under this number: the customer needs a new RMA.";
    case "requested":
      return "Not authorised yet: authorise it first, or contact the customer.";
    case "rejected":
    case "cancelled":
      return `This RMA is ${status}: the parcel was not expected. Contact the customer.`;
    default:
      return `Already ${status}: this parcel is not the one expected for this RMA.`;
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
  const problem = matches.length === 0 && looksLikeNumber && !number.ok ? RMA_NUMBER_MESSAGES[number.reason] : null;
  return {
    query: text,
    matches,
    registry: product ? { serialNumber: product.serialNumber, model: product.model, purchaseDate: product.purchaseDate } : null,
    problem,
  };
}
