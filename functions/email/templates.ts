/**
 * The emails' words. Each returns a subject, a plain-text body and a simple HTML body in which every
 * value from a customer or staff member is escaped.
 */
import { html, type RawHtml, raw } from "./html.ts";

const COMPANY = "Alkeria";
const RECEIVING_ADDRESS = "Via Giuntini, 25 int. 36 - I-56021 Navacchio (PI) - ITALY";

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
