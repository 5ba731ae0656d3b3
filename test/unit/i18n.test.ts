/** The message catalogues (content/<locale>/ui.json) and the one `t()` that reads them. */
import { describe, expect, it } from "vitest";
import { CATALOGUES, LOCALES, preferredLocales, SAME_IN_EVERY_LANGUAGE, t, translator } from "../../functions/i18n/index.ts";
import { localizedPath, localizeLinks, splitLocale } from "../../functions/i18n/paths.ts";

/** Every message of a catalogue by its dotted key (a plural message's forms as `key#one`, `key#other`…). */
function messages(node: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else if (v && typeof v === "object" && "other" in v)
      for (const [form, text] of Object.entries(v)) out.set(`${key}#${form}`, String(text));
    else for (const [kk, vv] of messages(v, key)) out.set(kk, vv);
  }
  return out;
}

describe("the message catalogues", () => {
  const english = messages(CATALOGUES.en);

  it("have every English key in every language, and no other", () => {
    const plain = (m: Map<string, string>) => [...new Set([...m.keys()].map((k) => k.split("#")[0]))].sort();
    for (const locale of LOCALES) expect(plain(messages(CATALOGUES[locale])), locale).toEqual(plain(english));
  });

  it("have no empty message, and none equal to English unless marked the same on purpose", () => {
    for (const locale of LOCALES) {
      for (const [key, text] of messages(CATALOGUES[locale])) {
        expect(text.trim(), `${locale} ${key}`).not.toBe("");
        if (locale === "en" || SAME_IN_EVERY_LANGUAGE.has(key.split("#")[0] as never)) continue;
        if (english.has(key)) expect(text, `${locale} ${key} is still English`).not.toBe(english.get(key));
      }
    }
  });

  it("name the same {parameters} in every language", () => {
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const locale of LOCALES)
      for (const [key, text] of messages(CATALOGUES[locale])) {
        const en = english.get(key) ?? english.get(`${key.split("#")[0]}#other`);
        if (en !== undefined) expect(params(text), `${locale} ${key}`).toEqual(params(en));
      }
  });

  it("lists as the same on purpose only messages that are the same", () => {
    for (const key of SAME_IN_EVERY_LANGUAGE)
      for (const locale of LOCALES) expect(t(locale, key), `${locale} ${key}`).toBe(t("en", key));
  });
});

describe("t()", () => {
  it("reads a message by its dotted key in the locale", () => {
    expect(t("en", "faq.title")).toBe("Frequently asked questions");
    expect(t("it", "faq.title")).toBe("Domande frequenti");
    expect(t("de", "nav.home")).toBe("Startseite");
  });

  it("fills in parameters and chooses the plural form with Intl.PluralRules", () => {
    expect(t("en", "search.results", { count: 1, query: "warranty" })).toBe("1 result for “warranty”");
    expect(t("en", "search.results", { count: 3, query: "warranty" })).toBe("3 results for “warranty”");
    expect(t("it", "search.results", { count: 1, query: "garanzia" })).toBe("1 risultato per «garanzia»");
    expect(t("it", "search.results", { count: 1200, query: "garanzia" })).toBe("1200 risultati per «garanzia»");
    expect(t("de", "search.results", { count: 2, query: "Garantie" })).toBe("2 Treffer für „Garantie“");
  });

  it("formats dates and numbers for the locale", () => {
    const day = new Date("2026-11-30T23:30:00Z");
    expect(translator("en").date(day)).toBe("30 November 2026");
    expect(translator("it").date(day)).toBe("30 novembre 2026");
    expect(translator("de").date(day)).toBe("30. November 2026");
    expect(translator("de").date("2026-03-05", "short")).toBe("05.03.2026");
    expect(translator("en").number(1234.5)).toBe("1,234.5");
    expect(translator("it").number(12345.5)).toBe("12.345,5");
    expect(translator("de").money(1234.5)).toBe("1.234,50\u00a0€");
  });

  it("refuses a key no catalogue has (the type system refuses it first)", () => {
    // @ts-expect-error: not a message key
    expect(() => t("it", "no.such.key")).toThrow(/no message/);
  });
});

describe("Accept-Language", () => {
  it("ranks the portal's languages by the header's weights, regions ignored", () => {
    expect(preferredLocales("it-IT,it;q=0.9,en;q=0.8")).toEqual(["it", "en"]);
    expect(preferredLocales("fr-FR, de-CH;q=0.7, en;q=0.9")).toEqual(["en", "de"]);
    expect(preferredLocales("de;q=0, it")).toEqual(["it"]);
    expect(preferredLocales(null)).toEqual([]);
  });
});

describe("paths in each language", () => {
  it("prefixes pages that exist in the language and keeps the English path of the others", () => {
    expect(localizedPath("it", "/")).toBe("/it");
    expect(localizedPath("de", "/faq#warranty-period")).toBe("/de/faq#warranty-period");
    expect(localizedPath("it", "/policies/warranty")).toBe("/it/policies/warranty");
    expect(localizedPath("de", "/rma/new")).toBe("/de/rma/new");
    expect(localizedPath("it", "/rma/RMA-26-048173-V?t=abc")).toBe("/it/rma/RMA-26-048173-V?t=abc");
    expect(localizedPath("it", "/status")).toBe("/it/status");
    expect(localizedPath("it", "/admin")).toBe("/admin");
    expect(localizedPath("en", "/faq")).toBe("/faq");
    expect(localizedPath("it", "https://example.com/faq")).toBe("https://example.com/faq");
  });

  it("finds the language and English path of a URL path", () => {
    expect(splitLocale("/it")).toEqual({ locale: "it", path: "/" });
    expect(splitLocale("/de/policies/warranty")).toEqual({ locale: "de", path: "/policies/warranty" });
    expect(splitLocale("/italy")).toEqual({ locale: "en", path: "/italy" });
  });

  it("points the links of translated Markdown at the pages of its language", () => {
    const html = '<p><a href="/faq#x">a</a> <a href="/admin">b</a> <a href="https://x.example/faq">c</a></p>';
    expect(localizeLinks("de", html)).toBe(
      '<p><a href="/de/faq#x">a</a> <a href="/admin">b</a> <a href="https://x.example/faq">c</a></p>',
    );
    expect(localizeLinks("en", html)).toBe(html);
  });
});
