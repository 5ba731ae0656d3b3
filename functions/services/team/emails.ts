/**
 * The team desk's emails (invitation, password reset), in the invited person's desk language. Kept here
 * until the lead folds them into the one email renderer.
 */

import type { Role } from "../../domain/roles.ts";
import { escapeHtml } from "../../email/html.ts";
import type { OutgoingEmail } from "../../email/outbox.ts";
import { type Locale, t } from "../../i18n/index.ts";

/** Outbox rows of team emails carry this dedupe-key prefix: the outbox shows their text to admins only. */
export const TEAM_EMAIL_PREFIX = "team:";

function textToHtml(text: string, lang: Locale): string {
  const body = text
    .split("\n\n")
    .map(
      (p) =>
        `<p>${escapeHtml(p)
          .replace(/\n/g, "<br>")
          .replace(/(https?:\/\/\S+)/g, '<a href="$1">$1</a>')}</p>`,
    )
    .join("");
  return `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif">${body}</body></html>`;
}

export function teamLinkEmail(input: {
  kind: "invite" | "reset";
  to: string;
  locale: Locale;
  by: string;
  role: Role;
  url: string;
  /** Unique per link. */
  key: string;
}): OutgoingEmail {
  const { locale } = input;
  const subject = t(locale, input.kind === "invite" ? "team.email.inviteSubject" : "team.email.resetSubject");
  const text = t(locale, input.kind === "invite" ? "team.email.inviteText" : "team.email.resetText", {
    by: input.by,
    role: t(locale, `team.roles.${input.role}`),
    url: input.url,
  });
  return { to: input.to, subject, text, html: textToHtml(text, locale), dedupeKey: `${TEAM_EMAIL_PREFIX}${input.key}` };
}
