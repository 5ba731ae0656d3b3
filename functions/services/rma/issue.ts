/**
 * Issuing RMAs for a customer's request: ONE atomic write batch with the request, an RMA per unit,
 * their first events and the outbox emails. Either all of it is stored or none of it.
 *
 * What the write depends on (each unit's model and purchase date in the registry, open RMAs, the
 * idempotency key, the auto-authorise setting) is either read first (the full path: a read batch, then
 * the write, two round trips) or, when the request states every unit's purchase date (the form fills it
 * in from the live serial check), taken as stated and verified INSIDE the write batch (one round trip):
 * a guard statement fails the batch if the registry says otherwise, and the database's unique indexes
 * refuse a second open RMA for a serial or a reused key. A batch refused that way rolls back whole and
 * the request takes the full path, which answers exactly as if the shortcut had not been tried.
 */
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { outbox, products, returnRequests, rmaEvents, rmas, settings } from "../../../db/schema.ts";
import { dateOf } from "../../domain/dates.ts";
import { isLapsed, shipByDate, validUntilFrom } from "../../domain/expiry.ts";
import type { RmaRequestInput } from "../../domain/request-input.ts";
import { newRmaNumber } from "../../domain/rma-number.ts";
import { normalizeSerial } from "../../domain/serial.ts";
import { OPEN_STATUSES } from "../../domain/status.ts";
import { type CheckedUnit, checkUnits, type RegistryRecord } from "../../domain/unit-checks.ts";
import type { WarrantyVerdict } from "../../domain/warranty.ts";
import { insertEmails, type OutgoingEmail } from "../../email/outbox.ts";
import { authorizationEmail } from "../../email/staff-action-templates.ts";
import { requestReceipt, staffNewRequest } from "../../email/templates.ts";
import { type AppEnv, staffAddress } from "../../env.ts";
import { matchError, Refusal } from "../../errors.ts";
import { adminRmaUrl, type LinkContext, printUrl, rmaUrl } from "../../links.ts";
import { registryModelsStatement } from "../registry/models.ts";
import { AUTO_AUTHORIZE_KEY, autoAuthorizeStatement, isOn } from "../staff/settings.ts";
import { batchGuardFailed, failBatchUnless } from "./batch-guard.ts";
import { changeStatements } from "./change.ts";
import { expiryMove, type LapsedRma } from "./expiry.ts";

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

export interface IssueOptions {
  links: LinkContext;
  idempotencyKey?: string | undefined;
  locale?: string;
  now?: Date;
}

const MAX_NUMBER_ATTEMPTS = 4;

/** A stable hash of the validated request, so a reused idempotency key with another body is caught. */
async function bodyHash(input: RmaRequestInput): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(input)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const constraintOf = (err: unknown): string | null => matchError(err, /UNIQUE constraint failed: ([\w.]+)/)?.[1] ?? null;

async function replay(db: Db, key: string, hash: string): Promise<IssueResult | null> {
  const [request] = await db.select().from(returnRequests).where(eq(returnRequests.idempotencyKey, key)).limit(1);
  if (!request) return null;
  if (request.bodyHash !== hash) {
    throw new Refusal(
      "idempotency_key_reused",
      "This Idempotency-Key was already used for a different request. Use a new key for a new request.",
      { "Idempotency-Key": "Already used with a different body." },
    );
  }
  const rows = await db.select().from(rmas).where(eq(rmas.requestId, request.id)).orderBy(sql`rowid`);
  return {
    requestId: request.id,
    rmas: rows.map((r) => ({
      rmaNumber: r.rmaNumber,
      serialNumber: r.serialNumber,
      model: r.model,
      // The answer as first given: authorised then only if it was authorised as it was requested.
      status: r.authorizedAt !== null && r.authorizedAt === r.requestedAt ? "authorized" : "requested",
      warranty: { covered: r.warrantyCovered, until: r.warrantyUntil },
    })),
    replayed: true,
    emailIds: [],
  };
}

/** The read batch of a request: registry rows, open RMAs, known models, whether the idempotency key was used. */
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
  ] as const;
}

/** What the registry and the open RMAs say about the request's serial numbers: one round trip. */
async function readContext(db: Db, serials: string[], idempotencyKey: string | undefined, now: Date) {
  const [registryRows, openRows, models, existing, autoAuthorize] = await db.batch(
    readContextStatements(db, serials, idempotencyKey),
  );
  const registry = new Map<string, RegistryRecord>(registryRows.map((r) => [r.serialNumber, r]));
  // An authorised RMA past its 30 days is expired even before the scheduled job records it.
  const lapsed = openRows.filter((r) => isLapsed(r, now));
  const openRmas = new Map(openRows.filter((r) => !lapsed.includes(r)).map((r) => [r.serialNumber, r.rmaNumber]));
  return {
    registry,
    openRmas,
    lapsed: lapsed.map(
      ({ rmaNumber, model, serialNumber, name, email }): LapsedRma => ({ rmaNumber, model, serialNumber, name, email }),
    ),
    knownModels: new Set(models.map((m) => m.model)),
    keyUsed: existing.length > 0,
    autoAuthorize: isOn(autoAuthorize),
  };
}

/**
 * The auto-authorise setting as this isolate last read it. Only a prediction for the one-round-trip
 * path: its guard checks it against the table, so a stale value costs a retry, never a wrong answer.
 */
let autoAuthorizeSeen = false;

/**
 * The registry facts a request states itself: every unit's model and purchase date, or null when a
 * unit has no purchase date (then they must be read first).
 */
function statedRegistry(input: RmaRequestInput): Map<string, RegistryRecord> | null {
  const stated = new Map<string, RegistryRecord>();
  for (const u of input.units) {
    if (!u.purchaseDate) return null;
    const serialNumber = normalizeSerial(u.serialNumber);
    stated.set(serialNumber, { serialNumber, model: u.model, purchaseDate: u.purchaseDate });
  }
  return stated;
}

/**
 * A statement that fails its batch unless the registry holds every stated unit exactly as stated and
 * the auto-authorise setting is as predicted.
 */
export function registryGuard(db: Db, stated: Map<string, RegistryRecord>, autoAuthorize: boolean) {
  const conditions: SQL[] = [...stated.values()].map(
    (r) =>
      sql`EXISTS (SELECT 1 FROM ${products} WHERE ${products.serialNumber} = ${r.serialNumber} AND ${products.model} = ${r.model} AND ${products.purchaseDate} = ${r.purchaseDate})`,
  );
  conditions.push(
    sql`(coalesce((SELECT ${settings.value} FROM ${settings} WHERE ${settings.key} = ${AUTO_AUTHORIZE_KEY}), '') = 'on') = ${autoAuthorize ? 1 : 0}`,
  );
  return failBatchUnless(
    db,
    sql.join(conditions, sql` AND `),
    "registry-guard: the request's stated facts differ from the database",
  );
}

/** Constraints the one-round-trip write can meet when what it took as stated was not so. */
const STATED_FACTS_WRONG = new Set(["rmas.serial_number", "rmas.rma_number"]);

function statedFactsWrong(err: unknown): boolean {
  const constraint = constraintOf(err);
  if (constraint) return STATED_FACTS_WRONG.has(constraint);
  return batchGuardFailed(err);
}

export async function issueRmas(db: Db, env: AppEnv, input: RmaRequestInput, opts: IssueOptions): Promise<IssueResult> {
  const now = opts.now ?? new Date();
  const hash = await bodyHash(input);
  const serials = [...new Set(input.units.map((u) => normalizeSerial(u.serialNumber)))];
  const write = (units: CheckedUnit[], lapsed: LapsedRma[], autoAuthorize: boolean, guard?: ReturnType<typeof registryGuard>) =>
    writeRequest(db, env, input, units, lapsed, { ...opts, hash, now, autoAuthorize, guard });
  const replayOrThrow = async (err: unknown): Promise<IssueResult> => {
    if (constraintOf(err) === "return_requests.idempotency_key" && opts.idempotencyKey) {
      const previous = await replay(db, opts.idempotencyKey, hash);
      if (previous) return previous;
    }
    throw err;
  };

  // One round trip: the units as stated, verified by the write itself.
  const stated = statedRegistry(input);
  if (stated) {
    const checks = checkUnits(input.units, {
      registry: stated,
      openRmas: new Map(),
      knownModels: new Set(),
      requestDate: dateOf(now),
    });
    if (checks.ok) {
      const autoAuthorize = autoAuthorizeSeen;
      try {
        return await write(checks.units, [], autoAuthorize, registryGuard(db, stated, autoAuthorize));
      } catch (err) {
        if (!statedFactsWrong(err)) return replayOrThrow(err);
        // Rolled back whole: read what the database says and decide from that.
      }
    }
  }

  const ctx = await readContext(db, serials, opts.idempotencyKey, now);
  autoAuthorizeSeen = ctx.autoAuthorize;
  if (opts.idempotencyKey && ctx.keyUsed) {
    const previous = await replay(db, opts.idempotencyKey, hash);
    if (previous) return previous;
  }
  const checks = checkUnits(input.units, { ...ctx, requestDate: dateOf(now) });
  if (!checks.ok) {
    throw new Refusal("units_refused", "Some units cannot get an RMA: see the message beside each of them.", checks.fields);
  }

  for (let attempt = 1; ; attempt++) {
    try {
      return await write(checks.units, ctx.lapsed, ctx.autoAuthorize);
    } catch (err) {
      const constraint = constraintOf(err);
      if (constraint === "rmas.rma_number" && attempt < MAX_NUMBER_ATTEMPTS) continue; // a random number was taken: draw again
      if (constraint === "rmas.serial_number") {
        // Another request took one of these serials between our read and our write.
        const fresh = await readContext(db, serials, undefined, now);
        const again = checkUnits(input.units, { ...fresh, requestDate: dateOf(now) });
        if (!again.ok) {
          throw new Refusal("units_refused", "Some units cannot get an RMA: see the message beside each of them.", again.fields);
        }
      }
      return replayOrThrow(err);
    }
  }
}

async function writeRequest(
  db: Db,
  env: AppEnv,
  input: RmaRequestInput,
  units: CheckedUnit[],
  lapsed: LapsedRma[],
  opts: IssueOptions & { hash: string; now: Date; autoAuthorize: boolean; guard?: ReturnType<typeof registryGuard> | undefined },
): Promise<IssueResult> {
  const nowIso = opts.now.toISOString();
  const requestId = crypto.randomUUID();
  const numbers = new Set<string>();
  while (numbers.size < units.length) numbers.add(newRmaNumber(opts.now));
  // With automatic authorisation on, a registered unit under warranty is authorised as it is requested.
  const issued = units.map((u, i) => ({
    ...u,
    rmaNumber: [...numbers][i] as string,
    status: opts.autoAuthorize && u.inRegistry && u.warranty.covered ? ("authorized" as const) : ("requested" as const),
  }));
  const validUntil = validUntilFrom(opts.now);
  const authorized = issued.filter((u) => u.status === "authorized");
  const { baseUrl } = opts.links;
  const emailUnits = await Promise.all(
    issued.map(async (u) => ({
      rmaNumber: u.rmaNumber,
      serialNumber: u.serialNumber,
      model: u.model,
      warranty: u.warranty,
      issueDescription: u.issueDescription,
      link: await rmaUrl(opts.links, u.rmaNumber),
      adminUrl: adminRmaUrl(opts.links, u.rmaNumber),
    })),
  );
  const receipt = requestReceipt({ name: input.contact.name, units: emailUnits, statusUrl: `${baseUrl}/status` });
  const staff = staffNewRequest({
    contactName: input.contact.name,
    company: input.contact.company ?? null,
    email: input.contact.email,
    units: emailUnits,
  });
  const emails: OutgoingEmail[] = [
    { to: input.contact.email, ...receipt, requestId, dedupeKey: `receipt:${requestId}` },
    { to: staffAddress(env), ...staff, requestId, dedupeKey: `staff-new:${requestId}` },
  ];
  if (authorized.length > 0) {
    const content = authorizationEmail({
      name: input.contact.name,
      units: await Promise.all(
        authorized.map(async (u) => ({
          rmaNumber: u.rmaNumber,
          model: u.model,
          serialNumber: u.serialNumber,
          warranty: u.warranty,
          printUrl: await printUrl(opts.links, u.rmaNumber),
        })),
      ),
      shipBy: shipByDate(validUntil),
    });
    emails.push({ to: input.contact.email, ...content, requestId, dedupeKey: `auto-authorized:${requestId}` });
  }
  const outboxInsert = insertEmails(db, emails, env).returning({ id: outbox.id });

  // A lapsed RMA of one of these units is recorded as expired in the same batch (with its one email), unless
  // the scheduled job has just done it: then its statements change nothing.
  const lapsedStatements = (
    await Promise.all(lapsed.map((r) => expiryMove(r, { links: opts.links, env, now: opts.now })))
  ).flatMap((move) => changeStatements(db, move).statements);

  const results = await db.batch([
    db.insert(returnRequests).values({
      id: requestId,
      contactName: input.contact.name,
      company: input.contact.company ?? null,
      email: input.contact.email,
      phone: input.contact.phone,
      country: input.contact.country,
      returnStreet: input.returnAddress.street,
      returnPostalCode: input.returnAddress.postalCode,
      returnCity: input.returnAddress.city,
      returnCountry: input.returnAddress.country,
      locale: opts.locale ?? "en",
      idempotencyKey: opts.idempotencyKey ?? null,
      bodyHash: opts.hash,
      createdAt: nowIso,
    }),
    ...(opts.guard ? [opts.guard] : []),
    ...lapsedStatements,
    db.insert(rmas).values(
      issued.map((u) => ({
        rmaNumber: u.rmaNumber,
        requestId,
        serialNumber: u.serialNumber,
        model: u.model,
        purchaseDate: u.purchaseDate,
        invoiceNumber: u.invoiceNumber,
        issueDescription: u.issueDescription,
        warrantyCovered: u.warranty.covered,
        warrantyUntil: u.warranty.until,
        status: u.status,
        requestedAt: nowIso,
        ...(u.status === "authorized" ? { authorizedAt: nowIso, validUntil } : {}),
        updatedAt: nowIso,
      })),
    ),
    db.insert(rmaEvents).values([
      ...issued.map((u) => ({
        rmaNumber: u.rmaNumber,
        at: nowIso,
        actor: "customer",
        fromStatus: null,
        toStatus: "requested" as const,
        note: u.inRegistry
          ? null
          : `Serial not in the registry: purchase date ${u.purchaseDate} from invoice ${u.invoiceNumber}.`,
      })),
      ...authorized.map((u) => ({
        rmaNumber: u.rmaNumber,
        at: nowIso,
        actor: "system",
        fromStatus: "requested" as const,
        toStatus: "authorized" as const,
        note: "Authorised automatically: the serial number is in our registry and under warranty.",
      })),
    ]),
    outboxInsert,
  ]);
  const emailRows = results[results.length - 1] as { id: string }[];
  return {
    requestId,
    rmas: issued.map((u) => ({
      rmaNumber: u.rmaNumber,
      serialNumber: u.serialNumber,
      model: u.model,
      status: u.status,
      warranty: u.warranty,
    })),
    replayed: false,
    emailIds: emailRows.map((r) => r.id),
  };
}
