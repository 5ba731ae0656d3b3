/**
 * The request form with JavaScript on (Chromium from npm, built Worker, sqld): the live serial check of a
 * unit out of its original warranty that a repair shipped a month ago still covers says "covered by the
 * repair warranty of RMA-… until …" in the page's language, and the request sent from the page is issued
 * under warranty until that day.
 */
import { describe, expect, it } from "vitest";
import { fillRequestContact, MILAN_CUSTOMER } from "../support/browser.ts";
import { daysAgo, longDate, monthsOn, surelyNotCovered } from "../support/dates.ts";
import { markShippedBack } from "../support/lifecycle.ts";
import { DESCRIPTION, freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack({ chromium: true });

describe("the request form's live check of a unit only a repair's warranty covers", () => {
  it("names the repair's RMA and last day in Italian, and the request is issued under warranty until then", async () => {
    const [unit] = freshUnits(1, surelyNotCovered);
    if (!unit) throw new Error("no unit");
    const [old] = (await issueThroughWorker(stack.worker.url, requestBody([unit]))).rmaNumbers;
    await markShippedBack(stack.db, old ?? "", 30);
    const until = monthsOn(daysAgo(30), 3);
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${stack.worker.url}/it/rma/new`);
    await fillRequestContact(page, "marco.repair@example.it", MILAN_CUSTOMER);
    await page.fill('[name="units.0.serialNumber"]', unit.serialNumber);
    const verdict = page.locator('[data-verdict-for="units.0.serialNumber"]');
    await expect
      .poll(() => verdict.textContent(), { timeout: 10_000 })
      .toContain(`garanzia sulla riparazione della pratica ${old} fino al ${longDate("it-IT", until)}`);
    expect(await verdict.getAttribute("class")).toContain("covered");
    // Not stated: issuing reads the unit's past repairs itself.
    expect(await page.inputValue('[name="units.0.purchaseDate"]')).toBe("");
    await page.selectOption('[name="units.0.model"]', unit.model);
    await page.fill('[name="units.0.issueDescription"]', DESCRIPTION);
    await page.check('[name="acceptTerms"]');
    await Promise.all([page.waitForURL(/\/rma\/requests\//), page.click('button[value="submit"]')]);
    const [row] = await stack.db.query<{ warranty_covered: number; warranty_until: string }>(
      "SELECT warranty_covered, warranty_until FROM rmas WHERE serial_number = ? AND rma_number <> ?",
      [unit.serialNumber, old ?? ""],
    );
    expect(row).toEqual({ warranty_covered: 1, warranty_until: until });
    expect(errors).toEqual([]);
    await context.close();
  });
});
