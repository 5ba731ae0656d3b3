/**
 * How a customer reaches an RMA: with its number and the email used on the request (the status form),
 * or with the signed link from an email. Lookups and failed tokens are rate-limited per client
 * address; the limit's counter rides in the same batch as the read, so a lookup is one round trip.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { rmaFiles } from "../../../db/schema/files.ts";
import { type RequestRow, type RmaRow, returnRequests, rmas } from "../../../db/schema.ts";
import { countStatement, type LimitRule, limitKeys, verdictOf } from "../../auth/rate-limit.ts";
import { readToken } from "../../auth/tokens.ts";
import type { RepairWarranty } from "../../domain/repair-warranty.ts";
import { parseRmaNumber, RMA_NUMBER_TEXTS } from "../../domain/rma-number.ts";
import { OPEN_STATUSES } from "../../domain/status.ts";
import type { AppEnv } from "../../env.ts";
import { Refusal } from "../../errors.ts";
import { DEFAULT_LOCALE } from "../../i18n/index.ts";
import { encodeText, say, type Text, text } from "../../i18n/text.ts";
import { pastRepairsOfRequestStatement, repairsOfIssuedFrom } from "../insight/repair-warranty.ts";
import { insightSettingsStatement } from "../insight/settings.ts";
import { loadRma, type RmaRecord, recordFrom, rmaReadStatements, sameEmail } from "./view.ts";

export const LOOKUP_LIMIT = { limit: 30, windowSeconds: 15 * 60 } as const;
export const FAILED_TOKEN_LIMIT = { limit: 20, windowSeconds: 15 * 60 } as const;

export const NOT_FOUND_TEXT: Text = text("errors.access.notFound");
/** @deprecated English only: use `NOT_FOUND_TEXT`. */
export const NOT_FOUND_MESSAGE = say(DEFAULT_LOCALE, NOT_FOUND_TEXT);

function tooMany(retryAfterSeconds: number): Refusal {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const err = new Refusal("too_many_requests", text("errors.access.tooMany", { count: minutes }));
  err.retryAfterSeconds = retryAfterSeconds;
  return err;
}

/** Reads the typed RMA number, refusing a malformed one or a wrong check letter before any lookup. */
export function readRmaNumber(input: string): string {
  const parsed = parseRmaNumber(input);
  if (!parsed.ok) {
    throw new Refusal(
      parsed.reason === "check" ? "rma_number_mistyped" : "rma_number_malformed",
      RMA_NUMBER_TEXTS[parsed.reason],
      { rmaNumber: encodeText(RMA_NUMBER_TEXTS[parsed.reason]) },
    );
  }
  return parsed.rmaNumber;
}

/** RMA number + email: the RMA, or the same 404 whether the number is unknown or the email wrong. */
export async function lookupRma(
  db: Db,
  input: { rmaNumber: string; email: string; clientAddress: string; now: Date },
): Promise<RmaRecord> {
  const rmaNumber = readRmaNumber(input.rmaNumber);
  const rule: LimitRule = { ...LOOKUP_LIMIT, now: input.now };
  const [counted, ...read] = await db.batch([
    countStatement(db, limitKeys.lookupIp(input.clientAddress), rule),
    ...rmaReadStatements(db, rmaNumber),
  ]);
  const verdict = verdictOf(counted, rule);
  if (!verdict.allowed) throw tooMany(verdict.retryAfterSeconds);
  const record = recordFrom(read as unknown as Parameters<typeof recordFrom>[0]);
  if (!record || !sameEmail(record.request.email, input.email)) {
    throw new Refusal("not_found", NOT_FOUND_TEXT, { rmaNumber: encodeText(NOT_FOUND_TEXT) });
  }
  return record;
}

/** Days a signed link keeps working after its RMA ends (or after it was made, if later): 90 by default. */
export const LINK_DAYS_AFTER_END = 90;

export function linkDaysAfterEnd(env: Pick<AppEnv, "LINK_DAYS_AFTER_END">): number {
  const n = Number(env.LINK_DAYS_AFTER_END);
  return env.LINK_DAYS_AFTER_END && Number.isInteger(n) && n >= 0 ? n : LINK_DAYS_AFTER_END;
}

export function linkExpiredMessage(days: number): Text {
  return text("errors.access.linkExpired", { days });
}

/** When an RMA ended (closed, rejected, cancelled, expired), or null while it is open. */
export function endedAt(rma: RmaRow): string | null {
  if ((OPEN_STATUSES as readonly string[]).includes(rma.status)) return null;
  return rma.closedAt ?? rma.rejectedAt ?? rma.cancelledAt ?? rma.expiredAt ?? rma.updatedAt;
}

/**
 * Whether a valid link to these RMAs has aged out: every one of them ended, and both that end and the
 * day the link was made are more than `days` days ago (a fresh link from the status page works again).
 */
export function linkAgedOut(units: RmaRow[], issuedAt: Date | null, now: Date, days: number): boolean {
  const ends = units.map(endedAt);
  if (ends.length === 0 || ends.some((e) => e === null)) return false;
  const lastEnd = Math.max(...ends.map((e) => Date.parse(e ?? "")), issuedAt?.getTime() ?? 0);
  return now.getTime() > lastEnd + days * 86_400_000;
}

/** A failed signed link counts against the client address's limit: past it, 429 instead of `refusal`. */
export async function refuseLink(db: Db, clientAddress: string, now: Date, refusal: Refusal): Promise<never> {
  const rule: LimitRule = { ...FAILED_TOKEN_LIMIT, now };
  const verdict = verdictOf(await countStatement(db, limitKeys.tokenIp(clientAddress), rule), rule);
  if (!verdict.allowed) throw tooMany(verdict.retryAfterSeconds);
  throw refusal;
}

/** The signed link: verified without the database; only a failed token is counted against the limit. */
export async function openWithToken(
  db: Db,
  input: {
    rmaNumber: string;
    token: string | null | undefined;
    secret: string;
    clientAddress: string;
    now: Date;
    /** Days the link works after the RMA ends (LINK_DAYS_AFTER_END; 90 by default). */
    linkDays?: number;
    /** Read the RMA's messages and files in the same round trip (the RMA page's history). */
    thread?: boolean;
  },
): Promise<RmaRecord> {
  const parsed = parseRmaNumber(input.rmaNumber);
  const check =
    parsed.ok && parsed.rmaNumber === input.rmaNumber
      ? await readToken(input.secret, "rma", input.rmaNumber, input.token)
      : { valid: false, issuedAt: null };
  const valid = check.valid;
  if (!valid) {
    await refuseLink(db, input.clientAddress, input.now, new Refusal("invalid_link", text("errors.access.linkInvalid")));
  }
  const record = await loadRma(db, input.rmaNumber, { thread: input.thread ?? false });
  if (!record) throw new Refusal("not_found", NOT_FOUND_TEXT);
  const days = input.linkDays ?? LINK_DAYS_AFTER_END;
  if (linkAgedOut([record.rma], check.issuedAt, input.now, days)) throw new Refusal("link_expired", linkExpiredMessage(days));
  return record;
}

/**
 * The request's confirmation link (`/rma/requests/{id}?t=…`): the request and its RMAs in one batch,
 * or 404 for a link that is not valid (counted against the failed-link limit like an RMA link).
 */
/** A file sent with a request, as its confirmation page lists it. */
export interface RequestFile {
  rmaNumber: string;
  name: string;
  size: number;
}

export async function openRequest(
  db: Db,
  input: {
    requestId: string;
    token: string | null | undefined;
    secret: string;
    clientAddress: string;
    now: Date;
    linkDays?: number;
  },
): Promise<{ request: RequestRow; rmas: RmaRow[]; files: RequestFile[]; repairs: Map<string, RepairWarranty> }> {
  const { requestId } = input;
  const notValid = new Refusal("not_found", text("errors.access.requestLinkInvalid"));
  const check = /^[0-9a-f-]{36}$/.test(requestId)
    ? await readToken(input.secret, "request", requestId, input.token)
    : { valid: false, issuedAt: null };
  const valid = check.valid;
  if (!valid) await refuseLink(db, input.clientAddress, input.now, notValid);
  const [requests, units, files, repairRows, settingRows] = await db.batch([
    db.select().from(returnRequests).where(eq(returnRequests.id, requestId)).limit(1),
    db.select().from(rmas).where(eq(rmas.requestId, requestId)).orderBy(asc(sql`rowid`)),
    // The files sent with the request, by each RMA's index (rma_files has none on request_id).
    db
      .select({ rmaNumber: rmaFiles.rmaNumber, name: rmaFiles.name, size: rmaFiles.size })
      .from(rmaFiles)
      .where(
        and(
          inArray(rmaFiles.rmaNumber, db.select({ n: rmas.rmaNumber }).from(rmas).where(eq(rmas.requestId, requestId))),
          eq(rmaFiles.requestId, requestId),
        ),
      )
      .orderBy(asc(sql`rowid`)),
    // What names the repair whose warranty alone covered a unit (`repairOfIssued`).
    pastRepairsOfRequestStatement(db, requestId),
    insightSettingsStatement(db),
  ]);
  const [request] = requests;
  if (!request) throw notValid;
  const days = input.linkDays ?? LINK_DAYS_AFTER_END;
  if (linkAgedOut(units, check.issuedAt, input.now, days)) throw new Refusal("link_expired", linkExpiredMessage(days));
  return { request, rmas: units, files, repairs: repairsOfIssuedFrom(units, repairRows, settingRows) };
}
