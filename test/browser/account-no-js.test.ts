/**
 * "My returns" with JavaScript off, in the npm Chromium against the built Worker, in German: ask for a
 * link, open it from the email in the outbox, sign in, see the list (statuses in the RMA page's words),
 * open a unit's history, sign out. Accessibility and valid HTML of every account page, in every language,
 * are checked with the shared page table (test/support/account-pages.ts, test/a11y/axe.test.ts,
 * test/html/valid-html.test.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { linkIn, signInEmails } from "../support/account.ts";
import { authorizeDaysAgo } from "../support/lifecycle.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack({ chromium: true });
const EMAIL = "nojs@example.com";
let serial = "";

beforeAll(async () => {
  const units = freshUnits(2);
  serial = units[0]?.serialNumber ?? "";
  const body = requestBody(units);
  const { rmaNumbers } = await issueThroughWorker(stack.worker.url, { ...body, contact: { ...body.contact, email: EMAIL } });
  await authorizeDaysAgo(stack.db.url, rmaNumbers[0] ?? "", 0);
  await authorizeDaysAgo(stack.db.url, rmaNumbers[1] ?? "", 40); // lapsed: expired, with "Request again"
}, 60_000);

describe("My returns without JavaScript", () => {
  it("asks for a link, signs in from the email, lists, shows a unit's history and signs out", async () => {
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/de/account`);
    await page.fill("#f-email", EMAIL.toUpperCase());
    await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe("/de/account?sent=1");
    expect(await page.textContent("main")).toContain("Sehen Sie in Ihr Postfach");
    const [mail] = await signInEmails(stack.db, EMAIL);
    expect(mail?.subject).toBe("Ihr Anmeldelink für Meine Rücksendungen");
    await page.goto(`${stack.worker.url}${linkIn(mail?.text ?? "").path}`);
    await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
    expect(new URL(page.url()).pathname).toBe("/de/account");
    const list = (await page.textContent("main")) ?? "";
    expect(list).toContain(`Angemeldet als ${EMAIL}.`);
    // The RMA page's words for statuses and next steps (rma.status.*, rma.next.*), one set for both pages.
    expect(list).toContain("Genehmigt: Gerät einsenden");
    expect(list).toContain("Abgelaufen: nicht rechtzeitig eingegangen");
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/de/account/units/${serial}"]`)]);
    expect(await page.textContent("h1")).toBe(`Gerät ${serial}`);
    await Promise.all([page.waitForNavigation(), page.click('a[href="/de/account"]')]);
    await Promise.all([page.waitForNavigation(), page.click('form[action="/de/account/sign-out"] button')]);
    expect(await page.textContent("main")).toContain("Sie sind in diesem Browser von Meine Rücksendungen abgemeldet.");
    await page.goto(`${stack.worker.url}/de/account`);
    expect(await page.textContent("main")).toContain("Anmeldelink senden");
    await context.close();
  }, 60_000);
});
