/**
 * Every page of the shared table (test/support/pages.ts) in Italian and German, as the built Worker serves
 * it to Chromium, with real RMAs (an authorised unit and a quoted one of the same request): the page says
 * it is in that language, and no English sentence is left in what a visitor reads (`englishLeft`), nor in
 * the printed RMA form and parcel label (Chromium's PDF read back with unpdf). The on-demand pages keep the
 * customer on the same page, signed link included, when switching language.
 *
 * The states whose words are the server's refusal messages (a form posted with errors, a link not valid)
 * are checked in test/browser/request-form-it-server.test.ts, which passes once those messages are localised.
 */
import { extractText } from "unpdf";
import { beforeAll, describe, expect, it } from "vitest";
import { englishLeft } from "../support/english.ts";
import { isRefusalState, pageWords, translatedTargets } from "../support/page-words.ts";
import { contextFor, openTarget, type PageFixtures, pageFixtures, pageTargets } from "../support/pages.ts";
import { freshUnits } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

/** A fault description in no language (the customer's own words are shown as typed, in whatever language). */
const NEUTRAL_DESCRIPTION = "Sensore CMOS 2048×1536 — codice E42 / E43, 24 V DC, GigE 1000BASE-T (SDK 4.2.1).";

let f: PageFixtures;
const stack = useStack({ chromium: true });
beforeAll(async () => {
  f = await pageFixtures(stack.worker.url, stack.db.url, freshUnits(2), { description: NEUTRAL_DESCRIPTION });
});

describe("every page of the table in Italian and German", () => {
  it("is in its language, with no English sentence left", async () => {
    const targets = translatedTargets(pageTargets()).filter(({ target }) => !isRefusalState(target));
    // 9 static and 7 on-demand pages in each language, and the 11 pages and states of My returns.
    expect(targets).toHaveLength(54);
    const found: string[] = [];
    for (const { target, locale } of targets) {
      const context = await contextFor(stack.browser, target, f, stack.worker.url);
      const page = await context.newPage();
      const arrival = await openTarget(page, target, stack.worker.url, f);
      if (arrival) found.push(`${target.name}: ${arrival}`);
      const lang = await page.evaluate(() => document.documentElement.lang);
      if (lang !== locale) found.push(`${target.name}: <html lang="${lang}">`);
      for (const english of englishLeft(await pageWords(page))) found.push(`${target.name}: "${english}"`);
      await context.close();
    }
    expect(found).toEqual([]);
  });
});

describe("the printed RMA form and parcel label", () => {
  for (const [locale, cut] of [
    ["it", "Ritagli lungo la linea tratteggiata"],
    ["de", "Entlang der gestrichelten Linie ausschneiden"],
  ] as const) {
    it(`is all ${locale === "it" ? "Italian" : "German"} in the PDF, the legal terms included`, async () => {
      const context = await stack.browser.newContext();
      const page = await context.newPage();
      const res = await page.goto(`${stack.worker.url}/${locale}${f.printLink}`);
      expect(res?.status()).toBe(200);
      await page.emulateMedia({ media: "print" });
      const pdf = await page.pdf({ format: "A4", printBackground: true });
      const { text } = await extractText(new Uint8Array(pdf), { mergePages: true });
      expect(text).toContain(f.rmaNumber);
      expect(text).toContain(cut);
      expect(text).toContain("FCA (Incoterms 2020)");
      expect(englishLeft(text)).toEqual([]);
      await context.close();
    });
  }
});

describe("the on-demand pages' addresses in every language", () => {
  it("offer the same RMA, signed link kept, in every language (switcher and hreflang), and mark the current one", async () => {
    const res = await fetch(`${stack.worker.url}/it${f.rmaLink}`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('<html lang="it"');
    const query = f.rmaLink.slice(f.rmaLink.indexOf("?")).replace(/&/g, "&amp;");
    const path = f.rmaLink.slice(0, f.rmaLink.indexOf("?"));
    for (const [l, href] of [
      ["en", `${path}${query}`],
      ["it", `/it${path}${query}`],
      ["de", `/de${path}${query}`],
    ] as const) {
      expect(body).toContain(`<a href="${href}" hreflang="${l}" lang="${l}"`);
      expect(body).toContain(`<link rel="alternate" hreflang="${l}" href="https://rma.alkeria.example${href}">`);
    }
    expect(body).toMatch(/<a href="\/it\/rma\/[^"]*" hreflang="it" lang="it" aria-current="true"/);
    // The page's own links stay in Italian, the print link with its token.
    expect(body).toContain(`href="/it${f.printLink.replace(/&/g, "&amp;")}"`);
  });

  it("leads from the Italian status page to the RMA's Italian page", async () => {
    const res = await fetch(`${stack.worker.url}/it/status`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: stack.worker.url },
      body: new URLSearchParams({ rmaNumber: f.rmaNumber, email: f.email }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/it${f.rmaLink}`);
  });

  it("answers 404 for a language the portal does not have, or English under a prefix", async () => {
    for (const path of ["/fr/status", "/en/rma/new", `/xx${f.rmaLink}`]) {
      const res = await fetch(`${stack.worker.url}${path}`);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
  });

  it("gives the German 404 page under /de", async () => {
    const res = await fetch(`${stack.worker.url}/de/rma/RMA-26-000000-X/nothing`);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).toContain('<html lang="de"');
    expect(body).toContain("Seite nicht gefunden");
  });
});
