/**
 * The emails of a new message: to the customer (in the request's language) when staff write, to
 * STAFF_EMAIL when the customer writes, each with the message, how many files came with it and a link
 * back to the RMA's page. Words from the `files.*` catalogue keys; every value escaped in the HTML.
 */
import { html, raw } from "../../email/html.ts";
import type { EmailContent } from "../../email/letters.ts";
import { layout } from "../../email/letters.ts";
import { type Locale, translator } from "../../i18n/index.ts";

export interface MessageEmailInput {
  locale: Locale;
  rmaNumber: string;
  model: string;
  serialNumber: string;
  name: string;
  email: string;
  body: string;
  files: number;
  link: string;
}

function paragraphs(body: string) {
  return raw(
    body
      .split(/\r?\n/)
      .map((line) => html`${line}`.html)
      .join("<br>"),
  );
}

function compose(subject: string, intro: string, input: MessageEmailInput, linkLine: string, locale: Locale): EmailContent {
  const { t } = translator(locale);
  const attached = input.files > 0 ? t("files.emailAttached", { count: input.files }) : "";
  const quoted = input.body
    .split(/\r?\n/)
    .map((l) => `> ${l}`)
    .join("\n");
  const text = [intro, "", quoted, "", ...(attached ? [attached, ""] : []), linkLine, "", t("files.emailSignature")].join("\n");
  const body = html`<p>${intro}</p>
<blockquote style="border-left:3px solid #c8d0da;margin:0;padding:4px 12px;white-space:normal">${paragraphs(input.body)}</blockquote>
${attached ? html`<p>${attached}</p>` : ""}
<p><a href="${input.link}">${input.link}</a></p>`;
  return { subject, text, html: layout(subject, body, locale) };
}

/** Staff wrote: the customer is told, in the request's language. */
export function messageToCustomer(input: MessageEmailInput): EmailContent {
  const { t } = translator(input.locale);
  const p = { rmaNumber: input.rmaNumber, model: input.model, serialNumber: input.serialNumber, name: input.name };
  return compose(
    t("files.emailCustomerSubject", p),
    t("files.emailCustomerIntro", p),
    input,
    t("files.emailCustomerLink", { link: input.link }),
    input.locale,
  );
}

/** The customer wrote: the desk is told (in the desk's language, `locale`). */
export function messageToStaff(input: MessageEmailInput): EmailContent {
  const { t } = translator(input.locale);
  const p = {
    rmaNumber: input.rmaNumber,
    model: input.model,
    serialNumber: input.serialNumber,
    name: input.name,
    email: input.email,
  };
  return compose(
    t("files.emailStaffSubject", p),
    t("files.emailStaffIntro", p),
    input,
    t("files.emailStaffLink", { link: input.link }),
    input.locale,
  );
}
