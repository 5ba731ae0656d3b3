/** The English detector the language tests use (test/support/english.ts) finds English and only English. */
import { describe, expect, it } from "vitest";
import { CATALOGUES } from "../../functions/i18n/index.ts";
import { englishLeft } from "../support/english.ts";

function allText(node: unknown): string[] {
  if (typeof node === "string") return [node];
  return Object.values(node as Record<string, unknown>).flatMap(allText);
}

describe("englishLeft", () => {
  it("finds an English sentence inside Italian or German text", () => {
    expect(englishLeft("Gentile cliente, la sua RMA è autorizzata. Please print the form and ship it to us.")).toEqual([
      "please print the form and ship it to us",
    ]);
    expect(englishLeft("Sehr geehrte Kundin, we have received your unit.")).toHaveLength(1);
  });

  it("finds none in the Italian and German catalogues, in names, addresses and links", () => {
    for (const locale of ["it", "de"] as const)
      for (const text of allText(CATALOGUES[locale])) expect(englishLeft(text), `${locale}: ${text}`).toEqual([]);
    expect(englishLeft("Alkeria Celera One GigE Vision, FCA (Incoterms 2020), https://example.com/the/and/your?x=of")).toEqual(
      [],
    );
  });
});
