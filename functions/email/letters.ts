/**
 * The one email renderer. Every email (to customers, and the staff notices) is written once as blocks of
 * words from content/<locale>/messages/emails.json and rendered to a subject, a plain-text part and an
 * HTML part in which every value is escaped. Each kind takes the locale of the request it is about (the
 * customer's language follows the RMA: `toLocale(request.locale)`), whichever staff member acts; dates
 * and money are formatted by the translator for that locale. Staff notices to STAFF_EMAIL are English
 * for now (their `locale` is there for the desk's language preference).
 */
import type { QuoteAmount, QuoteField } from "../domain/quote.ts";
import { RECEIVING_ADDRESS } from "../domain/receiving.ts";
import { DEFAULT_LOCALE, type Locale, type MessageKey, type Params, translator } from "../i18n/index.ts";
import { say, type Words } from "../i18n/text.ts";
import { html, type RawHtml } from "./html.ts";

const COMPANY = "Alkeria";

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

type Part = string | { href: string; text: string } | { strong: string };
type Block = { p: Part[] } | { h: string } | { ul: Part[][] } | { ol: Part[][] };

export interface MailUnit {
  rmaNumber: string;
  model: string;
  serialNumber: string;
}

/** Who an email is written for: the locale of its request (English when not given). */
interface Reader {
  locale?: Locale | undefined;
}

/** The words and formats of one locale, as the emails use them. */
function wordsFor(locale: Locale | undefined) {
  const tr = translator(locale ?? DEFAULT_LOCALE);
  const w = (key: string, params?: Params) => tr.t(`emails.${key}` as MessageKey, params);
  /** A `YYYY-MM-DD` day in the locale's long form (30 novembre 2026). */
  const day = (iso: string) => (/^\d{4}-\d{2}-\d{2}/.test(iso) ? tr.date(`${iso.slice(0, 10)}T00:00:00Z`) : iso);
  const money = (cents: number) => tr.money(cents / 100);
  const unit = (u: MailUnit) => w("common.unit", { rmaNumber: u.rmaNumber, model: u.model, serial: u.serialNumber });
  const inline = (u: MailUnit) => w("common.unitInline", { rmaNumber: u.rmaNumber, model: u.model, serial: u.serialNumber });
  return { locale: tr.locale, w, day, money, unit, inline };
}

type Tr = ReturnType<typeof wordsFor>;

function partText(part: Part): string {
  if (typeof part === "string") return part;
  return "href" in part ? `${part.text}: ${part.href}` : part.strong;
}

function partHtml(part: Part): RawHtml {
  if (typeof part === "string") return html`${part}`;
  return "href" in part ? html`<a href="${part.href}">${part.text}</a>` : html`<strong>${part.strong}</strong>`;
}

const lineText = (parts: Part[]) => parts.map(partText).join("");
const lineHtml = (parts: Part[]) => parts.map(partHtml);

/** The HTML page around an email's body, with the desk's signature line. */
export function layout(title: string, body: RawHtml, locale: Locale = DEFAULT_LOCALE): string {
  const footer = translator(locale).t("emails.common.footer", { company: COMPANY, address: RECEIVING_ADDRESS });
  return html`<!doctype html><html lang="${locale}"><body style="font-family:Arial,Helvetica,sans-serif;color:#1b1f24;line-height:1.5;max-width:640px">
<h1 style="font-size:20px;color:#0b4f8a">${title}</h1>
${body}
<p style="color:#4a5360;font-size:13px;margin-top:24px">${footer}</p>
</body></html>`.html;
}

/** Renders the blocks as plain text and as HTML, with the greeting and signature around them. */
function letter(tr: Tr, subject: string, name: string | null, blocks: Block[]): EmailContent {
  const all: Block[] = [
    ...(name ? [{ p: [tr.w("common.greeting", { name })] }] : []),
    ...blocks,
    { p: [tr.w("common.signature", { company: COMPANY })] },
  ];
  const text = all
    .map((b) => {
      if ("p" in b) return lineText(b.p);
      if ("h" in b) return b.h;
      if ("ul" in b) return b.ul.map((item) => `- ${lineText(item)}`).join("\n");
      return b.ol.map((item, i) => `${i + 1}. ${lineText(item)}`).join("\n");
    })
    .join("\n\n");
  const body = all.map((b) => {
    if ("p" in b) return html`<p>${lineHtml(b.p)}</p>\n`;
    if ("h" in b) return html`<h2 style="font-size:16px">${b.h}</h2>\n`;
    const items = ("ul" in b ? b.ul : b.ol).map((item) => html`<li>${lineHtml(item)}</li>`);
    return "ul" in b ? html`<ul>${items}</ul>\n` : html`<ol>${items}</ol>\n`;
  });
  return { subject, text, html: layout(subject, html`${body}`, tr.locale) };
}

/** A labelled value in bold ("The reason: …"), or nothing when there is no value. */
const labelled = (tr: Tr, labelKey: string, value: string | null | undefined): Block[] =>
  value ? [{ p: [tr.w(labelKey), " ", { strong: value }] }] : [];

const numbers = (units: MailUnit[]) => units.map((u) => u.rmaNumber).join(", ");

/** Said wherever a verdict is given: it is computed from the purchase date and confirmed at diagnosis. */
export function warrantyNote(locale: Locale = DEFAULT_LOCALE): string {
  return translator(locale).t("emails.common.warrantyNote");
}

/** A unit's warranty, as the emails say it: `repair` when only the warranty on that past repair covers it. */
export interface MailWarranty {
  covered: boolean;
  /** Last day covered, `YYYY-MM-DD`. */
  until: string;
  repair?: { rmaNumber: string; until: string } | undefined;
}

/**
 * A unit's warranty verdict in words (`until` is a `YYYY-MM-DD` day); a unit only a past repair's warranty
 * covers is "covered by the repair warranty of RMA-… until …" (functions/domain/repair-warranty.ts).
 */
export function warrantyLine(w: MailWarranty, locale: Locale = DEFAULT_LOCALE): string {
  const tr = wordsFor(locale);
  if (w.covered && w.repair) {
    return translator(tr.locale).t("insight.repairWarranty.line", { rma: w.repair.rmaNumber, until: tr.day(w.repair.until) });
  }
  return tr.w(w.covered ? "common.warrantyCovered" : "common.warrantyNotCovered", { date: tr.day(w.until) });
}

// ————————————————————————————————— to the customer —————————————————————————————————

export interface EmailUnit {
  rmaNumber: string;
  serialNumber: string;
  model: string;
  warranty: MailWarranty;
  /** Absolute signed link to the RMA's page. */
  link: string;
}

/** The receipt of a request: each unit's RMA number, its warranty verdict, and what happens next. */
export function requestReceipt(input: Reader & { name: string; units: EmailUnit[]; statusUrl: string }): EmailContent {
  const tr = wordsFor(input.locale);
  return letter(tr, tr.w("receipt.subject", { numbers: numbers(input.units) }), input.name, [
    { p: [tr.w("receipt.intro", { count: input.units.length })] },
    {
      ul: input.units.map((u) => [
        { strong: u.rmaNumber },
        `: ${tr.w("receipt.unit", { model: u.model, serial: u.serialNumber, warranty: warrantyLine(u.warranty, tr.locale) })} `,
        { href: u.link, text: tr.w("receipt.follow") },
      ]),
    },
    { p: [tr.w("common.warrantyNote")] },
    { h: tr.w("receipt.nextHeading") },
    {
      ol: [
        [tr.w("receipt.step1"), " ", { strong: tr.w("receipt.step1Strong") }],
        [tr.w("receipt.step2")],
        [tr.w("receipt.step3")],
      ],
    },
    { p: [tr.w("receipt.status"), " ", { href: input.statusUrl, text: tr.w("receipt.statusLink") }] },
  ]);
}

export interface RmaEmailContext extends Reader {
  name: string;
  rmaNumber: string;
  model: string;
  serialNumber: string;
  /** Absolute signed link to the RMA's page. */
  link: string;
}

/** A short customer email about one RMA, ending with the link to its page. */
function rmaNotice(tr: Tr, c: RmaEmailContext, subject: string, paragraphs: Block[], link: { href: string; text: string }) {
  return letter(tr, subject, c.name, [...paragraphs, { p: [link] }]);
}

const unitOf = (c: RmaEmailContext): MailUnit => ({ rmaNumber: c.rmaNumber, model: c.model, serialNumber: c.serialNumber });

export function cancelledByCustomer(c: RmaEmailContext & { reason: string }): EmailContent {
  const tr = wordsFor(c.locale);
  return rmaNotice(
    tr,
    c,
    tr.w("cancelledByCustomer.subject", { rmaNumber: c.rmaNumber }),
    [
      { p: [tr.w("cancelledByCustomer.done", { unit: tr.inline(unitOf(c)) })] },
      ...labelled(tr, "common.yourReason", c.reason),
      { p: [tr.w("cancelledByCustomer.later")] },
    ],
    { href: c.link, text: tr.w("common.seeRma") },
  );
}

/** `statusLabel`: the RMA's status in the reader's words (`statusLabel(status, locale)`). */
export function cancellationRequested(c: RmaEmailContext & { reason: string; statusLabel: string }): EmailContent {
  const tr = wordsFor(c.locale);
  return rmaNotice(
    tr,
    c,
    tr.w("cancellationRequested.subject", { rmaNumber: c.rmaNumber }),
    [
      { p: [tr.w("cancellationRequested.received", { unit: tr.inline(unitOf(c)) })] },
      { p: [tr.w("cancellationRequested.withUs", { status: c.statusLabel })] },
      ...labelled(tr, "common.yourReason", c.reason),
    ],
    { href: c.link, text: tr.w("common.followRma") },
  );
}

export function expiredNotice(c: RmaEmailContext & { requestAgainLink: string }): EmailContent {
  const tr = wordsFor(c.locale);
  return rmaNotice(
    tr,
    c,
    tr.w("expired.subject", { rmaNumber: c.rmaNumber }),
    [
      { p: [tr.w("expired.lead", { unit: tr.inline(unitOf(c)) })] },
      { p: [tr.w("expired.again")] },
      { p: [{ href: c.link, text: tr.w("expired.stillVisible") }] },
    ],
    { href: c.requestAgainLink, text: tr.w("expired.requestAgain") },
  );
}

/** `shipBy` is the last day (`YYYY-MM-DD`) the unit may reach us. */
export function expiryReminder(c: RmaEmailContext & { shipBy: string; printLink: string }): EmailContent {
  const tr = wordsFor(c.locale);
  const shipBy = tr.day(c.shipBy);
  return rmaNotice(
    tr,
    c,
    tr.w("reminder.subject", { rmaNumber: c.rmaNumber, date: shipBy }),
    [
      { p: [tr.w("reminder.lead", { unit: tr.inline(unitOf(c)), date: shipBy })] },
      { p: [tr.w("reminder.ship", { address: RECEIVING_ADDRESS })] },
      { p: [{ href: c.link, text: tr.w("reminder.cancel") }] },
    ],
    { href: c.printLink, text: tr.w("common.printLink") },
  );
}

/** `why`: the refusal's words (a `Text` such as `errors.cancel.refused.shipped`, said in the reader's locale). */
export function cancellationNotPossible(c: RmaEmailContext & { why: Words }): EmailContent {
  const tr = wordsFor(c.locale);
  return rmaNotice(
    tr,
    c,
    tr.w("cancellationNotPossible.subject", { rmaNumber: c.rmaNumber }),
    [{ p: [tr.w("cancellationNotPossible.lead")] }, { p: [say(tr.locale, c.why)] }],
    { href: c.link, text: tr.w("common.seeRma") },
  );
}

export interface AuthorizedUnit extends MailUnit {
  warranty: MailWarranty;
  /** Absolute signed link to the printable RMA form and parcel label. */
  printUrl: string;
}

/** "Alkeria will respond with RMA number(s) and a list of units authorized for return, and return shipping instructions." */
export function authorizationEmail(
  input: Reader & { name: string; units: AuthorizedUnit[]; shipBy: string; note?: string | undefined },
): EmailContent {
  const tr = wordsFor(input.locale);
  const shipBy = tr.day(input.shipBy);
  return letter(tr, tr.w("authorized.subject", { numbers: numbers(input.units), date: shipBy }), input.name, [
    { p: [tr.w("authorized.lead", { count: input.units.length })] },
    {
      ul: input.units.map((u) => [
        { strong: u.rmaNumber },
        `: ${tr.w("authorized.unit", { model: u.model, serial: u.serialNumber, warranty: warrantyLine(u.warranty, tr.locale) })} `,
        { href: u.printUrl, text: tr.w("common.printLink") },
      ]),
    },
    ...labelled(tr, "common.staffNote", input.note),
    { h: tr.w("authorized.heading") },
    {
      ol: [
        [tr.w("authorized.step1")],
        [tr.w("authorized.step2")],
        [tr.w("authorized.step3")],
        [tr.w("authorized.step4")],
        [tr.w("authorized.step5")],
        [tr.w("authorized.shipTo"), " ", { strong: `Alkeria S.r.l., ${RECEIVING_ADDRESS}` }],
        [tr.w("authorized.reachBy"), " ", { strong: shipBy }, tr.w("authorized.validity")],
      ],
    },
  ]);
}

type UnitEmail = Reader & { name: string; unit: MailUnit };

export function rejectionEmail(input: UnitEmail & { reason: string }): EmailContent {
  const tr = wordsFor(input.locale);
  return letter(tr, tr.w("rejected.subject", { rmaNumber: input.unit.rmaNumber }), input.name, [
    { p: [tr.w("rejected.lead")] },
    { ul: [[tr.unit(input.unit)]] },
    ...labelled(tr, "common.theReason", input.reason),
    { p: [tr.w("rejected.doNotShip")] },
  ]);
}

export function cancelledByStaffEmail(input: UnitEmail & { reason: string }): EmailContent {
  const tr = wordsFor(input.locale);
  return letter(tr, tr.w("cancelledByStaff.subject", { rmaNumber: input.unit.rmaNumber }), input.name, [
    { p: [tr.w("cancelledByStaff.lead")] },
    { ul: [[tr.unit(input.unit)]] },
    ...labelled(tr, "common.reason", input.reason),
    { p: [tr.w("cancelledByStaff.doNotShip")] },
  ]);
}

/** `receivedOn`: the day (`YYYY-MM-DD`) the parcel arrived. */
export function receivedEmail(
  input: UnitEmail & { receivedOn: string; condition?: string | undefined; covered: boolean },
): EmailContent {
  const tr = wordsFor(input.locale);
  return letter(tr, tr.w("received.subject", { rmaNumber: input.unit.rmaNumber }), input.name, [
    { p: [tr.w("received.lead", { date: tr.day(input.receivedOn) })] },
    { ul: [[tr.unit(input.unit)]] },
    ...labelled(tr, "received.condition", input.condition),
    { p: [tr.w(input.covered ? "received.nextCovered" : "received.nextNotCovered")] },
  ]);
}

export function warrantyConfirmedEmail(input: UnitEmail & { note?: string | undefined }): EmailContent {
  const tr = wordsFor(input.locale);
  return letter(tr, tr.w("warrantyConfirmed.subject", { rmaNumber: input.unit.rmaNumber }), input.name, [
    { p: [tr.w("warrantyConfirmed.lead")] },
    { ul: [[tr.unit(input.unit)]] },
    ...labelled(tr, "common.staffNote", input.note),
    { p: [tr.w("warrantyConfirmed.free")] },
  ]);
}

export function warrantyRefusedEmail(input: UnitEmail & { reason: string }): EmailContent {
  const tr = wordsFor(input.locale);
  return letter(tr, tr.w("warrantyRefused.subject", { rmaNumber: input.unit.rmaNumber }), input.name, [
    { p: [tr.w("warrantyRefused.lead")] },
    { ul: [[tr.unit(input.unit)]] },
    ...labelled(tr, "warrantyRefused.found", input.reason),
    { p: [tr.w("warrantyRefused.quoteNext")] },
  ]);
}

/** Why the customer pays for a repair: the warranty ended on a day, or it does not apply to the fault found. */
export type QuoteWhy = { ended: string } | { refused: string };

/** `why`: words already chosen (English, callers not yet converted) or why as data, said in the reader's locale. */
export function quoteEmail(
  input: UnitEmail & {
    lines: QuoteAmount[];
    totalCents: number;
    link: string;
    why: string | QuoteWhy;
    note?: string | undefined;
  },
): EmailContent {
  const tr = wordsFor(input.locale);
  const total = tr.money(input.totalCents);
  const why =
    typeof input.why === "string"
      ? input.why
      : "ended" in input.why
        ? tr.w("quote.whyEnded", { date: tr.day(input.why.ended) })
        : tr.w("quote.whyRefused", { reason: input.why.refused });
  return letter(tr, tr.w("quote.subject", { rmaNumber: input.unit.rmaNumber, total }), input.name, [
    { p: [tr.w("quote.lead")] },
    { ul: [[tr.unit(input.unit)]] },
    { p: [why] },
    {
      ul: [
        ...input.lines.map((l) => [`${quoteLabel(tr, l.key)}: ${tr.money(l.cents)}`]),
        [{ strong: tr.w("quote.total", { total }) }],
      ],
    },
    ...labelled(tr, "common.staffNote", input.note),
    { p: [{ href: input.link, text: tr.w("quote.answerOnline") }] },
    { p: [tr.w("quote.nothingUntil")] },
  ]);
}

/** A quote line's name in the reader's words. */
export function quoteLabel(tr: Pick<Tr, "w">, key: QuoteField): string {
  return tr.w(`quote.lines.${key}`);
}

/** `address`: the customer's return address on one line. */
export function repairFinishedEmail(input: UnitEmail & { address: string }): EmailContent {
  const tr = wordsFor(input.locale);
  return letter(tr, tr.w("repairFinished.subject", { rmaNumber: input.unit.rmaNumber }), input.name, [
    { p: [tr.w("repairFinished.lead")] },
    { ul: [[tr.unit(input.unit)]] },
    { p: [tr.w("repairFinished.preparing"), " ", { strong: input.address }, tr.w("repairFinished.tracking")] },
  ]);
}

export function shippedEmail(
  input: UnitEmail & { carrier: string; trackingNumber: string; address: string; covered: boolean },
): EmailContent {
  const tr = wordsFor(input.locale);
  return letter(tr, tr.w("shipped.subject", { rmaNumber: input.unit.rmaNumber }), input.name, [
    { p: [tr.w("shipped.lead")] },
    { ul: [[tr.unit(input.unit)]] },
    {
      ul: [
        [tr.w("shipped.carrier"), " ", { strong: input.carrier }],
        [tr.w("shipped.tracking"), " ", { strong: input.trackingNumber }],
        [tr.w("shipped.to"), " ", input.address],
      ],
    },
    { p: [tr.w(input.covered ? "shipped.covered" : "shipped.charged")] },
  ]);
}

export function cancellationGrantedEmail(
  input: UnitEmail & { outcome: "cancelled" | "returning"; note?: string | undefined },
): EmailContent {
  const tr = wordsFor(input.locale);
  return letter(tr, tr.w("cancellationGranted.subject", { rmaNumber: input.unit.rmaNumber }), input.name, [
    { p: [tr.w("cancellationGranted.lead")] },
    { ul: [[tr.unit(input.unit)]] },
    { p: [tr.w(input.outcome === "cancelled" ? "cancellationGranted.cancelled" : "cancellationGranted.returning")] },
    ...labelled(tr, "common.staffNote", input.note),
  ]);
}

export function cancellationRefusedEmail(input: UnitEmail & { reason: string }): EmailContent {
  const tr = wordsFor(input.locale);
  return letter(tr, tr.w("cancellationRefused.subject", { rmaNumber: input.unit.rmaNumber }), input.name, [
    { p: [tr.w("cancellationRefused.lead")] },
    { ul: [[tr.unit(input.unit)]] },
    ...labelled(tr, "common.theReason", input.reason),
    { p: [tr.w("common.questions")] },
  ]);
}

// ————————————————————————————————— to the staff (STAFF_EMAIL) —————————————————————————————————

export function staffNewRequest(
  input: Reader & {
    contactName: string;
    company: string | null;
    email: string;
    units: (EmailUnit & { issueDescription: string; adminUrl: string })[];
  },
): EmailContent {
  const tr = wordsFor(input.locale);
  const who = input.company ? `${input.contactName} (${input.company})` : input.contactName;
  const count = input.units.length;
  return letter(tr, tr.w("staff.newRequest.subject", { who, count }), null, [
    { p: [tr.w("staff.newRequest.lead", { who, email: input.email, count })] },
    {
      ul: input.units.map((u) => [
        { href: u.adminUrl, text: u.rmaNumber },
        ` ${tr.w("staff.newRequest.unit", {
          model: u.model,
          serial: u.serialNumber,
          warranty: u.warranty.repair
            ? warrantyLine(u.warranty, tr.locale)
            : tr.w(u.warranty.covered ? "staff.newRequest.inWarranty" : "staff.newRequest.outOfWarranty", {
                date: u.warranty.until,
              }),
        })} ${tr.w("staff.newRequest.fault")} ${u.issueDescription}`,
      ]),
    },
  ]);
}

export function staffCancellationNotice(
  input: Reader & { rmaNumber: string; contact: string; email: string; reason: string; immediate: boolean; adminUrl: string },
): EmailContent {
  const tr = wordsFor(input.locale);
  const params = { rmaNumber: input.rmaNumber, contact: input.contact, email: input.email };
  return letter(tr, tr.w(input.immediate ? "staff.cancelled.subject" : "staff.cancelRequest.subject", params), null, [
    { p: [tr.w(input.immediate ? "staff.cancelled.lead" : "staff.cancelRequest.lead", params)] },
    ...labelled(tr, "common.reason", input.reason),
    { p: [{ href: input.adminUrl, text: tr.w("staff.openRma", params) }] },
  ]);
}

/** The subject of the staff notice of a late cancellation attempt (shipped back or closed). */
export function staffLateCancellationSubject(rmaNumber: string, locale: Locale = DEFAULT_LOCALE): string {
  return wordsFor(locale).w("staff.lateCancellation", { rmaNumber });
}

export function quoteAnsweredStaffEmail(
  input: Reader & {
    unit: MailUnit;
    decision: "accepted" | "declined";
    totalCents: number;
    customer: string;
    adminUrl: string;
  },
): EmailContent {
  const tr = wordsFor(input.locale);
  const params = {
    rmaNumber: input.unit.rmaNumber,
    total: tr.money(input.totalCents),
    customer: input.customer,
    unit: tr.unit(input.unit),
  };
  return letter(tr, tr.w(`staff.quote.${input.decision}.subject`, params), null, [
    { p: [tr.w(`staff.quote.${input.decision}.lead`, params)] },
    { p: [tr.w(`staff.quote.${input.decision}.next`), " ", { href: input.adminUrl, text: tr.w("staff.openRma", params) }] },
  ]);
}
