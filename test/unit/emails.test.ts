/**
 * Every email kind through the one renderer (functions/email/letters.ts) with real data, in Italian and
 * German: subject, text part and HTML part carry no English sentence (`englishLeft`), dates and money are
 * written for the locale, and the same email in English does read as English (so the check can fail).
 */
import { describe, expect, it } from "vitest";
import { statusLabel } from "../../functions/domain/lifecycle.ts";
import { computeQuote } from "../../functions/domain/quote.ts";
import {
  authorizationEmail,
  cancellationGrantedEmail,
  cancellationNotPossible,
  cancellationRefusedEmail,
  cancellationRequested,
  cancelledByCustomer,
  cancelledByStaffEmail,
  type EmailContent,
  expiredNotice,
  expiryReminder,
  quoteAnsweredStaffEmail,
  quoteEmail,
  receivedEmail,
  rejectionEmail,
  repairFinishedEmail,
  requestReceipt,
  shippedEmail,
  staffCancellationNotice,
  staffNewRequest,
  warrantyConfirmedEmail,
  warrantyRefusedEmail,
} from "../../functions/email/letters.ts";
import type { Locale } from "../../functions/i18n/index.ts";
import { text } from "../../functions/i18n/text.ts";
import { englishLeft } from "../support/english.ts";

const unit = { rmaNumber: "RMA-26-048173-V", model: "Vega V640", serialNumber: "VE2300123" };
const link = "https://portal.example/rma/RMA-26-048173-V?t=abcdefghijklmnopqrstuv";
const name = "Giulia Bianchi";
/** What a customer or staff member typed: in the reader's language, as they would write it. */
const typed: Record<Locale, { reason: string; note: string; address: string }> = {
  en: { reason: "The unit is not ours.", note: "Known firmware fault.", address: "Via Roma 1, 56100 Pisa, Italy" },
  it: { reason: "Cavo danneggiato dall'uso.", note: "Difetto noto del firmware.", address: "Via Roma 1, 56100 Pisa, Italia" },
  de: {
    reason: "Kabel durch Gebrauch beschädigt.",
    note: "Bekannter Firmwarefehler.",
    address: "Hauptstraße 5, 80331 München, Deutschland",
  },
};

function quoteLines() {
  const q = computeQuote(
    { labourCents: 12000, partsAndSuppliesCents: 4550, handlingFeeCents: 2500, returnShippingCents: 1800 },
    { covered: false },
  );
  if (!q.ok) throw new Error("quote refused");
  return q.quote;
}

/** Every customer email kind, in `locale`. */
function customerEmails(locale: Locale): Record<string, EmailContent> {
  const { reason, note, address } = typed[locale];
  const ctx = { locale, name, ...unit, link };
  const quote = quoteLines();
  return {
    receipt: requestReceipt({
      locale,
      name,
      statusUrl: "https://portal.example/status",
      units: [
        { ...unit, warranty: { covered: true, until: "2027-03-14" }, link },
        { ...unit, rmaNumber: "RMA-26-048174-W", warranty: { covered: false, until: "2025-01-01" }, link },
      ],
    }),
    authorized: authorizationEmail({
      locale,
      name,
      shipBy: "2026-11-30",
      note,
      units: [{ ...unit, warranty: { covered: true, until: "2027-03-14" }, printUrl: `${link}&print` }],
    }),
    rejected: rejectionEmail({ locale, name, unit, reason }),
    cancelledByStaff: cancelledByStaffEmail({ locale, name, unit, reason }),
    cancelledByCustomer: cancelledByCustomer({ ...ctx, reason }),
    cancellationRequested: cancellationRequested({ ...ctx, reason, statusLabel: statusLabel("received", locale) }),
    cancellationNotPossible: cancellationNotPossible({
      ...ctx,
      why: text("errors.cancel.refused.shipped", { rmaNumber: unit.rmaNumber }),
    }),
    cancellationGranted: cancellationGrantedEmail({ locale, name, unit, outcome: "returning", note }),
    cancellationGrantedCancelled: cancellationGrantedEmail({ locale, name, unit, outcome: "cancelled" }),
    cancellationRefused: cancellationRefusedEmail({ locale, name, unit, reason }),
    expired: expiredNotice({ ...ctx, requestAgainLink: `${link}&again` }),
    reminder: expiryReminder({ ...ctx, shipBy: "2026-11-30", printLink: `${link}&print` }),
    received: receivedEmail({ locale, name, unit, receivedOn: "2026-11-02", condition: note, covered: true }),
    receivedNotCovered: receivedEmail({ locale, name, unit, receivedOn: "2026-11-02", covered: false }),
    warrantyConfirmed: warrantyConfirmedEmail({ locale, name, unit, note }),
    warrantyRefused: warrantyRefusedEmail({ locale, name, unit, reason }),
    quote: quoteEmail({ locale, name, unit, ...quote, link, why: { ended: "2025-01-01" }, note }),
    quoteRefused: quoteEmail({ locale, name, unit, ...quote, link, why: { refused: reason } }),
    repairFinished: repairFinishedEmail({ locale, name, unit, address }),
    shipped: shippedEmail({
      locale,
      name,
      unit,
      carrier: "DHL Express",
      trackingNumber: "JD014600003828",
      address,
      covered: true,
    }),
    shippedCharged: shippedEmail({ locale, name, unit, carrier: "UPS", trackingNumber: "1Z999", address, covered: false }),
  };
}

/** The words a reader sees in an email: the subject, the text part, and the HTML part without its tags. */
function partsOf(mail: EmailContent): Record<string, string> {
  const visible = mail.html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  return { subject: mail.subject, text: mail.text, html: visible };
}

describe("customer emails in the request's language", () => {
  for (const locale of ["it", "de"] as const) {
    it(`leaves no English sentence in any kind, in subject, text and HTML (${locale})`, () => {
      const english = customerEmails("en");
      for (const [kind, mail] of Object.entries(customerEmails(locale))) {
        for (const [part, words] of Object.entries(partsOf(mail))) {
          expect(englishLeft(words), `${locale} ${kind} ${part}`).toEqual([]);
          expect(words, `${locale} ${kind} ${part}`).not.toBe(partsOf(english[kind] as EmailContent)[part]);
        }
        expect(mail.html, `${locale} ${kind}`).toContain(`<html lang="${locale}">`);
      }
    });
  }

  it("reads as English in English (the check above can fail)", () => {
    for (const [kind, mail] of Object.entries(customerEmails("en"))) {
      expect(englishLeft(mail.text).length, kind).toBeGreaterThan(0);
    }
  });

  it("writes dates and money for the locale", () => {
    const quote = quoteLines();
    const mail = (locale: Locale) => quoteEmail({ locale, name, unit, ...quote, link, why: { ended: "2025-11-30" } });
    expect(mail("en").subject).toBe("Repair quote for RMA-26-048173-V: €208.50");
    expect(mail("it").subject).toBe("Preventivo di riparazione per RMA-26-048173-V: 208,50\u00a0€");
    expect(mail("de").subject).toBe("Kostenvoranschlag für RMA-26-048173-V: 208,50\u00a0€");
    expect(mail("en").text).toContain("30 November 2025");
    expect(mail("it").text).toContain("30 novembre 2025");
    expect(mail("de").text).toContain("30. November 2025");
    expect(customerEmails("it")["authorized"]?.subject).toBe(
      "RMA autorizzata: RMA-26-048173-V — spedire entro il 30 novembre 2026",
    );
  });

  it("escapes every value in the HTML part, in every language", () => {
    for (const locale of ["en", "it", "de"] as const) {
      const mail = rejectionEmail({ locale, name: "<b>Anna</b>", unit, reason: '<script>alert("x")</script>' });
      expect(mail.html).not.toContain("<script>");
      expect(mail.html).toContain("&lt;script&gt;");
      expect(mail.html).toContain("&lt;b&gt;Anna&lt;/b&gt;");
    }
  });
});

describe("staff notices", () => {
  it("stay English unless asked for another language (the desk's preference is its own feature)", () => {
    const staff = [
      staffNewRequest({
        contactName: name,
        company: "Visione Srl",
        email: "giulia@example.com",
        units: [
          {
            ...unit,
            warranty: { covered: true, until: "2027-03-14" },
            link,
            issueDescription: "Nessuna immagine",
            adminUrl: link,
          },
        ],
      }),
      staffCancellationNotice({
        rmaNumber: unit.rmaNumber,
        contact: name,
        email: "g@example.com",
        reason: "x",
        immediate: false,
        adminUrl: link,
      }),
      quoteAnsweredStaffEmail({ unit, decision: "declined", totalCents: 20850, customer: name, adminUrl: link }),
    ];
    for (const mail of staff) expect(mail.html, mail.subject).toContain('<html lang="en">');
    expect(staff.map((m) => m.subject)).toEqual([
      "New RMA request from Giulia Bianchi (Visione Srl): 1 unit",
      "Cancellation request for RMA-26-048173-V: please decide",
      "Quote declined: RMA-26-048173-V (€208.50)",
    ]);
    const italian = quoteAnsweredStaffEmail({
      locale: "it",
      unit,
      decision: "accepted",
      totalCents: 20850,
      customer: name,
      adminUrl: link,
    });
    expect(englishLeft(italian.text)).toEqual([]);
  });
});
