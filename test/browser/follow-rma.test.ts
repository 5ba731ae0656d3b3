/** A customer following an RMA in Chromium (from npm): status lookup, RMA page, printing to PDF, cancelling. */
import { extractText } from "unpdf";
import { describe, expect, it } from "vitest";
import { createDb } from "../../db/client.ts";
import { signToken } from "../../functions/auth/tokens.ts";
import { validUntilFrom } from "../../functions/domain/expiry.ts";
import { changeRma as moveRma } from "../../functions/services/rma/change.ts";
import { watchForPayloads } from "../support/browser.ts";
import { DESCRIPTION, freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { TEST_LINK_SECRET, useStack } from "../support/worker.ts";

const stack = useStack({ chromium: true });

async function issue(count: number, description = DESCRIPTION): Promise<string[]> {
  const body = requestBody(freshUnits(count));
  for (const u of body.units) (u as { issueDescription: string }).issueDescription = description;
  return (await issueThroughWorker(stack.worker.url, body)).rmaNumbers;
}

async function authorize(rmaNumber: string, now = new Date()) {
  await moveRma(createDb({ DATABASE_URL: stack.db.url }), {
    rmaNumber,
    from: "requested",
    to: "authorized",
    actor: "staff:test@alkeria.example",
    set: { validUntil: validUntilFrom(now) },
    env: {},
    now,
  });
}

describe("following an RMA in the browser", () => {
  it("finds the RMA from the status form and says not to ship before authorisation", async () => {
    const [n = ""] = await issue(1);
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/status`);
    await page.fill('[name="rmaNumber"]', n.toLowerCase());
    await page.fill('[name="email"]', "someone@example.com");
    await page.click('button[type="submit"]');
    expect(await page.textContent('[role="alert"]')).toMatch(/found no RMA with this number and email/);
    expect(await page.inputValue('[name="rmaNumber"]')).toBe(n.toLowerCase());
    await page.fill('[name="email"]', "Giulia@Example.com");
    await page.click('button[type="submit"]');
    await page.waitForURL(new RegExp(`/rma/${n}\\?t=`));
    expect(await page.textContent("h1")).toBe(n);
    expect(await page.textContent(".status-box")).toMatch(/do not ship anything yet/i);
    // The print page refuses plainly until the RMA is authorised.
    await page.goto(page.url().replace(`/rma/${n}?`, `/rma/${n}/print?`));
    expect(await page.textContent("h1")).toMatch(/do not ship yet/);
    await context.close();
  });

  it("prints every authorised unit of the request on its own A4 page, with number, receiving address and label", async () => {
    const numbers = await issue(2, `<img src=x onerror="window.__xss=1"> ${DESCRIPTION}`);
    for (const n of numbers) await authorize(n);
    const context = await stack.browser.newContext();
    // Watched across the status form, the RMA page and the print page, not only the last one.
    const watch = await watchForPayloads(context);
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/status`);
    await page.fill('[name="rmaNumber"]', numbers[0] ?? "");
    await page.fill('[name="email"]', "giulia@example.com");
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/rma\/RMA-/);
    expect(await page.textContent(".ship-by")).toMatch(/reaches us by/);
    expect(await page.textContent(".facts")).toContain('<img src=x onerror="window.__xss=1">');
    await page.click("text=Print the RMA form and parcel label");
    await page.waitForURL(/\/print\?t=/);
    await page.emulateMedia({ media: "print" });
    // Nothing overflows its sheet: no content is cut off.
    const overflow = await page.$$eval(".sheet", (sheets) => sheets.map((s) => s.scrollHeight - s.clientHeight));
    expect(overflow).toEqual([0, 0]);
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    // The PDF read back with unpdf (pdf.js), one text per printed page.
    const { totalPages, text: sheets } = await extractText(new Uint8Array(pdf), { mergePages: false });
    expect(totalPages).toBe(2);
    const text = sheets.join("\n");
    for (const n of numbers) expect(text.split(n).length - 1).toBeGreaterThanOrEqual(3); // header, rules, label
    expect(text).toContain("Via Giuntini, 25 int. 36 - I-56021 Navacchio (PI) - ITALY");
    expect(text).toContain("I-56021 Navacchio (PI)");
    expect(text).toMatch(/Cut along the dashed line/);
    expect(text).toContain("FCA (Incoterms 2020)");
    expect(watch.flags).toEqual([]);
    expect(watch.dialogs).toEqual([]);
    await context.close();
  });

  it("cancels an authorised RMA from its page without JavaScript", async () => {
    const [n = ""] = await issue(1);
    await authorize(n);
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/status`);
    await page.fill('[name="rmaNumber"]', n);
    await page.fill('[name="email"]', "giulia@example.com");
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/rma\/RMA-/);
    await page.click("text=Cancel this RMA >> nth=-1");
    expect(await page.textContent("#f-reason-error")).toMatch(/why you want to cancel/);
    await page.fill('[name="reason"]', "The camera works again after a firmware update.");
    await page.click("button:has-text('Cancel this RMA')");
    await page.waitForURL(/done=cancelled/);
    expect(await page.textContent('[role="status"]')).toMatch(/is cancelled/);
    expect(await page.textContent(".status-box")).toMatch(/Cancelled/);
    const rows = await stack.db.query("SELECT status FROM rmas WHERE rma_number = ?", [n]);
    expect(rows).toEqual([{ status: "cancelled" }]);
    await context.close();
  });

  it("offers to request an expired RMA again, with the form filled in", async () => {
    const [n = ""] = await issue(1);
    await authorize(n, new Date(Date.now() - 32 * 86_400_000));
    const token = await signToken(TEST_LINK_SECRET, "rma", n);
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/rma/${n}?t=${token}`);
    expect(await page.textContent(".status-box h2")).toMatch(/Expired/);
    await page.click("text=Request again");
    await page.waitForURL(/\/rma\/new\?again=/);
    expect(await page.textContent('[role="status"]')).toContain(n);
    const [row] = await stack.db.query<{ serial_number: string; model: string }>(
      "SELECT serial_number, model FROM rmas WHERE rma_number = ?",
      [n],
    );
    expect(await page.inputValue('[name="units.0.serialNumber"]')).toBe(row?.serial_number);
    expect(await page.inputValue('[name="units.0.model"]')).toBe(row?.model);
    expect(await page.inputValue('[name="contact.email"]')).toBe("giulia@example.com");
    expect(await page.inputValue('[name="returnAddress.city"]')).toBe("Pisa");
    // The expired RMA no longer blocks the serial: the new request goes through.
    await page.check('[name="acceptTerms"]');
    await page.click('button[value="submit"]');
    await page.waitForURL(/\/rma\/requests\//);
    expect(await page.locator(".rma-number").count()).toBe(1);
    expect(await stack.db.query("SELECT status FROM rmas WHERE rma_number = ?", [n])).toEqual([{ status: "expired" }]);
    await context.close();
  });
});
