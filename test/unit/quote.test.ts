import { describe, expect, it } from "vitest";
import { computeQuote, formatEuros, parseEuros, type QuoteAmounts } from "../../functions/domain/quote.ts";
import { type MessageKey, t } from "../../functions/i18n/index.ts";
import { sayAll } from "../../functions/i18n/text.ts";
import { quoteAnsweredNote, quoteSentNote, systemNote, UNREPAIRED_NOTE } from "../../functions/services/rma/issuing/notes.ts";

const amounts = (over: Partial<QuoteAmounts> = {}): QuoteAmounts => ({
  labourCents: 12_000,
  partsAndSuppliesCents: 4_550,
  handlingFeeCents: 0,
  returnShippingCents: 0,
  ...over,
});

describe("quote totals", () => {
  it("charges labour and parts only for a unit under warranty", () => {
    expect(computeQuote(amounts(), { covered: true })).toEqual({
      ok: true,
      quote: {
        lines: [
          { key: "labourCents", cents: 12_000 },
          { key: "partsAndSuppliesCents", cents: 4_550 },
        ],
        totalCents: 16_550,
      },
    });
  });

  it("charges all four amounts for a unit out of warranty", () => {
    const result = computeQuote(amounts({ handlingFeeCents: 2_500, returnShippingCents: 1_890 }), { covered: false });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.quote.lines.map((l) => [l.key, l.cents])).toEqual([
      ["labourCents", 12_000],
      ["partsAndSuppliesCents", 4_550],
      ["handlingFeeCents", 2_500],
      ["returnShippingCents", 1_890],
    ]);
    expect(result.quote.totalCents).toBe(20_940);
  });

  it("accepts a quote of zero", () => {
    const zero = amounts({ labourCents: 0, partsAndSuppliesCents: 0 });
    expect(computeQuote(zero, { covered: false })).toMatchObject({ ok: true, quote: { totalCents: 0 } });
  });
});

describe("quote refusals, each by its field", () => {
  it("refuses a handling fee or return shipping for a unit under warranty", () => {
    const result = computeQuote(amounts({ handlingFeeCents: 1, returnShippingCents: 1_500 }), { covered: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(sayAll("en", result.fields)).toEqual({
      handlingFeeCents: expect.stringMatching(/Handling fee must be 0 .* non-warranty units only/),
      returnShippingCents: expect.stringMatching(/Return shipping must be 0 .* we pay the return shipping \(CPT\)/),
    });
    expect(sayAll("it", result.fields)["returnShippingCents"]).toBe(
      "Il campo «Spedizione di ritorno» deve essere 0 per un'unità in garanzia: la spedizione di ritorno è a nostro carico (CPT).",
    );
  });

  it("refuses negative, fractional and absurd amounts", () => {
    const result = computeQuote(
      { labourCents: -1, partsAndSuppliesCents: 10.5, handlingFeeCents: 100_000_001, returnShippingCents: Number.NaN },
      { covered: false },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(sayAll("en", result.fields)).toEqual({
      labourCents: "Labour cannot be negative.",
      partsAndSuppliesCents: "Parts and supplies must be an amount in euros with at most two decimals.",
      handlingFeeCents: "Handling fee cannot be more than one million euros.",
      returnShippingCents: "Return shipping must be an amount in euros with at most two decimals.",
    });
  });

  it("accepts exactly one million euros", () => {
    expect(computeQuote(amounts({ labourCents: 100_000_000 }), { covered: false }).ok).toBe(true);
  });
});

describe("euros as typed and as shown", () => {
  it("reads amounts with a dot or a comma", () => {
    expect(parseEuros("12.50")).toBe(1250);
    expect(parseEuros("12,50")).toBe(1250);
    expect(parseEuros("12")).toBe(1200);
    expect(parseEuros("12.5")).toBe(1250);
    expect(parseEuros(" 0,05 ")).toBe(5);
    expect(parseEuros("€ 99.99")).toBe(9999);
  });

  it("refuses what is not an amount", () => {
    for (const text of ["", "abc", "-3", "12.345", "1.234,50", "1,234.50", "12.", ".5", "1e3", "12 50"]) {
      expect(parseEuros(text), text).toBeNull();
    }
  });

  it("shows amounts in English style", () => {
    expect(formatEuros(123_450)).toBe("€1,234.50");
    expect(formatEuros(5)).toBe("€0.05");
    expect(formatEuros(100_000_000)).toBe("€1,000,000.00");
    expect(formatEuros(-300)).toBe("-€3.00");
  });
});

describe("the quote's event notes, stored in English, said in the reader's words", () => {
  const sayIn = (locale: "en" | "it") => (key: string, params?: Record<string, string>) =>
    t(locale, `emails.timeline.${key}` as MessageKey, params);
  const sent = `${quoteSentNote("€208.50", "labour €120.00, parts and supplies €45.50")}. Chiamateci prima, grazie.`;

  it("says a sent quote's note, the staff member's own note kept as written", () => {
    expect(systemNote(sent, sayIn("it"))).toBe("Preventivo di €208.50 inviato. Chiamateci prima, grazie.");
    expect(systemNote(`${quoteSentNote("€1,208.50", "labour €1,208.50")}.`, sayIn("en"))).toBe("Quote of €1,208.50 sent.");
  });

  it("says an answered quote's note, online or recorded by staff", () => {
    const online = `${quoteAnsweredNote("€208.50", "accepted", false)}.`;
    expect(systemNote(online, sayIn("it"))).toBe("Preventivo di €208.50 accettato online dal cliente.");
    const declined = `${quoteAnsweredNote("€208.50", "declined", true)}. ${UNREPAIRED_NOTE}. Per telefono.`;
    expect(systemNote(declined, sayIn("it"))).toBe(
      "Preventivo di €208.50 rifiutato dal cliente (risposta registrata dal nostro personale). L'unità viene restituita senza riparazione. Per telefono.",
    );
  });

  it("leaves a note a person wrote as it is", () => {
    expect(systemNote("Quote of the day: be kind.", sayIn("it"))).toBeNull();
  });
});
