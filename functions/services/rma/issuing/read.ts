/**
 * Issuing, step 1 — read: what the write depends on, in one round trip (the registry's rows for the
 * request's serials, their open RMAs, the known models, whether the idempotency key was used, the
 * auto-authorise setting, the serials' past repairs and the repair warranty's months), and the earlier
 * answer when a request repeats its idempotency key.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client.ts";
import { products, returnRequests, rmas } from "../../../../db/schema.ts";
import { isLapsed } from "../../../domain/expiry.ts";
import { OPEN_STATUSES } from "../../../domain/status.ts";
import type { OpenRma, RegistryRecord } from "../../../domain/unit-checks.ts";
import type { WarrantyVerdict } from "../../../domain/warranty.ts";
import { Refusal } from "../../../errors.ts";
import { encodeText, text } from "../../../i18n/text.ts";
import {
  pastRepairsOfRequestStatement,
  pastRepairsStatement,
  type RepairContext,
  repairContextFrom,
  repairsOfIssuedFrom,
} from "../../insight/repair-warranty.ts";
import { insightSettingsStatement } from "../../insight/settings.ts";
import { registryModelsStatement } from "../../registry/models.ts";
import { autoAuthorizeStatement, isOn } from "../../staff/settings.ts";
import type { LapsedRma } from "../expiry.ts";

export interface IssuedRma {
  rmaNumber: string;
  serialNumber: string;
  model: string;
  /** `requested`, or `authorized` when staff turned automatic authorisation on and the unit qualifies. */
  status: "requested" | "authorized";
  warranty: WarrantyVerdict;
}

export interface IssueResult {
  requestId: string;
  rmas: IssuedRma[];
  /** True when an earlier request with the same idempotency key answered. */
  replayed: boolean;
  /** Outbox rows written, to be sent after the response. */
  emailIds: string[];
}

/** What the database says about a request's serial numbers, for `checkUnits` and the write. */
export interface IssueContext {
  registry: Map<string, RegistryRecord>;
  openRmas: Map<string, OpenRma>;
  /** Open RMAs of these serials past their 30 days: expired in the same write. */
  lapsed: LapsedRma[];
  knownModels: Set<string>;
  keyUsed: boolean;
  autoAuthorize: boolean;
  /** The serials' past repairs and the repair warranty's months: a unit may be covered by a repair's warranty. */
  repairs: RepairContext;
}

/**
 * The read batch of a request: registry rows, open RMAs, known models, whether the idempotency key was
 * used, the auto-authorise setting, the serials' past (shipped) RMAs and the repair warranty's months.
 */
export function readContextStatements(db: Db, serials: string[], idempotencyKey: string | undefined) {
  return [
    db.select().from(products).where(inArray(products.serialNumber, serials)),
    db
      .select({
        rmaNumber: rmas.rmaNumber,
        serialNumber: rmas.serialNumber,
        model: rmas.model,
        status: rmas.status,
        validUntil: rmas.validUntil,
        name: returnRequests.contactName,
        email: returnRequests.email,
        locale: returnRequests.locale,
      })
      .from(rmas)
      .innerJoin(returnRequests, eq(returnRequests.id, rmas.requestId))
      // `+status` keeps SQLite from choosing an index by status for a request of ~8 or more units (its
      // estimate without statistics): that walks every open RMA, growing with the table, instead of
      // looking the request's few serials up in rmas_serial_idx.
      .where(and(inArray(rmas.serialNumber, serials), inArray(sql`+${rmas.status}`, [...OPEN_STATUSES]))),
    registryModelsStatement(db),
    db
      .select({ id: returnRequests.id })
      .from(returnRequests)
      .where(eq(returnRequests.idempotencyKey, idempotencyKey ?? "\u0000none"))
      .limit(1),
    autoAuthorizeStatement(db),
    pastRepairsStatement(db, serials),
    insightSettingsStatement(db),
  ] as const;
}

/** What the registry and the open RMAs say about the request's serial numbers: one round trip. */
export async function readContext(
  db: Db,
  serials: string[],
  idempotencyKey: string | undefined,
  now: Date,
): Promise<IssueContext> {
  const [registryRows, openRows, models, existing, autoAuthorize, repairRows, insightSettings] = await db.batch(
    readContextStatements(db, serials, idempotencyKey),
  );
  const registry = new Map<string, RegistryRecord>(registryRows.map((r) => [r.serialNumber, r]));
  // An authorised RMA past its 30 days is expired even before the scheduled job records it.
  const lapsed = openRows.filter((r) => isLapsed(r, now));
  const openRmas = new Map(
    openRows.filter((r) => !lapsed.includes(r)).map((r) => [r.serialNumber, { rmaNumber: r.rmaNumber, email: r.email }]),
  );
  return {
    registry,
    openRmas,
    lapsed: lapsed.map(
      ({ rmaNumber, model, serialNumber, name, email, locale }): LapsedRma => ({
        rmaNumber,
        model,
        serialNumber,
        name,
        email,
        locale,
      }),
    ),
    knownModels: new Set(models.map((m) => m.model)),
    keyUsed: existing.length > 0,
    autoAuthorize: isOn(autoAuthorize),
    repairs: repairContextFrom(repairRows, insightSettings),
  };
}

/** The first answer to a request that repeats an idempotency key; refused when the body differs. */
export async function replay(db: Db, key: string, hash: string): Promise<IssueResult | null> {
  const [request] = await db.select().from(returnRequests).where(eq(returnRequests.idempotencyKey, key)).limit(1);
  if (!request) return null;
  if (request.bodyHash !== hash) {
    throw new Refusal("idempotency_key_reused", text("errors.request.idempotencyKeyReused"), {
      "Idempotency-Key": encodeText(text("errors.request.idempotencyKeyReusedField")),
    });
  }
  // The request's RMAs, and their serials' past repairs: a verdict that named a repair's RMA names it again.
  const [rows, repairRows, settingRows] = await db.batch([
    db.select().from(rmas).where(eq(rmas.requestId, request.id)).orderBy(sql`rowid`),
    pastRepairsOfRequestStatement(db, request.id),
    insightSettingsStatement(db),
  ]);
  const repairs = repairsOfIssuedFrom(rows, repairRows, settingRows);
  return {
    requestId: request.id,
    rmas: rows.map((r) => ({
      rmaNumber: r.rmaNumber,
      serialNumber: r.serialNumber,
      model: r.model,
      // The answer as first given: authorised then only if it was authorised as it was requested.
      status: r.authorizedAt !== null && r.authorizedAt === r.requestedAt ? "authorized" : "requested",
      warranty: withRepair({ covered: r.warrantyCovered, until: r.warrantyUntil }, repairs.get(r.rmaNumber)),
    })),
    replayed: true,
    emailIds: [],
  };
}

const withRepair = (verdict: WarrantyVerdict, repair: WarrantyVerdict["repair"]): WarrantyVerdict =>
  repair ? { ...verdict, repair } : verdict;
