/**
 * The emails' words. Each returns a subject, a plain-text body and a simple HTML body in which every
 * value from a customer or staff member is escaped.
 */

import { RECEIVING_ADDRESS } from "../domain/receiving.ts";
import { html, type RawHtml, raw } from "./html.ts";

const COMPANY = "Alkeria";

export interface EmailUnit {
  rmaNumber: string;
  serialNumber: string;
  model: string;
  warranty: { covered: boolean; until: string };
  /** Absolute signed link to the RMA's page. */
  link: string;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** Said wherever a verdict is given: it is computed from the purchase date and confirmed at diagnosis. */
export const WARRANTY_NOTE =
  "The warranty (24 months from the purchase date) covers manufacturing defects only, not damage caused by use; our technicians confirm each verdict when they diagnose the unit.";

export function warrantyLine(w: { covered: boolean; until: string }): string {
  return w.covered
    ? `under warranty until ${w.until} (to be confirmed by our technicians at diagnosis: the warranty covers manufacturing defects only)`
    : `not under warranty (it ended on ${w.until}): we will send you a quote before any repair starts`;
}

export function layout(title: string, body: RawHtml): string {
  return html`<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#1b1f24;line-height:1.5;max-width:640px">
<h1 style="font-size:20px;color:#0b4f8a">${title}</h1>
${body}
<p style="color:#4a5360;font-size:13px;margin-top:24px">${COMPANY} RMA desk · ${RECEIVING_ADDRESS}</p>
</body></html>`.html;
}

export function requestReceipt(input: { name: string; units: EmailUnit[]; statusUrl: string }): EmailContent {
  const numbers = input.units.map((u) => u.rmaNumber).join(", ");
  const subject = `RMA request received: ${numbers}`;
  const text = [
    `Dear ${input.name},`,
    "",
    `we have received your request for ${input.units.length === 1 ? "one unit" : `${input.units.length} units`}. Each unit has its own RMA number:`,
    "",
    ...input.units.map(
      (u) => `- ${u.rmaNumber}: ${u.model}, serial ${u.serialNumber}, ${warrantyLine(u.warranty)}.\n  Follow it: ${u.link}`,
    ),
    "",
    WARRANTY_NOTE,
    "",
    "What happens next:",
    "1. Our staff review every request (all returns are pre-approved). Please do not ship anything yet.",
    "2. Once a unit is authorised you receive an email with the shipping instructions and a link to print the RMA form and parcel label.",
    "3. The RMA number is then valid for 30 days: we must receive the unit within that time.",
    "",
    `You can check the status at any time: ${input.statusUrl} (RMA number and this email address).`,
    "",
    `${COMPANY} RMA desk`,
  ].join("\n");
  const body = html`<p>Dear ${input.name},</p>
<p>we have received your request. Each unit has its own RMA number:</p>
<table style="border-collapse:collapse" cellpadding="6">
<tr><th align="left">RMA number</th><th align="left">Unit</th><th align="left">Warranty</th></tr>
${input.units.map(
  (u) =>
    html`<tr><td><a href="${u.link}"><strong>${u.rmaNumber}</strong></a></td><td>${u.model}, serial ${u.serialNumber}</td><td>${warrantyLine(u.warranty)}</td></tr>`,
)}
</table>
<p>${WARRANTY_NOTE}</p>
<h2 style="font-size:16px">What happens next</h2>
<ol>
<li>Our staff review every request (all returns are pre-approved). <strong>Please do not ship anything yet.</strong></li>
<li>Once a unit is authorised you receive an email with the shipping instructions and a link to print the RMA form and parcel label.</li>
<li>The RMA number is then valid for 30 days: we must receive the unit within that time.</li>
</ol>
<p>Check the status at any time on <a href="${input.statusUrl}">the status page</a> with the RMA number and this email address.</p>`;
  return { subject, text, html: layout(subject, body) };
}

export function staffNewRequest(input: {
  contactName: string;
  company: string | null;
  email: string;
  units: (EmailUnit & { issueDescription: string; adminUrl: string })[];
}): EmailContent {
  const who = input.company ? `${input.contactName} (${input.company})` : input.contactName;
  const subject = `New RMA request from ${who}: ${input.units.length} unit${input.units.length === 1 ? "" : "s"}`;
  const text = [
    `${who} <${input.email}> requested ${input.units.length} RMA${input.units.length === 1 ? "" : "s"}:`,
    "",
    ...input.units.map(
      (u) =>
        `- ${u.rmaNumber}: ${u.model}, serial ${u.serialNumber}, ${u.warranty.covered ? `in warranty until ${u.warranty.until}` : `out of warranty since ${u.warranty.until}`}\n  Fault: ${u.issueDescription}\n  ${u.adminUrl}`,
    ),
  ].join("\n");
  const body = html`<p>${who} &lt;${input.email}&gt; requested ${String(input.units.length)} RMA(s):</p>
<ul>${input.units.map(
    (u) =>
      html`<li><a href="${u.adminUrl}">${u.rmaNumber}</a>: ${u.model}, serial ${u.serialNumber}, ${u.warranty.covered ? `in warranty until ${u.warranty.until}` : `out of warranty since ${u.warranty.until}`}<br>${raw("Fault: ")}${u.issueDescription}</li>`,
  )}</ul>`;
  return { subject, text, html: layout(subject, body) };
}

/** A short customer email about one RMA, with the signed link to its page. */
function rmaNotice(input: {
  name: string;
  rmaNumber: string;
  subject: string;
  paragraphs: string[];
  link: string;
  linkText: string;
}) {
  const text = [
    `Dear ${input.name},`,
    "",
    ...input.paragraphs.flatMap((p) => [p, ""]),
    `${input.linkText}: ${input.link}`,
    "",
    `${COMPANY} RMA desk`,
  ].join("\n");
  const body = html`<p>Dear ${input.name},</p>
${input.paragraphs.map((p) => html`<p>${p}</p>`)}
<p><a href="${input.link}">${input.linkText}</a></p>`;
  return { subject: input.subject, text, html: layout(input.subject, body) };
}

export interface RmaEmailContext {
  name: string;
  rmaNumber: string;
  model: string;
  serialNumber: string;
  /** Absolute signed link to the RMA's page. */
  link: string;
}

export function cancelledByCustomer(c: RmaEmailContext & { reason: string }): EmailContent {
  return rmaNotice({
    ...c,
    subject: `RMA ${c.rmaNumber} cancelled`,
    paragraphs: [
      `as you asked, RMA ${c.rmaNumber} (${c.model}, serial ${c.serialNumber}) is cancelled. Please do not ship this unit under this number.`,
      `Your reason: ${c.reason}`,
      "If you still need to return the unit later, request a new RMA on the portal.",
    ],
    linkText: "See the RMA",
  });
}

export function cancellationRequested(c: RmaEmailContext & { reason: string; statusLabel: string }): EmailContent {
  return rmaNotice({
    ...c,
    subject: `Cancellation request received for ${c.rmaNumber}`,
    paragraphs: [
      `we have received your request to cancel RMA ${c.rmaNumber} (${c.model}, serial ${c.serialNumber}).`,
      `The unit is already with us (${c.statusLabel.toLowerCase()}), so a cancellation may or may not be possible at this stage. Our staff will decide and write to you.`,
      `Your reason: ${c.reason}`,
    ],
    linkText: "Follow the RMA",
  });
}

export function staffCancellationNotice(input: {
  rmaNumber: string;
  contact: string;
  email: string;
  reason: string;
  immediate: boolean;
  adminUrl: string;
}): EmailContent {
  const subject = input.immediate
    ? `RMA ${input.rmaNumber} cancelled by the customer`
    : `Cancellation request for ${input.rmaNumber}: please decide`;
  const lead = input.immediate
    ? `${input.contact} <${input.email}> cancelled ${input.rmaNumber}.`
    : `${input.contact} <${input.email}> asks to cancel ${input.rmaNumber}, which is already with us. Grant or decline it on the RMA's page.`;
  const text = [lead, `Reason: ${input.reason}`, input.adminUrl].join("\n");
  const body = html`<p>${lead}</p><p>Reason: ${input.reason}</p><p><a href="${input.adminUrl}">${input.rmaNumber} in the admin</a></p>`;
  return { subject, text, html: layout(subject, body) };
}

export function expiredNotice(c: RmaEmailContext & { requestAgainLink: string }): EmailContent {
  const content = rmaNotice({
    ...c,
    link: c.requestAgainLink,
    subject: `RMA ${c.rmaNumber} has expired: a new request is needed`,
    paragraphs: [
      `we have not received the unit for RMA ${c.rmaNumber} (${c.model}, serial ${c.serialNumber}) within 30 days of its authorisation, so this RMA number has expired and can no longer be used.`,
      "If you still want to return the unit, please request a new RMA: the form opens with this unit and your details already filled in. A parcel that arrives with an expired RMA number may be refused.",
      `The expired RMA stays visible here: ${c.link}`,
    ],
    linkText: "Request a new RMA",
  });
  return content;
}

export function expiryReminder(c: RmaEmailContext & { shipBy: string; printLink: string }): EmailContent {
  return rmaNotice({
    ...c,
    link: c.printLink,
    subject: `Reminder: RMA ${c.rmaNumber} expires on ${c.shipBy}`,
    paragraphs: [
      `RMA ${c.rmaNumber} (${c.model}, serial ${c.serialNumber}) is authorised, but we have not received the unit yet. The RMA number is valid until ${c.shipBy}: the unit must reach us by then.`,
      `Print the RMA form and parcel label, write the RMA number on the parcel and its shipping documents, and send it to ${RECEIVING_ADDRESS} (FCA, Incoterms 2020, at your expense and risk).`,
      `If you no longer need to return it, you can cancel the RMA on its page: ${c.link}`,
    ],
    linkText: "Print the RMA form and label",
  });
}

export function cancellationNotPossible(c: RmaEmailContext & { why: string }): EmailContent {
  return rmaNotice({
    ...c,
    subject: `${c.rmaNumber} cannot be cancelled`,
    paragraphs: [`you asked to cancel ${c.why}`],
    linkText: "See the RMA",
  });
}
