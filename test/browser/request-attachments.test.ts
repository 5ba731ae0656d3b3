/**
 * Files on the request form in Chromium, against the built Worker, its local R2 and a real sqld: with
 * JavaScript on, units added and removed keep their file inputs' names, the files chosen with
 * `setInputFiles` are sent with the request and appear in each RMA's history; a refused file brings the
 * form back with the message at that unit's file field (axe-clean); with JavaScript off the same form
 * posts its files to the page.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, fillRequestContact } from "../support/browser.ts";
import { DESCRIPTION, freshUnits } from "../support/requests.ts";
import { PNG_HEAD } from "../support/staff-history.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack({ chromium: true });

const PNG = Buffer.from(PNG_HEAD);
const png = (name: string, size = 4000) => ({
  name,
  mimeType: "image/png",
  buffer: Buffer.concat([PNG, Buffer.alloc(size - PNG.length, 7)]),
});
const log = (name: string) => ({
  name,
  mimeType: "text/plain",
  buffer: Buffer.from("10:00:01 USB3 link lost\n10:00:02 retry\n"),
});
/** A Windows program renamed to look like a photo. */
const renamedExe = (name: string) => ({
  name,
  mimeType: "image/jpeg",
  buffer: Buffer.concat([Buffer.from("MZ\x90\x00"), Buffer.alloc(3000, 1)]),
});

async function fillUnit(page: Page, i: number, unit: { serialNumber: string; model: string }) {
  await page.fill(`[name="units.${i}.serialNumber"]`, unit.serialNumber);
  await page.selectOption(`[name="units.${i}.model"]`, unit.model);
  await page.fill(`[name="units.${i}.issueDescription"]`, DESCRIPTION);
}

describe("files on the request form with JavaScript on", () => {
  it("sends each unit's files (after a unit was added and another removed) and shows them in each RMA's history", async () => {
    const units = freshUnits(2);
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${stack.worker.url}/rma/new`);
    await fillRequestContact(page, "anna.files@example.com");
    await fillUnit(page, 0, units[0] ?? { serialNumber: "", model: "" });
    // A unit added and removed in the middle: the last one's file input is renumbered with it.
    await page.click("[data-add-unit]");
    await page.click("[data-add-unit]");
    await page.locator("fieldset.unit").nth(1).locator("[data-remove-unit]").click();
    expect(await page.locator('#units input[type="file"]').evaluateAll((els) => els.map((e) => e.getAttribute("name")))).toEqual([
      "units.0.files",
      "units.1.files",
    ]);
    await fillUnit(page, 1, units[1] ?? { serialNumber: "", model: "" });
    await page.setInputFiles('[name="units.0.files"]', [png("label.png"), log("camera.log")]);
    await page.setInputFiles('[name="units.1.files"]', [png("damage.png", 9000)]);
    // The hint states the limits in the page's language.
    expect(await page.textContent("#f-units-1-files-hint")).toContain(
      "Up to 5 files for this unit, 10 MB each, and 25 MB for all the files of the request together",
    );
    await page.check('[name="acceptTerms"]');
    await Promise.all([page.waitForURL(/\/rma\/requests\//), page.click('button[value="submit"]')]);
    expect(await page.textContent("h1")).toBe("Request received");
    const links = await page.locator(".rma-number").evaluateAll((els) => els.map((e) => (e as HTMLAnchorElement).href));
    expect(links).toHaveLength(2);

    // Each RMA's page shows the files sent with its unit in its history, and they open.
    const seen: string[][] = [];
    for (const link of links) {
      await page.goto(link);
      const history = page.locator(".attachments").filter({ hasText: "Files sent with the request" });
      seen.push((await history.locator("a").evaluateAll((as) => as.map((a) => a.textContent?.trim() ?? ""))).sort());
    }
    expect(seen[0]?.join(" | ")).toMatch(/camera\.log.*\|.*label\.png/);
    expect(seen[1]?.join(" | ")).toMatch(/damage\.png/);
    const image = page.locator(".attachments img").first();
    const src = (await image.getAttribute("src")) ?? "";
    const served = await context.request.get(new URL(src, stack.worker.url).toString());
    expect(served.status()).toBe(200);
    expect(served.headers()["content-type"]).toBe("image/png");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a refused file comes back at that unit's file field, every value kept, focus on the messages; axe finds nothing", async () => {
    const units = freshUnits(2);
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/de/rma/new`);
    await fillRequestContact(page, "anna.refused@example.com");
    await fillUnit(page, 0, units[0] ?? { serialNumber: "", model: "" });
    await page.click("[data-add-unit]");
    await fillUnit(page, 1, units[1] ?? { serialNumber: "", model: "" });
    await page.setInputFiles('[name="units.0.files"]', [png("ok.png")]);
    await page.setInputFiles('[name="units.1.files"]', [renamedExe("foto.jpg")]);
    await page.check('[name="acceptTerms"]');
    await Promise.all([page.waitForEvent("load"), page.click('button[value="submit"]')]);
    expect(await page.textContent("#f-units-1-files-error")).toMatch(/^„foto\.jpg“ ist ein Programm/);
    expect(await page.getAttribute("#f-units-1-files", "aria-invalid")).toBe("true");
    expect(await page.getAttribute("#f-units-1-files", "aria-describedby")).toContain("f-units-1-files-error");
    // The message list links to the field; files are to be chosen again, and it says so.
    expect(await page.locator('#form-errors a[href="#f-units-1-files"]').count()).toBe(1);
    expect(await page.textContent("#f-units-0-files-again")).toMatch(/erneut aus/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("form-errors");
    expect(await page.inputValue('[name="units.1.serialNumber"]')).toBe(units[1]?.serialNumber);
    expect(await page.isChecked('[name="acceptTerms"]')).toBe(true);
    const [{ n } = { n: -1 }] = await stack.db.query<{ n: number }>(
      "SELECT count(*) n FROM return_requests WHERE email = 'anna.refused@example.com'",
    );
    expect(n).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // Chosen again (a photo instead), the request goes through.
    await page.setInputFiles('[name="units.1.files"]', [png("foto.png")]);
    await Promise.all([page.waitForURL(/\/de\/rma\/requests\//), page.click('button[value="submit"]')]);
    const stored = await stack.db.query<{ name: string }>(
      "SELECT f.name FROM rma_files f JOIN return_requests q ON q.id = f.request_id WHERE q.email = 'anna.refused@example.com' ORDER BY f.name",
    );
    expect(stored.map((r) => r.name)).toEqual(["foto.png"]);
    await context.close();
  });
});

describe("files on the request form with JavaScript off", () => {
  it("posts the files to the page and issues the request with them", async () => {
    const [unit] = freshUnits(1);
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/it/rma/new`);
    expect(await page.getAttribute("#rma-form", "enctype")).toBe("multipart/form-data");
    await fillRequestContact(page, "anna.nojs.files@example.com");
    await fillUnit(page, 0, unit ?? { serialNumber: "", model: "" });
    await page.setInputFiles('[name="units.0.files"]', [png("etichetta.png"), log("telecamera.log")]);
    await page.check('[name="acceptTerms"]');
    await Promise.all([page.waitForURL(/\/it\/rma\/requests\//), page.click('button[value="submit"]')]);
    const stored = await stack.db.query<{ name: string; serial_number: string }>(
      "SELECT f.name, r.serial_number FROM rma_files f JOIN rmas r ON r.rma_number = f.rma_number JOIN return_requests q ON q.id = f.request_id WHERE q.email = 'anna.nojs.files@example.com' ORDER BY f.name",
    );
    expect(stored).toEqual([
      { name: "etichetta.png", serial_number: unit?.serialNumber },
      { name: "telecamera.log", serial_number: unit?.serialNumber },
    ]);
    await context.close();
  });
});
