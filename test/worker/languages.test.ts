/**
 * The portal in English, Italian and German, as the built Worker serves it: the static pages under /it
 * and /de, and the offer of the visitor's language on the English home page (a link, never a redirect).
 */
import { describe, expect, it } from "vitest";
import { useStack } from "../support/worker.ts";

const stack = useStack({ chromium: true });
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.worker.url}${path}`, { headers, redirect: "manual" });

describe("the static pages in every language", () => {
  it("serves home, FAQ and policies under /it and /de in their language", async () => {
    for (const [path, lang, words] of [
      ["/it", "it", "Resi e riparazioni"],
      ["/de", "de", "Rücksendungen und Reparaturen"],
      ["/it/faq", "it", "Domande frequenti"],
      ["/de/policies/warranty", "de", "Garantie"],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      const body = await res.text();
      expect(body, path).toContain(`<html lang="${lang}"`);
      expect(body, path).toContain(words);
      expect(body, path).not.toMatch(/<script/i);
      expect(res.headers.get("content-security-policy"), path).toContain("script-src 'self'");
    }
  });

  it("answers an unknown page under /it with the 404 page in Italian", async () => {
    const res = await get("/it/no-such-page");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Pagina non trovata");
  });
});

describe("the first visit to / by a browser that prefers Italian or German", () => {
  it("is offered that language as a link, on the English page, without a redirect", async () => {
    for (const [accept, locale, text] of [
      ["it-IT,it;q=0.9,en;q=0.8", "it", "Leggi in italiano"],
      ["de-AT, de;q=0.9", "de", "Auf Deutsch lesen"],
    ] as const) {
      const res = await get("/", { "accept-language": accept });
      expect(res.status).toBe(200);
      expect(res.headers.get("vary")).toContain("Accept-Language");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      const body = await res.text();
      expect(body).toContain('<html lang="en"');
      expect(body).toMatch(
        new RegExp(`<p class="language-offer" lang="${locale}">[^<]*<a href="/${locale}" hreflang="${locale}">${text}</a>`),
      );
      expect(body).not.toMatch(/<script/i);
    }
  });

  it("does not ask again a visitor who came from the portal's own pages (e.g. chose English with the switcher)", async () => {
    const res = await get("/", { "accept-language": "it", referer: `${stack.worker.url}/it/faq` });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain("language-offer");
    const fromElsewhere = await get("/", { "accept-language": "it", referer: "https://search.example/?q=alkeria" });
    expect(await fromElsewhere.text()).toContain("language-offer");
  });

  it("answers other methods on / as the static files do (405), not with the page", async () => {
    const res = await fetch(`${stack.worker.url}/`, { method: "POST", headers: { "accept-language": "it" } });
    expect(res.status).toBe(405);
  });

  it("offers nothing to a browser that prefers English or a language the portal does not speak", async () => {
    for (const accept of ["en-GB,en;q=0.9,it;q=0.5", "fr-FR", ""]) {
      const res = await get("/", accept ? { "accept-language": accept } : {});
      expect(res.status).toBe(200);
      expect(await res.text()).not.toContain("language-offer");
    }
  });
});

describe("the FAQ search in every language (pagefind, in Chromium)", () => {
  it("is reached from the FAQ by a plain GET form in the page's language", async () => {
    for (const [faq, search] of [
      ["/faq", "/search"],
      ["/it/faq", "/it/search"],
      ["/de/faq", "/de/search"],
    ] as const) {
      const body = await (await get(faq)).text();
      expect(body, faq).toMatch(new RegExp(`<form action="${search}" method="get" role="search"`));
      expect(body, faq).not.toMatch(/<script/i);
    }
  });

  it("finds the German entry by a German word, on the German search page", async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
    await page.goto(`${stack.worker.url}/de/faq`);
    await page.fill("#faq-search", "Verpackungsmaterial");
    await Promise.all([page.waitForURL(/\/de\/search\?q=Verpackungsmaterial/), page.click('form[role="search"] button')]);
    const results = page.locator("#search-results li");
    await results.first().waitFor();
    const first = results.first();
    expect(await first.locator("a").getAttribute("href")).toMatch(/^\/de\/faq(\.html)?(#[\w-]+)?$/);
    expect((await first.textContent()) ?? "").toContain("Verpackungsmaterial");
    expect((await page.locator("#search-results > p").first().textContent()) ?? "").toMatch(/Treffer für „Verpackungsmaterial“/);
    expect(await page.inputValue("#search-q")).toBe("Verpackungsmaterial");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("searches only the page's language: the German word finds nothing on the Italian page", async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/it/search?q=Verpackungsmaterial`);
    await page.locator("#search-results > p").first().waitFor();
    expect((await page.locator("#search-results").textContent()) ?? "").toContain("Nessun risultato per «Verpackungsmaterial»");
    await context.close();
  });

  it("says to use the grouped FAQ when JavaScript is off", async () => {
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/it/search?q=garanzia`);
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("La ricerca richiede JavaScript");
    expect(await page.locator('main a[href="/it/faq"]').count()).toBe(1);
    await context.close();
  });
});
