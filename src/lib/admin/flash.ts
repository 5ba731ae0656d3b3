import { type Locale, type MessageKey, t } from "@/functions/i18n/index.ts";

/** The confirmation shown after an action succeeded and the page redirected to itself (`?done=...`), in the desk's language. */
const MESSAGES: Record<string, MessageKey> = {
  authorized: "desk.flash.authorized",
  "authorized-all": "desk.flash.authorized-all",
  rejected: "desk.flash.rejected",
  cancelled: "desk.flash.cancelled",
  received: "desk.flash.received",
  "warranty-confirmed": "desk.flash.warranty-confirmed",
  "warranty-refused": "desk.flash.warranty-refused",
  quoted: "desk.flash.quoted",
  accepted: "desk.flash.accepted",
  declined: "desk.flash.declined",
  repaired: "desk.flash.repaired",
  shipped: "desk.flash.shipped",
  closed: "desk.flash.closed",
  "cancellation-granted": "desk.flash.cancellation-granted",
  "cancellation-refused": "desk.flash.cancellation-refused",
  "settings-saved": "desk.flash.settings-saved",
  "import-cancelled": "desk.flash.import-cancelled",
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
  const n = (key: string) => Number(params.get(key) ?? 0) || 0;
  const email = (params.get("email") ?? "").slice(0, 254);
  if (done === "invited") return t(locale, "team.staffPage.invitedDone", { email });
  if (done === "reset-sent") return t(locale, "team.staffPage.resetDone", { email });
  if (done === "imported") return t(locale, "desk.flash.imported", { added: n("added"), changed: n("changed") });
  if (done === "retried") return t(locale, "desk.flash.retried", { count: n("sent"), failed: n("failed") });
  const key = MESSAGES[done];
  return key ? t(locale, key) : null;
}
