/**
 * Recording that an authorised RMA's 30 days have passed: the move to `expired`, its event, and the one
 * email that tells the customer a new request is needed. The scheduled job records it, and so does a new
 * request for the same unit (the unit cannot get a new RMA while the old one is open); whichever comes
 * first writes the move, the other finds it done, and the email's dedupe key keeps it to one.
 */
import { and, eq, lt } from "drizzle-orm";
import { rmas } from "../../../db/schema.ts";
import { EXPIRY_NOTE } from "../../domain/expiry.ts";
import { expiredNotice } from "../../email/letters.ts";
import type { AppEnv } from "../../env.ts";
import { toLocale } from "../../i18n/index.ts";
import { type LinkContext, requestAgainUrl, rmaUrl } from "../../links.ts";
import type { Move } from "./change.ts";

/** `isLapsed` in SQL: authorised, and its 30 days are over (served by rmas_valid_until_idx). */
export const lapsedCondition = (nowIso: string) => and(eq(rmas.status, "authorized"), lt(rmas.validUntil, nowIso));

export interface LapsedRma {
  rmaNumber: string;
  model: string;
  serialNumber: string;
  /** The customer's name and email, from the RMA's request. */
  name: string;
  email: string;
  /** The request's language (`return_requests.locale`): the expiry email is written in it. English when absent. */
  locale?: string | undefined;
}

export async function expiryMove(
  r: LapsedRma,
  opts: { links: LinkContext; env: Pick<AppEnv, "RESEND_API_KEY">; now: Date; expectedVersion?: number },
): Promise<Move> {
  const { links } = opts;
  const locale = toLocale(r.locale);
  const content = expiredNotice({
    locale,
    name: r.name,
    rmaNumber: r.rmaNumber,
    model: r.model,
    serialNumber: r.serialNumber,
    link: await rmaUrl(links, r.rmaNumber, locale),
    requestAgainLink: await requestAgainUrl(links, r.rmaNumber, locale),
  });
  return {
    rmaNumber: r.rmaNumber,
    from: "authorized",
    to: "expired",
    actor: "system",
    note: EXPIRY_NOTE,
    ...(opts.expectedVersion === undefined ? {} : { expectedVersion: opts.expectedVersion }),
    emails: [{ to: r.email, ...content, dedupeKey: `expired:${r.rmaNumber}` }],
    env: opts.env,
    now: opts.now,
  };
}
