/**
 * Issuing, step 3 — write: ONE atomic batch with the request, an RMA per unit, their first events, the
 * rows of the units' files (already in R2), the expiry of the units' lapsed RMAs and the outbox emails. Either all of it is stored or none of it.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client.ts";
import { rmaFiles } from "../../../../db/schema/files.ts";
import { outbox, products, returnRequests, rmaEvents, rmas, settings } from "../../../../db/schema.ts";
import { validUntilFrom } from "../../../domain/expiry.ts";
import type { RmaRequestInput } from "../../../domain/request-input.ts";
import type { RegistryRecord } from "../../../domain/unit-checks.ts";
import { insertEmails } from "../../../email/outbox.ts";
import type { AppEnv } from "../../../env.ts";
import { toLocale } from "../../../i18n/index.ts";
import type { LinkContext } from "../../../links.ts";
import { requestFileRows } from "../../files/request-files.ts";
import type { ReceivedFile } from "../../files/store.ts";
import { noPastRepairCondition } from "../../insight/repair-warranty.ts";
import { AUTO_AUTHORIZE_KEY } from "../../staff/settings.ts";
import { failBatchUnless } from "../batch-guard.ts";
import { changeStatements } from "../change.ts";
import { expiryMove, type LapsedRma } from "../expiry.ts";
import type { IssuingUnit } from "./decide.ts";
import { issueEmails } from "./emails.ts";
import { limitStatements, type RequestLimit } from "./limits.ts";
import { AUTO_AUTHORIZED_NOTE, notInRegistryNote } from "./notes.ts";
import type { IssueResult } from "./read.ts";

/**
 * A statement that fails its batch unless the registry holds every stated unit exactly as stated and
 * the auto-authorise setting is as predicted.
 */
export function registryGuard(db: Db, stated: Map<string, RegistryRecord>, autoAuthorize: boolean) {
  const conditions: SQL[] = [...stated.values()].map(
    (r) =>
      sql`EXISTS (SELECT 1 FROM ${products} WHERE ${products.serialNumber} = ${r.serialNumber} AND ${products.model} = ${r.model} AND ${products.purchaseDate} = ${r.purchaseDate})`,
  );
  // A unit with a past repair may be covered by the repair's warranty, which the stated facts do not say:
  // such a request is decided after reading its past repairs (the full path).
  conditions.push(noPastRepairCondition([...stated.values()].map((r) => r.serialNumber)));
  conditions.push(
    sql`(coalesce((SELECT ${settings.value} FROM ${settings} WHERE ${settings.key} = ${AUTO_AUTHORIZE_KEY}), '') = 'on') = ${autoAuthorize ? 1 : 0}`,
  );
  return failBatchUnless(
    db,
    sql.join(conditions, sql` AND `),
    "registry-guard: the request's stated facts differ from the database",
  );
}

export interface WriteOptions {
  links: LinkContext;
  idempotencyKey?: string | undefined;
  locale?: string | undefined;
  hash: string;
  now: Date;
  /** The one-round-trip path's guard, verifying inside the batch what it took as stated. */
  guard?: ReturnType<typeof registryGuard> | undefined;
  /** The public form's limits, counted in the batch (after the request row, so a replayed key is not refused). */
  limits: RequestLimit[];
  /** The units' files, already in R2: their rows go in this batch, each with its unit's RMA. */
  files?: readonly ReceivedFile[] | undefined;
}

export async function writeRequest(
  db: Db,
  env: AppEnv,
  input: RmaRequestInput,
  issued: IssuingUnit[],
  lapsed: LapsedRma[],
  opts: WriteOptions,
): Promise<IssueResult> {
  const nowIso = opts.now.toISOString();
  const requestId = crypto.randomUUID();
  const validUntil = validUntilFrom(opts.now);
  const authorized = issued.filter((u) => u.status === "authorized");
  const emails = await issueEmails(input, issued, {
    requestId,
    validUntil,
    links: opts.links,
    env,
    locale: toLocale(opts.locale),
  });

  // A lapsed RMA of one of these units is recorded as expired in the same batch (with its one email), unless
  // the scheduled job has just done it: then its statements change nothing.
  const files = opts.files ?? [];
  const fileRows =
    files.length === 0
      ? []
      : [
          db.insert(rmaFiles).values(
            requestFileRows(
              [...files],
              issued.map((u) => u.rmaNumber),
              requestId,
              opts.now,
            ),
          ),
        ];
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
      locale: toLocale(opts.locale),
      idempotencyKey: opts.idempotencyKey ?? null,
      bodyHash: opts.hash,
      createdAt: nowIso,
    }),
    ...(opts.guard ? [opts.guard] : []),
    ...limitStatements(db, opts.limits),
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
        note: u.inRegistry ? null : notInRegistryNote(u.purchaseDate, u.invoiceNumber ?? ""),
      })),
      ...authorized.map((u) => ({
        rmaNumber: u.rmaNumber,
        at: nowIso,
        actor: "system",
        fromStatus: "requested" as const,
        toStatus: "authorized" as const,
        note: AUTO_AUTHORIZED_NOTE,
      })),
    ]),
    ...fileRows,
    insertEmails(db, emails, env).returning({ id: outbox.id }),
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
