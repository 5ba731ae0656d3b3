/** Words chosen at the edge: a `Text` (key + params) said in the reader's locale, and errors carrying them. */
import { describe, expect, it } from "vitest";
import { ApiError, Refusal } from "../../functions/errors.ts";
import { encodeText, say, sayAll, text } from "../../functions/i18n/text.ts";

describe("say()", () => {
  it("says a Text in each locale, its Text parameters in the same locale", () => {
    const label = text("rma.status.received");
    expect(say("en", label)).toBe("Received at our service centre");
    expect(say("it", label)).toBe("Ricevuta presso il nostro centro assistenza");
    expect(say("de", label)).toBe("In unserem Servicezentrum eingegangen");
    expect(say("it", text("search.results", { count: 2, query: text("nav.faq") }))).toBe("2 risultati per «Domande frequenti»");
  });

  it("passes plain strings through and decodes encoded Texts (zod messages carry only strings)", () => {
    expect(say("it", "RMA-2026-000001")).toBe("RMA-2026-000001");
    const encoded = encodeText(text("rma.status.closed"));
    expect(encoded).not.toContain("Closed");
    expect(say("de", encoded)).toBe("Abgeschlossen");
    expect(sayAll("it", { a: encoded, b: "as typed" })).toEqual({ a: "Chiusa", b: "as typed" });
  });
});

describe("errors", () => {
  it("keep one code and say their message and fields in the reader's locale", () => {
    const err = new Refusal("not_found", text("rma.status.expired"), { reason: encodeText(text("rma.status.cancelled")) });
    expect(err.message).toBe("Expired: not received in time");
    expect(err.toBody("it")).toEqual({
      error: { code: "not_found", message: "Scaduta: unità non ricevuta in tempo", fields: { reason: "Annullata" } },
    });
    expect(err.toBody("de").error.code).toBe(err.toBody("en").error.code);
    expect(new ApiError(500, "internal", "as it is").toBody("de").error.message).toBe("as it is");
  });
});
