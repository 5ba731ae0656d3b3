/**
 * The emails staff actions send: authorisation with the shipping instructions, rejection, receipt,
 * diagnosis, quote, shipment, cancellation decisions, and the staff notice of a quote answer. Each is
 * written once as blocks and rendered to plain text and to HTML in which every value is escaped.
 */
import { formatEuros, type QuoteLine } from "../domain/quote.ts";
import { RECEIVING_ADDRESS } from "../domain/receiving.ts";
import { html, type RawHtml } from "./html.ts";
import { type EmailContent, layout, warrantyLine } from "./templates.ts";

const SIGNATURE = "Alkeria RMA desk";

type Part = string | { href: string; text: string } | { strong: string };
type Block = { p: Part[] } | { h: string } | { ul: Part[][] } | { ol: Part[][] };

export interface MailUnit {
  rmaNumber: string;
  model: string;
  serialNumber: string;
}

const unitText = (u: MailUnit) => `${u.rmaNumber}: ${u.model}, serial ${u.serialNumber}`;

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

/** Renders the blocks as plain text and as HTML, with the greeting and signature around them. */
function letter(subject: string, name: string | null, blocks: Block[]): EmailContent {
  const all: Block[] = [...(name ? [{ p: [`Dear ${name},`] }] : []), ...blocks, { p: [SIGNATURE] }];
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
  return { subject, text, html: layout(subject, html`${body}`) };
}

const noteBlock = (note: string | null | undefined, label = "A note from our staff"): Block[] =>
  note ? [{ p: [`${label}: `, { strong: note }] }] : [];

const numbers = (units: MailUnit[]) => units.map((u) => u.rmaNumber).join(", ");

export interface AuthorizedUnit extends MailUnit {
  warranty: { covered: boolean; until: string };
  /** Absolute signed link to the printable RMA form and parcel label. */
  printUrl: string;
}

/** "Alkeria will respond with RMA number(s) and a list of units authorized for return, and return shipping instructions." */
export function authorizationEmail(input: {
  name: string;
  units: AuthorizedUnit[];
  shipBy: string;
  note?: string | undefined;
}): EmailContent {
  const one = input.units.length === 1;
  return letter(`RMA authorised: ${numbers(input.units)} — ship by ${input.shipBy}`, input.name, [
    {
      p: [
        one
          ? "we have authorised the return of the unit below. Its RMA number is valid for 30 days:"
          : `we have authorised the return of these ${input.units.length} units. Each has its own RMA number, valid for 30 days:`,
      ],
    },
    {
      ul: input.units.map((u) => [
        { strong: u.rmaNumber },
        `: ${u.model}, serial ${u.serialNumber}. Warranty: ${warrantyLine(u.warranty)}. `,
        { href: u.printUrl, text: "Print the RMA form and parcel label" },
      ]),
    },
    ...noteBlock(input.note),
    { h: "Shipping instructions" },
    {
      ol: [
        ["Print the RMA form and check everything on it; put it in the parcel."],
        [
          "Write the RMA number on the outside of the parcel and on the shipping documents. A parcel without its RMA number may be refused and sent back.",
        ],
        ["Send only the units listed above: material not authorised for return may be refused."],
        ["Any sturdy box will do: we do not supply packing material."],
        [
          "Shipping to us is at your expense and risk, in accordance with FCA (Incoterms 2020). We do not accept returns at the recipient's expense.",
        ],
        ["Ship to: ", { strong: `Alkeria S.r.l., ${RECEIVING_ADDRESS}` }],
        [
          "The parcel must reach us by ",
          { strong: input.shipBy },
          ": an RMA number is valid for 30 days from authorisation. After that you need a new RMA number.",
        ],
      ],
    },
  ]);
}

export function rejectionEmail(input: { name: string; unit: MailUnit; reason: string }): EmailContent {
  return letter(`RMA not authorised: ${input.unit.rmaNumber}`, input.name, [
    { p: ["we cannot authorise this return:"] },
    { ul: [[unitText(input.unit)]] },
    { p: ["The reason: ", { strong: input.reason }] },
    { p: ["Please do not ship the unit. Reply to this email if you have questions."] },
  ]);
}

export function cancelledByStaffEmail(input: { name: string; unit: MailUnit; reason: string }): EmailContent {
  return letter(`RMA cancelled: ${input.unit.rmaNumber}`, input.name, [
    { p: ["as you asked, we have cancelled this RMA:"] },
    { ul: [[unitText(input.unit)]] },
    { p: ["Reason: ", { strong: input.reason }] },
    { p: ["Do not ship the unit under this RMA number. If you need to return it later, request a new RMA."] },
  ]);
}

export function receivedEmail(input: {
  name: string;
  unit: MailUnit;
  receivedOn: string;
  condition?: string | undefined;
  covered: boolean;
}): EmailContent {
  return letter(`We have received your unit: ${input.unit.rmaNumber}`, input.name, [
    { p: [`your parcel arrived at our service centre on ${input.receivedOn}:`] },
    { ul: [[unitText(input.unit)]] },
    ...noteBlock(input.condition, "Its condition on arrival"),
    {
      p: [
        input.covered
          ? "Our technicians will now diagnose it and confirm the warranty, which covers manufacturing defects only. We will email you the outcome."
          : "Our technicians will now diagnose it. It is not under warranty: we will send you a quote before any repair starts.",
      ],
    },
  ]);
}

export function warrantyConfirmedEmail(input: { name: string; unit: MailUnit; note?: string | undefined }): EmailContent {
  return letter(`Repair under warranty: ${input.unit.rmaNumber}`, input.name, [
    { p: ["our technicians have confirmed that the warranty covers this fault, and the repair has started:"] },
    { ul: [[unitText(input.unit)]] },
    ...noteBlock(input.note),
    {
      p: [
        "The repair is free of charge, and we ship the unit back at our expense (CPT). We will email you the tracking details.",
      ],
    },
  ]);
}

export function warrantyRefusedEmail(input: { name: string; unit: MailUnit; reason: string }): EmailContent {
  return letter(`Warranty not applicable: ${input.unit.rmaNumber}`, input.name, [
    {
      p: [
        "our technicians have examined the unit below. The warranty covers manufacturing defects only, and this fault is not one:",
      ],
    },
    { ul: [[unitText(input.unit)]] },
    { p: ["What they found: ", { strong: input.reason }] },
    { p: ["We will send you a quote for the repair. Nothing is done until you accept it."] },
  ]);
}

export function quoteEmail(input: {
  name: string;
  unit: MailUnit;
  lines: QuoteLine[];
  totalCents: number;
  link: string;
  why: string;
  note?: string | undefined;
}): EmailContent {
  return letter(`Repair quote for ${input.unit.rmaNumber}: ${formatEuros(input.totalCents)}`, input.name, [
    { p: ["here is our quote for repairing this unit:"] },
    { ul: [[unitText(input.unit)]] },
    { p: [input.why] },
    {
      ul: [
        ...input.lines.map((l) => [`${l.label}: ${formatEuros(l.cents)}`]),
        [{ strong: `Total: ${formatEuros(input.totalCents)}` }],
      ],
    },
    ...noteBlock(input.note),
    { p: [{ href: input.link, text: "Accept or decline the quote online" }] },
    {
      p: [
        "If you accept, we repair the unit and ship it back. If you decline, we send it back to you unrepaired. We start nothing until you answer.",
      ],
    },
  ]);
}

export function quoteAnsweredStaffEmail(input: {
  unit: MailUnit;
  decision: "accepted" | "declined";
  totalCents: number;
  customer: string;
  adminUrl: string;
}): EmailContent {
  const next =
    input.decision === "accepted" ? "The RMA is now repairing." : "The RMA is now returning: send the unit back unrepaired.";
  return letter(`Quote ${input.decision}: ${input.unit.rmaNumber} (${formatEuros(input.totalCents)})`, null, [
    { p: [`${input.customer} ${input.decision} the quote of ${formatEuros(input.totalCents)} for ${unitText(input.unit)}.`] },
    { p: [next, " ", { href: input.adminUrl, text: "Open the RMA" }] },
  ]);
}

export function repairFinishedEmail(input: { name: string; unit: MailUnit; address: string }): EmailContent {
  return letter(`Repair complete: ${input.unit.rmaNumber}`, input.name, [
    { p: ["the repair of this unit is complete:"] },
    { ul: [[unitText(input.unit)]] },
    { p: ["We are preparing the return shipment to ", { strong: input.address }, ". We will email you the tracking details."] },
  ]);
}

export function shippedEmail(input: {
  name: string;
  unit: MailUnit;
  carrier: string;
  trackingNumber: string;
  address: string;
  covered: boolean;
}): EmailContent {
  return letter(`Your unit is on its way back: ${input.unit.rmaNumber}`, input.name, [
    { p: ["we have shipped this unit back to you:"] },
    { ul: [[unitText(input.unit)]] },
    {
      ul: [
        ["Carrier: ", { strong: input.carrier }],
        ["Tracking number: ", { strong: input.trackingNumber }],
        ["To: ", input.address],
      ],
    },
    {
      p: [
        input.covered
          ? "Under warranty the return shipping is at our expense (CPT)."
          : "The return shipping is charged as in the quote you received.",
      ],
    },
  ]);
}

export function cancellationGrantedEmail(input: {
  name: string;
  unit: MailUnit;
  outcome: "cancelled" | "returning";
  note?: string | undefined;
}): EmailContent {
  return letter(`Cancellation accepted: ${input.unit.rmaNumber}`, input.name, [
    { p: ["we have accepted your request to cancel this RMA:"] },
    { ul: [[unitText(input.unit)]] },
    {
      p: [
        input.outcome === "cancelled"
          ? "The RMA is cancelled: we will not work on the unit."
          : "We will not repair the unit: we send it back to your return address unrepaired and email you the tracking details.",
      ],
    },
    ...noteBlock(input.note),
  ]);
}

export function cancellationRefusedEmail(input: { name: string; unit: MailUnit; reason: string }): EmailContent {
  return letter(`Cancellation not possible: ${input.unit.rmaNumber}`, input.name, [
    { p: ["we cannot cancel this RMA at its current stage:"] },
    { ul: [[unitText(input.unit)]] },
    { p: ["The reason: ", { strong: input.reason }] },
    { p: ["Reply to this email if you have questions."] },
  ]);
}
