/**
 * The server's refusal messages on the Italian and German pages: the request form posted with errors
 * without JavaScript (Italian messages beside each field), the status page with a wrong email, and an RMA
 * link not valid; each state of the shared page table whose words come from the server. These messages are
 * localised by helper 13a (`fieldsIn(locale)` / `messageIn(locale)`): this file passes once that is merged.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { englishLeft } from "../support/english.ts";
import { isRefusalState, pageWords, translatedTargets } from "../support/page-words.ts";
import { contextFor, openTarget, type PageFixtures, pageFixtures, pageTargets } from "../support/pages.ts";
import { freshUnits } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack({ chromium: true });
let f: PageFixtures;
beforeAll(async () => {
  f = await pageFixtures(stack.worker.url, stack.db.url, freshUnits(1), {
    description: "Sensore CMOS 2048×1536 — codice E42 / E43, 24 V DC, GigE 1000BASE-T (SDK 4.2.1).",
  });
});

describe("the Italian request form posted with errors without JavaScript", () => {
  it("shows Italian messages beside the fields and in the summary", async () => {
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/it/rma/new`);
    await page.fill('[name="contact.name"]', "Marco Rossi");
    await page.fill('[name="contact.email"]', "non-un-indirizzo");
    await page.fill('[name="units.0.serialNumber"]', unit.serialNumber);
    await page.fill('[name="units.0.issueDescription"]', "Rotta.");
    await page.click('button[value="submit"]');
    expect(await page.locator("#form-errors").isVisible()).toBe(true);
    const beside = await Promise.all(
      ["#f-contact-email-error", "#f-units-0-issueDescription-error", "#f-acceptTerms-error"].map(
        async (id) => (await page.textContent(id))?.trim() ?? "",
      ),
    );
    for (const message of beside) expect(message).not.toBe("");
    expect(beside.flatMap((m) => englishLeft(m))).toEqual([]);
    expect(englishLeft((await page.textContent("#form-errors")) ?? "")).toEqual([]);
    await context.close();
  });
});

describe("every refusal state of the page table in Italian and German", () => {
  it("has no English sentence left", async () => {
    const targets = translatedTargets(pageTargets()).filter(({ target }) => isRefusalState(target));
    expect(targets).toHaveLength(6);
    const found: string[] = [];
    for (const { target } of targets) {
      const context = await contextFor(stack.browser, target, f, stack.worker.url);
      const page = await context.newPage();
      const arrival = await openTarget(page, target, stack.worker.url, f);
      if (arrival) found.push(`${target.name}: ${arrival}`);
      for (const english of englishLeft(await pageWords(page))) found.push(`${target.name}: "${english}"`);
      await context.close();
    }
    expect(found).toEqual([]);
  });
});
