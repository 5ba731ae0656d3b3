/**
 * The staff desk in Chromium (from npm) against the built Worker and a real sqld, JavaScript off: a staff
 * member signs in and takes one RMA from requested to shipped; a customer answers a quote online.
 * Accessibility of these pages is checked with every other page in test/a11y.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from "../../db/seed.ts";
import { surelyCovered, surelyNotCovered, today } from "../support/dates.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack({ chromium: true });

async function requestOne(covered: boolean, email: string): Promise<string> {
  const body = requestBody(freshUnits(1, covered ? surelyCovered : surelyNotCovered));
  body.contact.email = email;
  const { rmaNumbers } = await issueThroughWorker(stack.worker.url, body);
  return rmaNumbers[0] ?? "";
}

async function signIn(page: Page) {
  await page.fill("#f-email", DEMO_ADMIN_EMAIL);
  await page.fill("#f-password", DEMO_ADMIN_PASSWORD);
  await page.click("button:has-text('Sign in')");
}

/** Submits one action form of the RMA page and waits for the page to come back. */
async function act(page: Page, action: string) {
  await page.click(`#act-${action} button[type=submit]`);
  await page.waitForLoadState("load");
}

const flash = (page: Page) => page.locator("[data-flash]").textContent();
const badge = (page: Page) => page.locator("h1 [data-status]").textContent();

describe("the staff desk with JavaScript off", () => {
  it("signs in, and takes one RMA from requested to shipped, emailing the customer at each step", async () => {
    const email = "desk-flow@example.com";
    const rmaNumber = await requestOne(true, email);
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();

    // Without a session the queue sends to the sign-in page; a wrong password is refused beside the field.
    await page.goto(`${stack.worker.url}/admin`);
    expect(new URL(page.url()).pathname).toBe("/admin/login");
    await page.fill("#f-email", DEMO_ADMIN_EMAIL);
    await page.fill("#f-password", "not the password");
    await page.click("button:has-text('Sign in')");
    expect(await page.textContent("#f-password-error")).toMatch(/The email or the password is not right/);
    expect(await page.getAttribute("#f-password", "aria-describedby")).toBe("f-password-error");
    await signIn(page);
    await page.waitForURL(`${stack.worker.url}/admin`);
    expect(await page.textContent("h1")).toBe("RMA queue");

    // The request waits in the queue; its page shows what the customer sent.
    await page.click(`[data-section=requested] a:has-text("${rmaNumber}")`);
    await page.waitForURL(`${stack.worker.url}/admin/rma/${rmaNumber}`);
    expect(await badge(page)).toBe("requested");
    expect(await page.textContent("#customer-h + dl")).toContain(email);

    await page.fill("#f-authorize-note", "Known firmware fault: please include the USB cable.");
    await act(page, "authorize");
    expect(await flash(page)).toMatch(/^Authorised/);
    expect(await badge(page)).toBe("authorized");

    // A refusal comes back beside its field, with what was typed kept.
    await page.fill("#f-receive-receivedOn", "2999-01-01");
    await page.fill("#f-receive-condition", "Box dented; unit intact.");
    await act(page, "receive");
    expect(await page.textContent("#f-receive-receivedOn-error")).toMatch(/cannot be after today/);
    expect(await page.inputValue("#f-receive-condition")).toBe("Box dented; unit intact.");
    await page.fill("#f-receive-receivedOn", today());
    await act(page, "receive");
    expect(await flash(page)).toMatch(/^Receipt recorded/);

    await act(page, "confirm-warranty");
    expect(await badge(page)).toBe("repairing");
    await act(page, "finish-repair");
    expect(await badge(page)).toBe("returning");

    await act(page, "ship");
    expect(await page.textContent("#f-ship-carrier-error")).toMatch(/carrier is required/);
    await page.fill("#f-ship-carrier", "DHL Express");
    await page.fill("#f-ship-trackingNumber", "JD014600003828");
    await act(page, "ship");
    expect(await flash(page)).toMatch(/^Shipped/);
    expect(await badge(page)).toBe("shipped");

    // The event log in the page's history: every move, by the staff member.
    const log = await page.locator("[data-staff-history] li[data-entry=event]").allTextContents();
    const moves = [
      "new → requested",
      "requested → authorized",
      "authorized → received",
      "received → repairing",
      "repairing → returning",
      "returning → shipped",
    ];
    expect(log).toHaveLength(moves.length);
    for (const [i, move] of moves.entries()) expect(log[i]).toContain(move);
    for (const row of log.slice(1)) expect(row).toContain(`staff:${DEMO_ADMIN_EMAIL}`);
    expect(log[5]).toContain("Shipped back with DHL Express, tracking number JD014600003828.");

    // The customer's emails, in the outbox (no provider configured), listed on the page too.
    const mails = await stack.db.query<{ subject: string; text: string }>(
      "SELECT subject, text FROM outbox WHERE recipient = ? ORDER BY created_at, rowid",
      [email],
    );
    expect(mails.map((m) => m.subject)).toEqual([
      `RMA request received: ${rmaNumber}`,
      expect.stringMatching(new RegExp(`^RMA authorised: ${rmaNumber} — ship by \\d{1,2} [A-Z][a-z]+ \\d{4}$`)),
      `We have received your unit: ${rmaNumber}`,
      `Repair under warranty: ${rmaNumber}`,
      `Repair complete: ${rmaNumber}`,
      `Your unit is on its way back: ${rmaNumber}`,
    ]);
    expect(mails[1]?.text).toContain("Known firmware fault: please include the USB cable.");
    expect(mails[1]?.text).toMatch(
      new RegExp(`${stack.worker.url.replace(/[.]/g, "\\.")}/rma/${rmaNumber}/print\\?t=[\\w-]{22}`),
    );
    expect(mails[5]?.text).toContain("Tracking number: JD014600003828");
    expect(await page.locator("[data-emails] tbody tr").count()).toBe(7); // the six above and the staff notice

    // Signing out ends the session.
    await Promise.all([page.waitForURL(/\/admin\/login\?done=signed-out/), page.click("button:has-text('Sign out')")]);
    await page.goto(`${stack.worker.url}/admin/rma/${rmaNumber}`);
    expect(new URL(page.url()).pathname).toBe("/admin/login");
    await context.close();
  });

  it("sends a quote that the customer accepts online from the emailed link, once", async () => {
    const rmaNumber = await requestOne(false, "quote-flow@example.com");
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/admin/rma/${rmaNumber}`);
    await signIn(page);
    await page.waitForURL(`${stack.worker.url}/admin/rma/${rmaNumber}`);
    await act(page, "authorize");
    await act(page, "receive");
    expect(await page.locator("#act-confirm-warranty").count()).toBe(0);
    await page.fill("#f-quote-labourCents", "120");
    await page.fill("#f-quote-partsAndSuppliesCents", "45,50");
    await page.fill("#f-quote-handlingFeeCents", "abc");
    await page.fill("#f-quote-returnShippingCents", "18");
    await act(page, "quote");
    expect(await page.textContent("#f-quote-handlingFeeCents-error")).toMatch(/amount in euros/);
    await page.fill("#f-quote-handlingFeeCents", "25");
    await act(page, "quote");
    expect(await flash(page)).toMatch(/^Quote sent/);

    const [mail] = await stack.db.query<{ text: string }>(
      "SELECT text FROM outbox WHERE rma_number = ? AND subject LIKE 'Repair quote%'",
      [rmaNumber],
    );
    const link = new RegExp(`(/rma/${rmaNumber}/quote\\?t=[\\w-]{22})`).exec(mail?.text ?? "")?.[1] ?? "";
    const customer = await stack.browser.newContext({ javaScriptEnabled: false });
    const quotePage = await customer.newPage();
    await quotePage.goto(`${stack.worker.url}${link}`);
    expect(await quotePage.textContent("[data-total]")).toBe("€208.50");
    await quotePage.click("button:has-text('Accept the quote')");
    // The answer leads to the RMA's own page (its signed link), which confirms it.
    const confirmed = new URL(quotePage.url());
    expect(confirmed.pathname).toBe(`/rma/${rmaNumber}`);
    expect(confirmed.searchParams.get("done")).toBe("quote-accepted");
    expect(await quotePage.textContent("h1")).toBe(rmaNumber);
    expect(await quotePage.textContent("[role=status]")).toMatch(/^Your answer was recorded: you accepted the quote\./);
    const [row] = await stack.db.query("SELECT status, quote_decision FROM rmas WHERE rma_number = ?", [rmaNumber]);
    expect(row).toEqual({ status: "repairing", quote_decision: "accepted" });
    // The quote link stops working: it opens a refusal pointing to the RMA page, and a second answer posted anyway is refused.
    const reopened = await quotePage.goto(`${stack.worker.url}${link}`);
    expect(reopened?.status()).toBe(410);
    expect(await quotePage.textContent("h1")).toBe("This quote was already answered");
    expect(await quotePage.textContent("[data-answered]")).toMatch(/it was accepted\. Its link no longer works/);
    expect(await quotePage.locator("[data-total]").count()).toBe(0);
    await quotePage.click("a:has-text('Follow the RMA on its page')");
    expect(new URL(quotePage.url()).pathname).toBe(`/rma/${rmaNumber}`);
    expect(await quotePage.textContent("h1")).toBe(rmaNumber);
    const again = await customer.request.post(`${stack.worker.url}/rma/${rmaNumber}/quote`, {
      form: { t: new URL(link, stack.worker.url).searchParams.get("t") ?? "", decision: "decline" },
      headers: { origin: stack.worker.url },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(410);
    expect(await again.text()).toContain("This quote was already answered");
    const answers = await stack.db.query("SELECT count(*) n FROM rma_events WHERE rma_number = ? AND from_status = 'quoted'", [
      rmaNumber,
    ]);
    expect(answers[0]?.["n"]).toBe(1);
    // A tampered link shows no quote.
    await quotePage.goto(`${stack.worker.url}${link.slice(0, -2)}xx`);
    expect(await quotePage.textContent("h1")).toBe("This quote link is not valid");
    await customer.close();
    await context.close();
  });
});
