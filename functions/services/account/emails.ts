/**
 * The sign-in email, in the language the link was asked for (the catalogue's `account.email.*`), as an
 * outbox row's content. The lead folds it into the one email renderer at merge.
 */
import { html } from "../../email/html.ts";
import { layout } from "../../email/letters.ts";
import { type Locale, translator } from "../../i18n/index.ts";
import { SIGN_IN_LINK_MINUTES } from "./limits.ts";

export interface SignInEmailContent {
  subject: string;
  text: string;
  html: string;
}

export function signInEmail(locale: Locale, link: string): SignInEmailContent {
  const { t } = translator(locale);
  const subject = t("account.email.subject");
  const valid = t("account.email.valid", { minutes: SIGN_IN_LINK_MINUTES });
  const text = [
    t("account.email.greeting"),
    "",
    t("account.email.body"),
    "",
    link,
    "",
    valid,
    t("account.email.notYou"),
    "",
    t("account.email.signature"),
  ].join("\n");
  const body = html`<p>${t("account.email.greeting")}</p>
<p>${t("account.email.body")}</p>
<p><a href="${link}" style="display:inline-block;background:#0b4f8a;color:#fff;padding:10px 16px;border-radius:4px;text-decoration:none">${t("account.email.button")}</a></p>
<p style="font-size:13px">${link}</p>
<p>${valid} ${t("account.email.notYou")}</p>`;
  return { subject, text, html: layout(subject, body, locale) };
}
