import { describe, expect, it } from "vitest";
import { computeQuote, formatEuros, parseEuros, type QuoteAmounts } from "../../functions/domain/quote.ts";
import { sayAll } from "../../functions/i18n/text.ts";

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
