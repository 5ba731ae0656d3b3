/**
 * The team desk in Chromium against the built Worker and a real sqld, JavaScript off: an admin invites a
 * technician on /admin/staff (axe finds nothing on it), the technician sets a password from the emailed
 * link, sees only what the role allows, writes an internal note that the customer's page never shows,
 * and is signed out at once when the admin disables the account.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from "../../db/seed.ts";
import { signToken } from "../../functions/auth/tokens.ts";
import { axeViolations } from "../support/browser.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { TEST_LINK_SECRET, useStack } from "../support/worker.ts";

const stack = useStack({ chromium: true });

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${stack.worker.url}/admin/login`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", password);
  await page.click("button:has-text('Sign in')");
  await page.waitForLoadState("load");
}

describe("the accounts page and the team desk", () => {
  it("invites a technician, who sets a password by the link, acts within the role, writes internal notes, and is disabled", async () => {
    const adminContext = await stack.browser.newContext({ javaScriptEnabled: false });
    const admin = await adminContext.newPage();
    await signIn(admin, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD);
    await admin.goto(`${stack.worker.url}/admin/staff`);
    expect(await admin.textContent("h1")).toBe("Staff accounts");

    // A refusal comes back beside its field.
    await admin.fill("#f-invite-email", "not an address");
    await admin.click("[data-invite] button[type=submit]");
    await admin.waitForLoadState("load");
    expect(await admin.textContent("#f-invite-email-error")).toMatch(/Enter an email address/);

    await admin.fill("#f-invite-email", "tecnico@alkeria.example");
    await admin.selectOption("#f-invite-role", "technician");
    await admin.selectOption("#f-invite-locale", "it");
    await admin.click("[data-invite] button[type=submit]");
    await admin.waitForLoadState("load");
    expect(await admin.textContent("[data-flash]")).toBe("Invitation sent to tecnico@alkeria.example.");
    expect(await admin.textContent('[data-account="tecnico@alkeria.example"] [data-status]')).toMatch(/invited/);

    // axe on the accounts page (JavaScript on, as the page audits run).
    const axeContext = await stack.browser.newContext({
      extraHTTPHeaders: { cookie: (await adminContext.cookies()).map((c) => `${c.name}=${c.value}`).join("; ") },
    });
    const axePage = await axeContext.newPage();
    await axePage.goto(`${stack.worker.url}/admin/staff`);
    expect(await axeViolations(axePage)).toEqual([]);
    await axePage.goto(`${stack.worker.url}/admin/audit`);
    expect(await axeViolations(axePage)).toEqual([]);
    await axePage.goto(`${stack.worker.url}/admin/account`);
    expect(await axeViolations(axePage)).toEqual([]);
    await axeContext.close();

    // The invitation in the outbox, in the technician's language, with the one-time link.
    const [mail] = await stack.db.query<{ text: string }>("SELECT text FROM outbox WHERE recipient = 'tecnico@alkeria.example'");
    const link = /https?:\/\/\S+\/admin\/password\?t=[\w-]{43}/.exec(mail?.text ?? "")?.[0] ?? "";
    expect(mail?.text).toMatch(/Imposta la tua password/);
    const techContext = await stack.browser.newContext({ javaScriptEnabled: false });
    const tech = await techContext.newPage();
    await tech.goto(`${stack.worker.url}${new URL(link).pathname}${new URL(link).search}`);
    expect(await tech.getAttribute("html", "lang")).toBe("it");
    await tech.fill("#f-set-password", "password");
    await tech.click("[data-set-password] button[type=submit]");
    await tech.waitForLoadState("load");
    expect(await tech.textContent("#f-set-password-error")).toMatch(/almeno 12 caratteri/);
    await tech.fill("#f-set-password", "bench lamp river 93");
    await tech.click("[data-set-password] button[type=submit]");
    await tech.waitForURL(`${stack.worker.url}/admin`);

    // The desk in the technician's language, Italian: the queue's words and the page's language.
    expect(await tech.textContent("h1")).toBe("Coda delle RMA");
    expect(await tech.getAttribute("html", "lang")).toBe("it");
    expect(await tech.textContent("#todo-h")).toBe("Da fare");

    // The technician's desk: no accounts, settings or outbox in the navigation, and 403 when forced.
    const nav = await tech.locator("header nav a").allTextContents();
    expect(nav).toEqual(["Coda", "Cruscotto", "Registro", "Il mio account"]);
    const forced = await tech.goto(`${stack.worker.url}/admin/staff`);
    expect(forced?.status()).toBe(403);
    expect(await tech.textContent("main p")).toMatch(/Il tuo ruolo \(Tecnico\) non consente/);

    // An RMA: only the technician's actions are offered; the internal note is marked as such.
    const { rmaNumbers } = await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)));
    const n = rmaNumbers[0] ?? "";
    await tech.goto(`${stack.worker.url}/admin/rma/${n}`);
    expect(await tech.locator("#act-authorize").count()).toBe(0);
    expect(await tech.textContent("#actions-h")).toBe("Cosa fare ora");
    expect(await tech.textContent("[data-customer-language]")).toBe("Lingua del cliente: English");
    await tech.fill("#f-note-body", "Sensor glass chipped at one corner: ask the customer how it was packed.");
    await tech.click("#act-note button[type=submit]");
    await tech.waitForLoadState("load");
    expect(await tech.textContent("[data-internal-note]")).toContain("Nota interna — mai mostrata al cliente");
    expect(await tech.textContent("[data-internal-note]")).toContain("Sensor glass chipped");

    // The customer's page, in Chromium: no trace of it.
    const customerContext = await stack.browser.newContext();
    const customer = await customerContext.newPage();
    const res = await customer.goto(`${stack.worker.url}/rma/${n}?t=${await signToken(TEST_LINK_SECRET, "rma", n)}`);
    expect(res?.status()).toBe(200);
    expect(await customer.content()).not.toContain("Sensor glass chipped");
    expect(await customer.content()).not.toMatch(/internal|Nota interna/i);
    await customerContext.close();

    // Disabled by the admin: the technician's next page is the sign-in page.
    await admin.goto(`${stack.worker.url}/admin/staff`);
    await admin.click('[data-account="tecnico@alkeria.example"] button[value=disable]');
    await admin.waitForLoadState("load");
    expect(await admin.textContent("[data-flash]")).toMatch(/Account disabled/);
    await tech.goto(`${stack.worker.url}/admin`);
    expect(new URL(tech.url()).pathname).toBe("/admin/login");
    await techContext.close();
    await adminContext.close();
  });
});
