/**
 * The request form in Italian (/it/rma/new) in Chromium against the built Worker and a real sqld, with
 * JavaScript on and off: every word of the page, the live and the server's serial verdicts in Italian with
 * Italian dates, units added without JavaScript, and a request sent from it lands on the Italian
 * confirmation page with its language stored as "it". (The server's refusal messages beside the fields:
 * request-form-it-server.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { fillRequestContact, MILAN_CUSTOMER } from "../support/browser.ts";
import { englishLeft } from "../support/english.ts";
import { pageWords } from "../support/page-words.ts";
import { DESCRIPTION, freshUnits } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack({ chromium: true });

/** A date as Italian writes it: 30 novembre 2026. */
const ITALIAN_DATE =
  /\b\d{1,2} (gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre) \d{4}\b/;

async function storedLocale(requestId: string): Promise<string | undefined> {
  const [row] = await stack.db.query<{ locale: string }>("SELECT locale FROM return_requests WHERE id = ?", [requestId]);
  return row?.locale;
}

const requestIdOf = (url: string) => /\/it\/rma\/requests\/([^/?]+)\?t=/.exec(url)?.[1] ?? "";

describe("the Italian request form with JavaScript on", () => {
  it("speaks Italian, checks the serial live in Italian and sends a request stored in Italian", async () => {
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${stack.worker.url}/it/rma/new`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("it");
    expect(await page.textContent("h1")).toBe("Richiedere una RMA");
    expect(englishLeft(await pageWords(page))).toEqual([]);
    // Single words the word-list check cannot tell apart: the shared field component's own.
    expect(await page.textContent('label[for="f-contact-company"]')).toMatch(/\(facoltativo\)$/);
    expect(await page.textContent('[name="units.0.model"] option[value=""]')).toBe("Scegliere…");
    expect(await page.getAttribute("#rma-form", "action")).toBe("/it/rma/new");

    await fillRequestContact(page, "marco.js@example.com", MILAN_CUSTOMER);
    await page.fill('[name="units.0.serialNumber"]', unit.serialNumber);
    const verdict = page.locator('[data-verdict-for="units.0.serialNumber"]');
    await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toContain(unit.model);
    const said = (await verdict.textContent()) ?? "";
    expect(said).toMatch(/acquistata il .*(in garanzia fino al|non in garanzia)/);
    expect(said).toMatch(ITALIAN_DATE);
    expect(englishLeft(said)).toEqual([]);
    expect(await page.inputValue('[name="units.0.purchaseDate"]')).toBe(unit.purchaseDate);

    // A unit added by the script is in Italian too (it is cloned from the page's template).
    await page.click("[data-add-unit]");
    expect(await page.locator("fieldset.unit legend").nth(1).textContent()).toMatch(/^Unità\s+2$/);
    await page.locator("fieldset.unit").nth(1).locator("[data-remove-unit]").click();

    await page.fill('[name="units.0.issueDescription"]', DESCRIPTION);
    await page.check('[name="acceptTerms"]');
    await Promise.all([page.waitForURL(/\/it\/rma\/requests\//), page.click('button[value="submit"]')]);
    expect(await page.textContent("h1")).toBe("Richiesta ricevuta");
    expect(englishLeft(await pageWords(page))).toEqual([]);
    expect(await storedLocale(requestIdOf(page.url()))).toBe("it");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says in Italian what to do when the registry does not know the serial", async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/it/rma/new`);
    await page.fill('[name="units.0.serialNumber"]', "ZZ999999");
    const verdict = page.locator('[data-verdict-for="units.0.serialNumber"]');
    await expect
      .poll(() => verdict.textContent(), { timeout: 10_000 })
      .toContain("Se il numero è corretto, indichi qui sotto la data di acquisto e il numero di fattura.");
    expect(await verdict.getAttribute("class")).toContain("unknown");
    await context.close();
  });
});

describe("the Italian request form with JavaScript off", () => {
  it("checks the serials and adds units through the server in Italian, and sends a request stored in Italian", async () => {
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/it/rma/new`);
    await fillRequestContact(page, "marco.nojs@example.com", MILAN_CUSTOMER);
    await page.fill('[name="units.0.serialNumber"]', unit.serialNumber);
    await page.selectOption('[name="units.0.model"]', unit.model);
    await page.click("text=Verifica i numeri di serie");
    const said = (await page.textContent('[data-verdict-for="units.0.serialNumber"]')) ?? "";
    expect(said).toContain(unit.model);
    expect(said).toMatch(ITALIAN_DATE);
    expect(englishLeft(said)).toEqual([]);
    expect(await page.inputValue('[name="units.0.purchaseDate"]')).toBe(unit.purchaseDate);
    expect(await page.textContent("#f-units-0-purchaseDate-hint")).toBe("Dal nostro registro.");

    await page.click("text=Aggiungi un'altra unità");
    expect(await page.locator("fieldset.unit").count()).toBe(2);
    expect(await page.locator("fieldset.unit legend").nth(1).textContent()).toMatch(/^Unità\s+2$/);
    await page.click('fieldset.unit >> nth=1 >> button[value="remove-1"]');
    expect(await page.locator("fieldset.unit").count()).toBe(1);
    expect(englishLeft(await pageWords(page))).toEqual([]);

    await page.fill('[name="units.0.issueDescription"]', DESCRIPTION);
    await page.check('[name="acceptTerms"]');
    await Promise.all([page.waitForURL(/\/it\/rma\/requests\//), page.click('button[value="submit"]')]);
    expect(await page.textContent("h1")).toBe("Richiesta ricevuta");
    expect(await storedLocale(requestIdOf(page.url()))).toBe("it");
    await context.close();
  });
});
