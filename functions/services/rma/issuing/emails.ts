/**
 * Issuing, step 4 — emails: the customer's receipt, the staff notice, and (with automatic
 * authorisation) the authorisation email, written to the outbox in the same batch as the request.
 */
import { shipByDate } from "../../../domain/expiry.ts";
import type { RmaRequestInput } from "../../../domain/request-input.ts";
import { authorizationEmail, requestReceipt, staffNewRequest } from "../../../email/letters.ts";
import type { OutgoingEmail } from "../../../email/outbox.ts";
import { type AppEnv, staffAddress } from "../../../env.ts";
import type { Locale } from "../../../i18n/index.ts";
import { adminRmaUrl, type LinkContext, pageUrl, printUrl, rmaUrl } from "../../../links.ts";
import type { IssuingUnit } from "./decide.ts";

export async function issueEmails(
  input: RmaRequestInput,
  issued: IssuingUnit[],
  opts: {
    requestId: string;
    validUntil: string;
    links: LinkContext;
    env: AppEnv;
    /** The request's language: the customer's emails and links are in it. */
    locale: Locale;
  },
): Promise<OutgoingEmail[]> {
  const { requestId, links, locale } = opts;
  const emailUnits = await Promise.all(
    issued.map(async (u) => ({
      rmaNumber: u.rmaNumber,
      serialNumber: u.serialNumber,
      model: u.model,
      warranty: u.warranty,
      issueDescription: u.issueDescription,
      link: await rmaUrl(links, u.rmaNumber, locale),
      adminUrl: adminRmaUrl(links, u.rmaNumber),
    })),
  );
  const receipt = requestReceipt({
    locale,
    name: input.contact.name,
    units: emailUnits,
    statusUrl: pageUrl(links, "/status", locale),
  });
  const staff = staffNewRequest({
    contactName: input.contact.name,
    company: input.contact.company ?? null,
    email: input.contact.email,
    units: emailUnits,
  });
  const emails: OutgoingEmail[] = [
    { to: input.contact.email, ...receipt, requestId, dedupeKey: `receipt:${requestId}` },
    { to: staffAddress(opts.env), ...staff, requestId, dedupeKey: `staff-new:${requestId}` },
  ];
  const authorized = issued.filter((u) => u.status === "authorized");
  if (authorized.length > 0) {
    const content = authorizationEmail({
      locale,
      name: input.contact.name,
      units: await Promise.all(
        authorized.map(async (u) => ({
          rmaNumber: u.rmaNumber,
          model: u.model,
          serialNumber: u.serialNumber,
          warranty: u.warranty,
          printUrl: await printUrl(links, u.rmaNumber, locale),
        })),
      ),
      shipBy: shipByDate(opts.validUntil),
    });
    emails.push({ to: input.contact.email, ...content, requestId, dedupeKey: `auto-authorized:${requestId}` });
  }
  return emails;
}
