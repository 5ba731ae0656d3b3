/**
 * Authorising returns (one RMA, or every still-requested unit of a request at once) and rejecting
 * them. Authorisation starts the 30 days and emails the customer the RMA numbers, the units
 * authorised, the shipping instructions, the printable form link and the warranty status.
 */
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { type RequestRow, type RmaRow, rmas } from "../../../db/schema.ts";
import { shipByDate, validUntilFrom } from "../../domain/expiry.ts";
import { authorizationEmail, rejectionEmail } from "../../email/letters.ts";
import type { AppEnv } from "../../env.ts";
import { type Locale, toLocale } from "../../i18n/index.ts";
import type { LinkContext } from "../../links.ts";
import { printUrl } from "../../links.ts";
import { repairsOfIssuedRmas } from "../insight/repair-warranty.ts";
import { type ActionHandler, mailUnit, readerLocale, refuseUnlessAllowed, staffChange, toCustomer } from "./action-context.ts";
import { changeRmas } from "./change.ts";

/** What the authorisation needs of a unit: enough for the email and the move. */
export type UnitToAuthorize = Pick<
  RmaRow,
  "rmaNumber" | "model" | "serialNumber" | "warrantyCovered" | "warrantyUntil" | "purchaseDate" | "requestedAt"
>;

/** The units as the authorisation email lists them; a unit only a past repair's warranty covers names that RMA. */
async function authorizedUnits(db: Db, links: LinkContext, units: UnitToAuthorize[], locale: Locale) {
  const repairs = await repairsOfIssuedRmas(db, units);
  return Promise.all(
    units.map(async (u) => ({
      ...mailUnit(u),
      warranty: { covered: u.warrantyCovered, until: u.warrantyUntil, repair: repairs.get(u.rmaNumber) },
      printUrl: await printUrl(links, u.rmaNumber, locale),
    })),
  );
}

export const authorize: ActionHandler<"authorize"> = async (db, rec, input, ctx) => {
  const validUntil = validUntilFrom(ctx.now);
  const locale = readerLocale(rec);
  const content = authorizationEmail({
    locale,
    name: rec.request.contactName,
    units: await authorizedUnits(db, ctx.links, [rec.rma], locale),
    shipBy: shipByDate(validUntil),
    note: input.note,
  });
  return staffChange(db, rec, ctx, {
    to: "authorized",
    note: input.note ?? null,
    set: { validUntil },
    emails: [toCustomer(rec, "authorized", content)],
    done: "authorized",
  });
};

export interface AuthorizeRmasInput {
  /** The request; its `locale` (English when absent) is the email's language. */
  request: Pick<RequestRow, "id" | "contactName" | "email"> & { locale?: string | null };
  /** The units to authorise, each still `requested`. */
  units: UnitToAuthorize[];
  actor: string;
  note?: string | undefined;
  links: LinkContext;
  env: Pick<AppEnv, "RESEND_API_KEY">;
  now: Date;
}

/**
 * Authorises several units of one request in ONE batch with ONE email listing them all; if any of
 * them changed meanwhile, nothing is written (409). Also what automatic authorisation calls, with
 * actor `system`, for the units in the registry and under warranty.
 */
export async function authorizeRmas(
  db: Db,
  input: AuthorizeRmasInput,
): Promise<{ rmaNumbers: string[]; versions: Record<string, number>; emailIds: string[] }> {
  const validUntil = validUntilFrom(input.now);
  const locale = toLocale(input.request.locale);
  const content = authorizationEmail({
    locale,
    name: input.request.contactName,
    units: await authorizedUnits(db, input.links, input.units, locale),
    shipBy: shipByDate(validUntil),
    note: input.note,
  });
  const rmaNumbers = input.units.map((u) => u.rmaNumber);
  const { versions, emailIds } = await changeRmas(
    db,
    input.units.map((u) => ({
      rmaNumber: u.rmaNumber,
      from: "requested" as const,
      to: "authorized" as const,
      set: { validUntil },
      note: input.note ?? null,
      actor: input.actor,
      env: input.env,
      now: input.now,
    })),
    {
      emails: [
        {
          to: input.request.email,
          ...content,
          requestId: input.request.id,
          dedupeKey: `authorized:${input.request.id}:${rmaNumbers.join(",")}`,
        },
      ],
      env: input.env,
    },
  );
  return { rmaNumbers, versions, emailIds };
}

/** "Authorise all units of this request": every unit still requested; decisions already taken are kept. */
export const authorizeAll: ActionHandler<"authorize-all"> = async (db, rec, input, ctx) => {
  const units = await db.select().from(rmas).where(eq(rmas.requestId, rec.request.id)).orderBy(asc(sql`rowid`));
  const waiting = units.filter((u) => u.status === "requested");
  refuseUnlessAllowed("authorize-all", rec, ctx.now, { units: units.length, waiting: waiting.length });
  const { rmaNumbers, versions, emailIds } = await authorizeRmas(db, {
    request: rec.request,
    units: waiting,
    actor: ctx.actor,
    note: input.note,
    links: ctx.links,
    env: ctx.env,
    now: ctx.now,
  });
  const moved = versions[rec.rma.rmaNumber];
  return {
    rmaNumber: rec.rma.rmaNumber,
    status: moved === undefined ? rec.rma.status : "authorized",
    version: moved ?? rec.rma.version,
    emailIds,
    done: "authorized-all",
    authorized: rmaNumbers,
  };
};

export const reject: ActionHandler<"reject"> = async (db, rec, input, ctx) => {
  const content = rejectionEmail({
    locale: readerLocale(rec),
    name: rec.request.contactName,
    unit: mailUnit(rec.rma),
    reason: input.reason,
  });
  return staffChange(db, rec, ctx, {
    to: "rejected",
    note: input.reason,
    emails: [toCustomer(rec, "rejected", content)],
    done: "rejected",
  });
};
