import { type Locale, type MessageKey, t } from "@/functions/i18n/index.ts";

/** The confirmation shown after an action succeeded and the page redirected to itself (`?done=...`). */
const MESSAGES: Record<string, string> = {
  authorized: "Authorised: the customer has been emailed the shipping instructions and the link to print the RMA form.",
  "authorized-all": "Every waiting unit of the request is authorised: one email lists them all.",
  rejected: "Rejected: the customer has been emailed the reason.",
  cancelled: "Cancelled: the customer has been told.",
  received: "Receipt recorded: the customer has been told.",
  "warranty-confirmed": "Warranty confirmed: the repair has started and the customer has been told.",
  "warranty-refused": "Warranty refused: the customer has been emailed the reason. Write the quote next.",
  quoted: "Quote sent: the customer can accept or decline it online.",
  accepted: "The quote is accepted: the unit is being repaired.",
  declined: "The quote is declined: the unit goes back unrepaired.",
  repaired: "Repair finished: the customer has been told. Ship the unit back next.",
  shipped: "Shipped: the customer has been emailed the carrier and tracking number.",
  closed: "Closed.",
  "cancellation-granted": "Cancellation granted: the customer has been told.",
  "cancellation-refused": "Cancellation refused: the customer has been emailed the reason.",
  "settings-saved": "Settings saved.",
  "import-cancelled": "Import cancelled: nothing was written.",
};

/** The team desk's confirmations, in the staff member's language. */
const TEAM_MESSAGES: Record<string, MessageKey> = {
  "note-added": "team.notes.added",
  assigned: "team.assignment.done",
  "role-saved": "team.staffPage.roleDone",
  disabled: "team.staffPage.disabledDone",
  enabled: "team.staffPage.enabledDone",
  "password-changed": "team.password.changed",
  "session-ended": "team.accountPage.ended",
  "language-saved": "team.accountPage.languageSaved",
};

export function flashMessage(params: URLSearchParams, locale: Locale = "en"): string | null {
  const done = params.get("done");
  if (!done) return null;
  const team = TEAM_MESSAGES[done];
  if (team) return t(locale, team);
  const email = (params.get("email") ?? "").slice(0, 254);
  if (done === "invited") return t(locale, "team.staffPage.invitedDone", { email });
  if (done === "reset-sent") return t(locale, "team.staffPage.resetDone", { email });
  const n = (key: string) => Number(params.get(key) ?? 0) || 0;
  if (done === "imported") return `Imported: ${n("added")} serial numbers added, ${n("changed")} changed.`;
  if (done === "retried")
    return `Sent ${n("sent")} email${n("sent") === 1 ? "" : "s"}; ${n("failed")} failed and stay in the outbox.`;
  return MESSAGES[done] ?? null;
}
