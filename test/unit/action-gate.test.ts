import { describe, expect, it } from "vitest";
import { type ActionableRma, actionRefusal, availableActions } from "../../functions/domain/staff-actions.ts";
import { STAFF_ACTIONS } from "../../functions/domain/staff-input.ts";
import { RMA_STATUSES, type RmaStatus } from "../../functions/domain/status.ts";
import type { Locale } from "../../functions/i18n/index.ts";
import { say } from "../../functions/i18n/text.ts";

const NOW = new Date("2026-11-25T09:00:00.000Z");
const rma = (status: RmaStatus, more: Partial<ActionableRma> = {}): ActionableRma => ({
  rmaNumber: "RMA-26-048173-V",
  status,
  validUntil: status === "authorized" ? "2026-12-25T23:59:59.999Z" : null,
  warrantyCovered: true,
  cancellationRequestedAt: null,
  quoteDecision: null,
  quoteAnsweredAt: null,
  ...more,
});
/** The refusal's words, as a staff member working in `locale` reads them. */
const said = (refusal: ReturnType<typeof actionRefusal>, locale: Locale = "en") => (refusal ? say(locale, refusal.words) : null);
const codeOf = (...args: Parameters<typeof actionRefusal>) => actionRefusal(...args)?.code ?? null;

describe("the gate for staff actions", () => {
  it("allows exactly the actions it offers, for every status", () => {
    for (const status of RMA_STATUSES)
      for (const covered of [true, false])
        for (const asked of [null, "2026-11-20T10:00:00.000Z"]) {
          const r = rma(status, { warrantyCovered: covered, cancellationRequestedAt: asked });
          const offered = availableActions(r, NOW);
          for (const action of STAFF_ACTIONS.filter((a) => a !== "authorize-all"))
            expect(actionRefusal(action, r, NOW) === null, `${action} on ${status}`).toBe(offered.includes(action));
        }
  });

  it("says why, with the code the API answers", () => {
    expect(actionRefusal("authorize", rma("received"), NOW)).toMatchObject({ code: "transition_refused", reason: "lifecycle" });
    expect(said(actionRefusal("authorize", rma("received"), NOW))).toBe(
      "An RMA that is received can move to repairing or quoted, not to authorized.",
    );
    const lapsed = rma("authorized", { validUntil: "2026-11-01T23:59:59.999Z" });
    for (const action of ["authorize", "cancel", "receive"] as const) expect(codeOf(action, lapsed, NOW)).toBe("rma_expired");
    expect(said(actionRefusal("receive", lapsed, NOW))).toMatch(/Do not accept a parcel under this number/);
    expect(said(actionRefusal("confirm-warranty", rma("quoted"), NOW))).toMatch(/decided at diagnosis/);
    expect(said(actionRefusal("confirm-warranty", rma("received", { warrantyCovered: false }), NOW))).toMatch(
      /not covered by warranty can move to quoted/,
    );
    expect(codeOf("refuse-warranty", rma("received", { warrantyCovered: false }), NOW)).toBe("not_covered");
    expect(codeOf("quote", rma("received"), NOW)).toBe("covered_by_warranty");
    expect(said(actionRefusal("finish-repair", rma("quoted"), NOW))).toMatch(/only once the customer accepts the quote/);
    expect(codeOf("grant-cancellation", rma("received"), NOW)).toBe("no_cancellation_request");
    expect(codeOf("grant-cancellation", rma("shipped", { cancellationRequestedAt: "2026-11-20T10:00:00.000Z" }), NOW)).toBe(
      "too_late_to_cancel",
    );
    const answered = actionRefusal(
      "record-quote-answer",
      rma("repairing", { quoteDecision: "accepted", quoteAnsweredAt: "2026-11-24T08:00:00.000Z" }),
      NOW,
    );
    expect(said(answered)).toBe("This quote was already answered on 2026-11-24: it was accepted.");
    // The same refusal in an Italian staff member's words.
    expect(said(answered, "it")).toBe("Questo preventivo ha già avuto risposta il 2026-11-24: è stato accettato.");
    expect(said(actionRefusal("authorize", rma("received"), NOW), "it")).toBe(
      "Una RMA nello stato «ricevuta» può passare a «in riparazione» o «preventivata», non a «autorizzata».",
    );
    expect(codeOf("record-quote-answer", rma("received"), NOW)).toBe("no_quote_waiting");
  });

  it("offers authorise all for a request of several units while one waits", () => {
    expect(availableActions(rma("requested"), NOW, { units: 3, waiting: 2 })).toEqual([
      "authorize",
      "authorize-all",
      "reject",
      "cancel",
    ]);
    expect(availableActions(rma("authorized"), NOW, { units: 3, waiting: 1 })).toEqual(["authorize-all", "cancel", "receive"]);
    expect(availableActions(rma("requested"), NOW, { units: 1, waiting: 1 })).not.toContain("authorize-all");
    expect(codeOf("authorize-all", rma("authorized"), NOW, { units: 3, waiting: 0 })).toBe("nothing_to_authorize");
  });
});
