/**
 * "My returns": every RMA requested with the signed-in address, newest request first, grouped by request;
 * filtered by status (as the customer sees it: an authorised RMA past its ship-by date is expired) or
 * found by serial or RMA number; and one unit's history.
 *
 * A page is one query: the customer's requests are read newest first from one range of
 * `return_requests_email_created_idx` (lower(email), created_at, id) after the keyset cursor, at most
 * `REQUESTS_PER_PAGE` + 1 of them, then their RMAs through `rmas_request_idx`. Its cost follows the page,
 * not the number of the customer's RMAs (test/db/account-plan.test.ts reads SQLite's plan). A search
 * reads the RMA by its number (primary key) or the serial's RMAs (`rmas_serial_idx`), then checks the email.
 */
import { and, asc, desc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { failureCategories, rmaDiagnoses } from "../../../db/schema/insight.ts";
import { type EventRow, type RequestRow, type RmaRow, returnRequests, rmaEvents, rmas } from "../../../db/schema.ts";
import { effectiveStatus, shipByDate } from "../../domain/expiry.ts";
import {
  type CoverageBasis,
  combinedVerdict,
  type PastRepair,
  type RepairWarranty,
  repairWarrantyOf,
} from "../../domain/repair-warranty.ts";
import { parseRmaNumber } from "../../domain/rma-number.ts";
import { normalizeSerial } from "../../domain/serial.ts";
import { RMA_STATUSES, type RmaStatus } from "../../domain/status.ts";
import { warrantyVerdict } from "../../domain/warranty.ts";
import { DEFAULT_LOCALE, type Locale, translator } from "../../i18n/index.ts";
import { pastRepairsFrom } from "../insight/repair-warranty.ts";
import { insightSettingsFrom, insightSettingsStatement } from "../insight/settings.ts";
import { type NoteKey, noteParts } from "../rma/issuing/notes.ts";
import { REQUESTS_PER_PAGE, SEARCH_LIMIT } from "./limits.ts";

export interface AccountUnit {
  rmaNumber: string;
  serialNumber: string;
  model: string;
  /** As the customer sees it (an authorised RMA past its ship-by date is `expired`). */
  status: RmaStatus;
  /** The day the unit must reach us by (`YYYY-MM-DD`), while authorised. */
  shipBy: string | null;
  requestedAt: string;
  /** Authorised: the RMA form and label can be printed. */
  printable: boolean;
  /** Expired or closed: "Request again" opens the form with this unit. */
  canRequestAgain: boolean;
}

export interface AccountRequestGroup {
  requestId: string;
  createdAt: string;
  units: AccountUnit[];
}

export interface ReturnsQuery {
  status?: RmaStatus | undefined;
  /** A serial number or an RMA number. */
  q?: string | undefined;
  /** The keyset cursor of the page to show (from `next`), else the newest requests. */
  after?: string | undefined;
  pageSize?: number;
}

export interface ReturnsPage {
  groups: AccountRequestGroup[];
  /** The cursor of the next (older) page, or null on the last one. */
  next: string | null;
}

/** The list's filter as typed in the address bar: unknown values are dropped, not refused. */
export function readReturnsQuery(params: URLSearchParams): ReturnsQuery {
  const status = params.get("status") ?? "";
  const q = (params.get("q") ?? "").trim().slice(0, 60);
  const after = params.get("after") ?? "";
  return {
    status: (RMA_STATUSES as readonly string[]).includes(status) ? (status as RmaStatus) : undefined,
    q: q || undefined,
    after: readCursor(after) ? after : undefined,
  };
}

/** `createdAt~requestId`: the last request of a page. */
function readCursor(cursor: string | undefined): { createdAt: string; id: string } | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z)~([A-Za-z0-9_-]{1,64})$/.exec(cursor ?? "");
  return m ? { createdAt: m[1] as string, id: m[2] as string } : null;
}

const ownedBy = (email: string) => sql`lower(${returnRequests.email}) = ${email.trim().toLowerCase()}`;

/**
 * The status the customer sees, as SQL on `rmas`. The status is read through a unary `+`, which keeps
 * SQLite from choosing a status index: across every customer's RMAs that index is far larger than the
 * few units of one request (`rmas_request_idx`), or of one serial, that the filter is checked on.
 */
export function statusIs(status: RmaStatus, now: Date): SQL {
  const nowIso = now.toISOString();
  const current = sql`+${rmas.status}`;
  if (status === "expired")
    return sql`(${current} = 'expired' OR (${current} = 'authorized' AND ${rmas.validUntil} < ${nowIso}))`;
  if (status === "authorized")
    return sql`(${current} = 'authorized' AND (${rmas.validUntil} IS NULL OR ${rmas.validUntil} >= ${nowIso}))`;
  return sql`${current} = ${status}`;
}

export function toAccountUnit(
  rma: Pick<RmaRow, "rmaNumber" | "serialNumber" | "model" | "status" | "validUntil" | "requestedAt">,
  now: Date,
): AccountUnit {
  const status = effectiveStatus(rma, now);
  return {
    rmaNumber: rma.rmaNumber,
    serialNumber: rma.serialNumber,
    model: rma.model,
    status,
    shipBy: status === "authorized" && rma.validUntil ? shipByDate(rma.validUntil) : null,
    requestedAt: rma.requestedAt,
    printable: status === "authorized",
    canRequestAgain: status === "expired" || status === "closed",
  };
}

const unitColumns = {
  requestId: rmas.requestId,
  rmaNumber: rmas.rmaNumber,
  serialNumber: rmas.serialNumber,
  model: rmas.model,
  status: rmas.status,
  validUntil: rmas.validUntil,
  requestedAt: rmas.requestedAt,
};

/** The query of one page of the list (exported for its query plan). */
export function pageQuery(db: Db, email: string, query: ReturnsQuery, now: Date) {
  const size = query.pageSize ?? REQUESTS_PER_PAGE;
  const cursor = readCursor(query.after);
  const unitFilter = query.status ? statusIs(query.status, now) : undefined;
  const page = db.$with("page").as(
    db
      .select({ id: returnRequests.id, createdAt: sql<string>`${returnRequests.createdAt}`.as("page_created_at") })
      .from(returnRequests)
      .where(
        and(
          ownedBy(email),
          cursor ? sql`(${returnRequests.createdAt}, ${returnRequests.id}) < (${cursor.createdAt}, ${cursor.id})` : undefined,
          unitFilter
            ? sql`EXISTS (SELECT 1 FROM ${rmas} WHERE ${rmas.requestId} = ${returnRequests.id} AND ${unitFilter})`
            : undefined,
        ),
      )
      .orderBy(desc(returnRequests.createdAt), desc(returnRequests.id))
      .limit(size + 1),
  );
  return db
    .with(page)
    .select({ ...unitColumns, createdAt: page.createdAt })
    .from(page)
    .innerJoin(rmas, eq(rmas.requestId, page.id))
    .where(unitFilter)
    .orderBy(desc(page.createdAt), desc(page.id), asc(rmas.rmaNumber));
}

/** The query of a search by serial or RMA number (exported for its query plan). */
export function searchQuery(db: Db, email: string, q: string, status: RmaStatus | undefined, now: Date) {
  const parsed = parseRmaNumber(q);
  const rmaNumber = parsed.ok ? parsed.rmaNumber : q.trim().toUpperCase();
  return db
    .select({ ...unitColumns, createdAt: returnRequests.createdAt })
    .from(rmas)
    .innerJoin(returnRequests, eq(returnRequests.id, rmas.requestId))
    .where(
      and(
        or(eq(rmas.rmaNumber, rmaNumber), eq(rmas.serialNumber, normalizeSerial(q))),
        ownedBy(email),
        status ? statusIs(status, now) : undefined,
      ),
    )
    .orderBy(desc(returnRequests.createdAt), desc(returnRequests.id), asc(rmas.rmaNumber))
    .limit(SEARCH_LIMIT);
}

type UnitRow = { requestId: string; createdAt: string } & Parameters<typeof toAccountUnit>[0];

function grouped(rows: UnitRow[], now: Date): AccountRequestGroup[] {
  const groups: AccountRequestGroup[] = [];
  for (const row of rows) {
    let group = groups[groups.length - 1];
    if (!group || group.requestId !== row.requestId) {
      group = { requestId: row.requestId, createdAt: row.createdAt, units: [] };
      groups.push(group);
    }
    group.units.push(toAccountUnit(row, now));
  }
  return groups;
}

/** One page of the signed-in customer's RMAs (one round trip). */
export async function listReturns(db: Db, email: string, query: ReturnsQuery, now: Date): Promise<ReturnsPage> {
  if (query.q) return { groups: grouped(await searchQuery(db, email, query.q, query.status, now), now), next: null };
  const size = query.pageSize ?? REQUESTS_PER_PAGE;
  const groups = grouped(await pageQuery(db, email, query, now), now);
  if (groups.length <= size) return { groups, next: null };
  const shown = groups.slice(0, size);
  const last = shown[shown.length - 1] as AccountRequestGroup;
  return { groups: shown, next: `${last.createdAt}~${last.requestId}` };
}

/** One RMA of the signed-in customer by number, or null when it is not theirs (or does not exist). */
export async function accountRma(db: Db, email: string, rmaNumber: string, now: Date): Promise<AccountUnit | null> {
  const parsed = parseRmaNumber(rmaNumber);
  if (!parsed.ok) return null;
  const [row] = await db
    .select(unitColumns)
    .from(rmas)
    .innerJoin(returnRequests, eq(returnRequests.id, rmas.requestId))
    .where(and(eq(rmas.rmaNumber, parsed.rmaNumber), ownedBy(email)))
    .limit(1);
  return row ? toAccountUnit(row, now) : null;
}

/** One request of the signed-in customer by id, with its units, or null when it is not theirs. */
export async function accountRequest(db: Db, email: string, requestId: string, now: Date): Promise<AccountRequestGroup | null> {
  const rows = await db
    .select({ ...unitColumns, createdAt: returnRequests.createdAt })
    .from(returnRequests)
    .innerJoin(rmas, eq(rmas.requestId, returnRequests.id))
    .where(and(eq(returnRequests.id, requestId), ownedBy(email)))
    .orderBy(asc(rmas.rmaNumber));
  return grouped(rows, now)[0] ?? null;
}

// ---------------------------------------------------------------------------------------------------
// One unit's history

export interface UnitRma extends AccountUnit {
  /** What our technicians found, in the words the customer was sent (null when not diagnosed yet). */
  failureFound: string | null;
  /** Whether the diagnosis confirmed the warranty (null before diagnosis). */
  warrantyConfirmed: boolean | null;
  /** The repair done, as staff noted it when it finished (null when none was noted). */
  repairDone: string | null;
  repaired: boolean;
  /**
   * The warranty on the repair this RMA made (issue 17's rule: a unit repaired or replaced and shipped back is
   * covered for the setting's months from shipment), running or ended; null when it gave none.
   */
  repairWarranty: { until: string; active: boolean } | null;
}

export interface UnitHistory {
  serialNumber: string;
  model: string;
  purchaseDate: string;
  /** The manufacturer's warranty: 24 months from purchase. */
  warrantyUntil: string;
  warrantyActive: boolean;
  /** The repair warranty running longest today, of this customer's RMAs of the unit, if any. */
  repairWarranty: RepairWarranty | null;
  /**
   * Which warranty covers the unit today (`combinedVerdict`): the original one, only a repair warranty
   * (`repairWarranty` then names the RMA and its last day), or none.
   */
  coveredBy: CoverageBasis;
  /** Newest first. */
  rmas: UnitRma[];
}

/**
 * Failure found and repair done, from the RMA and its events, in `locale` (the words the customer's timeline
 * shows): the diagnosis's and the repair's notes without their first sentence ("Warranty confirmed at
 * diagnosis", "Repair finished", which the page says otherwise), the system's other sentences (the failure,
 * no fault found, the firmware shipped) in the reader's words, and the staff member's own note as written.
 */
export function workshopNotes(
  rma: RmaRow,
  events: EventRow[],
  locale: Locale = DEFAULT_LOCALE,
): Pick<UnitRma, "failureFound" | "warrantyConfirmed" | "repairDone" | "repaired"> {
  const refused = events.find((e) => e.kind === "warranty-refused");
  const confirmed = events.find((e) => e.kind === "status" && e.fromStatus === "received" && e.toStatus === "repairing");
  const finished = events.find((e) => e.kind === "status" && e.toStatus === "returning");
  const tr = translator(locale);
  const said = (note: string | null | undefined, first: NoteKey) => {
    const { system, rest } = noteParts(note ?? "", (day) => tr.date(`${day}T00:00:00Z`));
    const words = system
      .filter(([key]) => key !== first)
      .map(([key, params]) => tr.t(`emails.timeline.${key}`, params))
      .concat(rest === "" ? [] : [rest]);
    return words.length > 0 ? words.join(" ") : null;
  };
  return {
    failureFound: rma.warrantyRefusedReason ?? (refused ? refused.note : null) ?? said(confirmed?.note, "diagnosed"),
    warrantyConfirmed: rma.warrantyRefusedReason || refused ? false : confirmed ? true : null,
    repairDone: said(finished?.note, "repaired"),
    repaired: finished !== undefined,
  };
}

/** The query of a unit's RMAs for one customer (exported for its query plan). */
export function unitRmasQuery(db: Db, email: string, serialNumber: string) {
  return db
    .select({ rma: rmas })
    .from(rmas)
    .innerJoin(returnRequests, eq(returnRequests.id, rmas.requestId))
    .where(and(eq(rmas.serialNumber, serialNumber), ownedBy(email)))
    .orderBy(desc(rmas.requestedAt), desc(rmas.rmaNumber));
}

/** The numbers of a unit's RMAs for one customer, as a subquery. */
function unitRmaNumbers(db: Db, email: string, serialNumber: string) {
  return db
    .select({ n: rmas.rmaNumber })
    .from(rmas)
    .innerJoin(returnRequests, eq(returnRequests.id, rmas.requestId))
    .where(and(eq(rmas.serialNumber, serialNumber), ownedBy(email)));
}

/** The diagnosis outcomes of a unit's RMAs for one customer (exported for its query plan). */
export function unitOutcomesQuery(db: Db, email: string, serialNumber: string) {
  return db
    .select({ rmaNumber: rmaDiagnoses.rmaNumber, outcome: failureCategories.outcome })
    .from(rmaDiagnoses)
    .innerJoin(failureCategories, eq(failureCategories.code, rmaDiagnoses.categoryCode))
    .where(inArray(rmaDiagnoses.rmaNumber, unitRmaNumbers(db, email, serialNumber)));
}

/**
 * Every RMA of one serial number that this customer requested, with what was found and done, the warranty
 * left and any repair warranty left; null when they never returned it (another customer's unit is "not
 * found" alike). One round trip: the RMAs, their events, their diagnoses' outcomes (a unit sent back with no
 * fault found was not repaired) and the repair warranty's months, in one batch. Only this customer's RMAs
 * count toward the repair warranty shown: an earlier owner's RMA of the unit is not theirs to see.
 */
export async function unitHistory(
  db: Db,
  email: string,
  serialInput: string,
  now: Date,
  locale: Locale = DEFAULT_LOCALE,
): Promise<UnitHistory | null> {
  const serialNumber = normalizeSerial(serialInput);
  const [rows, events, outcomes, settingRows] = await db.batch([
    unitRmasQuery(db, email, serialNumber),
    db
      .select()
      .from(rmaEvents)
      .where(inArray(rmaEvents.rmaNumber, unitRmaNumbers(db, email, serialNumber)))
      .orderBy(asc(rmaEvents.at), asc(rmaEvents.id)),
    unitOutcomesQuery(db, email, serialNumber),
    insightSettingsStatement(db),
  ]);
  if (rows.length === 0) return null;
  const months = insightSettingsFrom(settingRows).repairWarrantyMonths;
  const today = now.toISOString().slice(0, 10);
  const repairs = pastRepairsFrom(
    rows.map(({ rma }) => ({
      rmaNumber: rma.rmaNumber,
      shippedAt: rma.shippedAt,
      repairingAt: rma.repairingAt,
      outcome: outcomes.find((o) => o.rmaNumber === rma.rmaNumber)?.outcome ?? null,
    })),
  );
  const list: UnitRma[] = rows.map(({ rma }, i) => {
    const given = repairWarrantyOf(repairs[i] as PastRepair, months);
    return {
      ...toAccountUnit(rma, now),
      ...workshopNotes(
        rma,
        events.filter((e) => e.rmaNumber === rma.rmaNumber),
        locale,
      ),
      repairWarranty: given ? { until: given.until, active: given.until >= today } : null,
    };
  });
  const latest = (rows[0] as { rma: RmaRow }).rma;
  // The manufacturer's warranty from the purchase date (the RMA's stored verdict may be a repair warranty's).
  const original = warrantyVerdict(latest.purchaseDate, today);
  const verdict = combinedVerdict(original, repairs, today, months);
  const running = repairs
    .map((r) => repairWarrantyOf(r, months))
    .filter((w): w is RepairWarranty => w !== null && w.until >= today)
    .sort((a, b) => (a.until < b.until ? 1 : a.until > b.until ? -1 : 0));
  return {
    serialNumber,
    model: latest.model,
    purchaseDate: latest.purchaseDate,
    warrantyUntil: original.until,
    warrantyActive: original.covered,
    repairWarranty: verdict.repair ?? running[0] ?? null,
    coveredBy: verdict.basis,
    rmas: list,
  };
}

// ---------------------------------------------------------------------------------------------------
// Pre-filling the request form

export interface PrefillValues {
  contact: { name: string; company: string; email: string; phone: string; country: string };
  returnAddress: { street: string; postalCode: string; city: string; country: string };
  /** "Request again": the unit of an expired or closed RMA of this customer. */
  units: { model: string; serialNumber: string; purchaseDate: string; invoiceNumber: string; issueDescription: string }[];
}

function contactOf(req: RequestRow): Pick<PrefillValues, "contact" | "returnAddress"> {
  return {
    contact: { name: req.contactName, company: req.company ?? "", email: req.email, phone: req.phone, country: req.country },
    returnAddress: {
      street: req.returnStreet,
      postalCode: req.returnPostalCode,
      city: req.returnCity,
      country: req.returnCountry,
    },
  };
}

/** The customer's latest request (exported for its query plan). */
export function latestRequestQuery(db: Db, email: string) {
  return db
    .select()
    .from(returnRequests)
    .where(ownedBy(email))
    .orderBy(desc(returnRequests.createdAt), desc(returnRequests.id))
    .limit(1);
}

/**
 * The request form's initial values for a signed-in customer: contact and return address from their
 * last request; with `unit` (an RMA number of theirs that is expired or closed), that unit too. Null
 * when they have no request. One round trip.
 */
export async function prefillFor(
  db: Db,
  email: string,
  opts: { unit?: string | null; now: Date },
): Promise<PrefillValues | null> {
  const parsed = opts.unit ? parseRmaNumber(opts.unit) : null;
  const [latest, again] = await db.batch([
    latestRequestQuery(db, email),
    db
      .select({ rma: rmas })
      .from(rmas)
      .innerJoin(returnRequests, eq(returnRequests.id, rmas.requestId))
      .where(and(eq(rmas.rmaNumber, parsed?.ok ? parsed.rmaNumber : ""), ownedBy(email)))
      .limit(1),
  ]);
  const req = latest[0];
  if (!req) return null;
  const unit = again[0]?.rma;
  const usable = unit && toAccountUnit(unit, opts.now).canRequestAgain;
  return {
    ...contactOf(req),
    units: usable
      ? [
          {
            model: unit.model,
            serialNumber: unit.serialNumber,
            purchaseDate: unit.purchaseDate,
            invoiceNumber: unit.invoiceNumber ?? "",
            issueDescription: unit.issueDescription,
          },
        ]
      : [],
  };
}
