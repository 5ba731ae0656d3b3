/** The request form in Chromium (from npm) against the built Worker and a real sqld, with JavaScript on and off. */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { fillRequestContact } from "../support/browser.ts";
import { ADDED_UNIT_SERIALS, addUnitsWithJavaScript } from "../support/pages.ts";
import { DESCRIPTION, freshUnits } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack({ chromium: true });

const rmaNumbersOn = async (page: Page) => (await page.locator(".rma-number").allTextContents()).map((t) => t.trim());

describe("the request form with JavaScript on", () => {
  it("checks each serial as it is typed, adds and removes units, and gives three RMA numbers for three cameras", async () => {
    const units = freshUnits(3);
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${stack.worker.url}/rma/new`);
    await fillRequestContact(page, "anna.js@example.com");
    for (const [i, unit] of units.entries()) {
      if (i > 0) await page.click("[data-add-unit]");
      await page.fill(`[name="units.${i}.serialNumber"]`, unit.serialNumber.toLowerCase());
      const verdict = page.locator(`[data-verdict-for="units.${i}.serialNumber"]`);
      await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toContain(unit.model);
      // The registry's purchase date is filled in and locked.
      expect(await page.inputValue(`[name="units.${i}.purchaseDate"]`)).toBe(unit.purchaseDate);
      expect(await page.locator(`[name="units.${i}.purchaseDate"]`).getAttribute("readonly")).not.toBeNull();
      await page.selectOption(`[name="units.${i}.model"]`, unit.model);
      await page.fill(`[name="units.${i}.issueDescription"]`, DESCRIPTION);
    }
    // A fourth unit added by mistake, then removed: the numbering closes up.
    await page.click("[data-add-unit]");
    expect(await page.locator("fieldset.unit").count()).toBe(4);
    await page.locator("fieldset.unit").nth(3).locator("[data-remove-unit]").click();
    expect(await page.locator("fieldset.unit").count()).toBe(3);

    // An unknown serial is flagged before submitting.
    await page.click("[data-add-unit]");
    await page.fill('[name="units.3.serialNumber"]', "ZZ999999");
    await expect
      .poll(() => page.locator('[data-verdict-for="units.3.serialNumber"]').textContent(), { timeout: 10_000 })
      .toContain("beside the I/O connector");
    await page.locator("fieldset.unit").nth(3).locator("[data-remove-unit]").click();

    await page.check('[name="acceptTerms"]');
    await Promise.all([page.waitForURL(/\/rma\/requests\//), page.click('button[value="submit"]')]);
    expect(await page.textContent("h1")).toBe("Request received");
    const numbers = await rmaNumbersOn(page);
    expect(numbers).toHaveLength(3);
    const receipt = await stack.db.query<{ text: string }>("SELECT text FROM outbox WHERE recipient = ?", [
      "anna.js@example.com",
    ]);
    expect(receipt).toHaveLength(1);
    for (const n of numbers) expect(receipt[0]?.text).toContain(n);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/**
 * Every reference inside the form's units, read from the page: for each unit (by its place), each
 * `label[for]`, `aria-describedby` token and error message, with the unit places of the elements that
 * carry the id it names (none, one, or several when ids repeat).
 */
function unitReferences(page: Page) {
  return page.evaluate(() => {
    const units = [...document.querySelectorAll<HTMLFieldSetElement>("#units fieldset.unit")];
    const placeOf = (el: Element) => units.findIndex((u) => u.contains(el));
    const targets = (id: string) => [...document.querySelectorAll(`[id="${CSS.escape(id)}"]`)].map(placeOf);
    return units.map((unit, i) => ({
      unit: i,
      legend: unit.querySelector("legend")?.textContent?.trim() ?? "",
      names: [...unit.querySelectorAll("[name]")].map((el) => el.getAttribute("name") ?? ""),
      labels: [...unit.querySelectorAll("label")].map((l) => ({ for: l.htmlFor, targets: targets(l.htmlFor) })),
      describedBy: [...unit.querySelectorAll("[aria-describedby]")].flatMap((el) =>
        (el.getAttribute("aria-describedby") ?? "")
          .split(/\s+/)
          .filter(Boolean)
          .map((id) => ({ control: el.getAttribute("name") ?? "", id, targets: targets(id) })),
      ),
      errors: [...unit.querySelectorAll<HTMLElement>(".error[data-error-for]")].map((e) => ({
        for: e.dataset["errorFor"] ?? "",
        id: e.id,
        targets: targets(e.id),
        // The controls whose aria-describedby names this message.
        describing: [...document.querySelectorAll("[aria-describedby]")]
          .filter((c) => (c.getAttribute("aria-describedby") ?? "").split(/\s+/).includes(e.id))
          .map((c) => c.getAttribute("name") ?? ""),
      })),
      serial: unit.querySelector<HTMLInputElement>('[data-field$=".serialNumber"]')?.value ?? "",
    }));
  });
}

describe("units added with JavaScript", () => {
  it("are labelled: after adding three units and removing the middle one, every label, description and error message points into its own unit", async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await addUnitsWithJavaScript(page, stack.worker.url);
    const units = await unitReferences(page);
    // Units 1, 2 and 4 remain, numbered 1 to 3, each keeping what was typed into it.
    expect(units.map((u) => u.legend)).toEqual(["Unit 1", "Unit 2", "Unit 3"]);
    expect(units.map((u) => u.serial)).toEqual([ADDED_UNIT_SERIALS[0], ADDED_UNIT_SERIALS[1], ADDED_UNIT_SERIALS[3]]);
    const wrong: string[] = [];
    for (const u of units) {
      const prefix = `units.${u.unit}.`;
      for (const name of u.names) if (!name.startsWith(prefix) && name !== "intent") wrong.push(`unit ${u.unit}: name ${name}`);
      for (const l of u.labels) {
        if (l.targets.length !== 1 || l.targets[0] !== u.unit)
          wrong.push(`unit ${u.unit}: label for=${l.for} → units ${l.targets}`);
      }
      for (const d of u.describedBy) {
        if (d.targets.length !== 1 || d.targets[0] !== u.unit) {
          wrong.push(`unit ${u.unit}: ${d.control} aria-describedby ${d.id} → units ${d.targets}`);
        }
      }
      for (const e of u.errors) {
        if (e.targets.length !== 1 || e.targets[0] !== u.unit) wrong.push(`unit ${u.unit}: error ${e.id} → units ${e.targets}`);
        if (!e.for.startsWith(prefix) || e.describing.join() !== e.for) {
          wrong.push(`unit ${u.unit}: error ${e.id} for ${e.for} described by [${e.describing}]`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // Each unit has its six labelled fields (five and its files), each with its own error message.
    expect(units.map((u) => [u.labels.length, u.errors.length])).toEqual([
      [6, 6],
      [6, 6],
      [6, 6],
    ]);
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the request form with JavaScript off", () => {
  it("shows every message beside its field, keeps every value, and then issues the RMA", async () => {
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/rma/new`);
    await fillRequestContact(page, "not-an-email");
    await page.fill('[name="units.0.serialNumber"]', unit.serialNumber);
    await page.selectOption('[name="units.0.model"]', unit.model);
    await page.fill('[name="units.0.issueDescription"]', "It broke.");
    await page.click('button[value="submit"]');

    expect(await page.locator("#form-errors").isVisible()).toBe(true);
    expect(await page.textContent("#f-contact-email-error")).toMatch(/email address/);
    expect(await page.textContent("#f-units-0-issueDescription-error")).toMatch(/at least 30 characters/);
    expect(await page.textContent("#f-acceptTerms-error")).toMatch(/FCA, Incoterms 2020/);
    expect(await page.getAttribute("#f-units-0-issueDescription", "aria-describedby")).toContain(
      "f-units-0-issueDescription-error",
    );
    // Nothing typed is lost.
    expect(await page.inputValue('[name="contact.name"]')).toBe("Anna Verdi");
    expect(await page.inputValue('[name="returnAddress.street"]')).toBe("Hauptstraße 5");
    expect(await page.inputValue('[name="units.0.serialNumber"]')).toBe(unit.serialNumber);
    expect(await page.inputValue('[name="units.0.model"]')).toBe(unit.model);
    expect(await page.inputValue('[name="units.0.issueDescription"]')).toBe("It broke.");
    // The verdict is shown without JavaScript too, and the purchase date comes from the registry.
    expect(await page.textContent('[data-verdict-for="units.0.serialNumber"]')).toContain(unit.model);
    expect(await page.inputValue('[name="units.0.purchaseDate"]')).toBe(unit.purchaseDate);
    const [{ n } = { n: -1 }] = await stack.db.query<{ n: number }>(
      "SELECT count(*) n FROM return_requests WHERE email = 'not-an-email'",
    );
    expect(n).toBe(0);

    // Adding a unit works by posting too, and keeps the values.
    // Each button posts the form and the page comes back: wait for it, not for the click alone.
    await Promise.all([page.waitForEvent("load"), page.click("[data-add-unit]")]);
    expect(await page.locator("fieldset.unit").count()).toBe(2);
    expect(await page.inputValue('[name="units.0.issueDescription"]')).toBe("It broke.");
    await Promise.all([page.waitForEvent("load"), page.click("fieldset.unit >> nth=1 >> [data-remove-unit]")]);
    expect(await page.locator("fieldset.unit").count()).toBe(1);

    await page.fill('[name="contact.email"]', "anna.nojs@example.com");
    await page.fill('[name="units.0.issueDescription"]', DESCRIPTION);
    await page.check('[name="acceptTerms"]');
    const sent = await page.evaluate(() => {
      const form = document.querySelector<HTMLFormElement>("#rma-form");
      return form ? Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)])) : {};
    });
    await page.click('button[value="submit"]');
    await page.waitForURL(/\/rma\/requests\//);
    const numbers = await rmaNumbersOn(page);
    expect(numbers).toHaveLength(1);
    const rows = await stack.db.query("SELECT serial_number, status FROM rmas WHERE rma_number = ?", [numbers[0] ?? ""]);
    expect(rows).toEqual([{ serial_number: unit.serialNumber, status: "requested" }]);

    // The same form sent again (a double click, a resubmission) answers the first result and creates nothing.
    const again = await context.request.post(`${stack.worker.url}/rma/new`, {
      form: { ...sent, intent: "submit" },
      headers: { origin: stack.worker.url },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(303);
    expect(new URL(again.headers()["location"] ?? "", stack.worker.url).pathname).toBe(new URL(page.url()).pathname);
    const [{ c } = { c: -1 }] = await stack.db.query<{ c: number }>(
      "SELECT count(*) c FROM return_requests WHERE email = 'anna.nojs@example.com'",
    );
    expect(c).toBe(1);
    await context.close();
  });
});
