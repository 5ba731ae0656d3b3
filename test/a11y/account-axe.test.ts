/**
 * "My returns" in the npm Chromium against the built Worker: axe-core finds no violation of any impact
 * on each of its pages, in English, Italian and German; and the whole flow works with JavaScript off
 * (ask for a link, open it from the email, sign in, see the list, open a unit's history, sign out).
 * Each page is also valid HTML (html-validate, the project's rules), as served and as the browser holds it.
 * The lead moves the page list into test/support/pages.ts (PAGES_AUDITED) at merge.
 */
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { FileSystemConfigLoader, HtmlValidate } from "html-validate";
import type { Page, Response } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../db/sqld.ts";
import { linkIn, postJson, signInAs, signInEmails } from "../support/account.ts";
import { report } from "../support/figures.ts";
import { authorizeDaysAgo } from "../support/lifecycle.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack({ chromium: true });
const site = {
  get url() {
    return stack.worker.url;
  },
};
const EMAIL = "axe@example.com";
let cookie = "";
let serial = "";

beforeAll(async () => {
  const units = freshUnits(2);
  serial = units[0]?.serialNumber ?? "";
  const body = requestBody(units);
  const { rmaNumbers } = await issueThroughWorker(stack.worker.url, { ...body, contact: { ...body.contact, email: EMAIL } });
  await authorizeDaysAgo(stack.db.url, rmaNumbers[0] ?? "", 0);
  await authorizeDaysAgo(stack.db.url, rmaNumbers[1] ?? "", 40); // lapsed: expired, with "Request again"
  cookie = await signInAs(site, stack.db, EMAIL);
}, 60_000);

/** A fresh, unused sign-in link for the landing page, in `locale`. */
async function freshLink(locale: "en" | "it" | "de"): Promise<string> {
  await postJson(
    site,
    "/api/account/sign-in-link",
    { email: EMAIL, locale },
    { "cf-connecting-ip": `192.0.2.${Math.floor(Math.random() * 200)}` },
  );
  const [mail] = await signInEmails(stack.db, EMAIL);
  return linkIn(mail?.text ?? "").path;
}

const validator = new HtmlValidate(new FileSystemConfigLoader());

interface Target {
  name: string;
  signedIn: boolean;
  status: number;
  open: (page: Page) => Promise<number | undefined>;
}

function targets(): Target[] {
  const out: Target[] = [];
  for (const locale of ["en", "it", "de"] as const) {
    const p = locale === "en" ? "" : `/${locale}`;
    const go = (path: string) => async (page: Page) => (await page.goto(`${stack.worker.url}${path}`))?.status();
    out.push(
      { name: `${locale} sign-in form`, signedIn: false, status: 200, open: go(`${p}/account`) },
      { name: `${locale} link sent`, signedIn: false, status: 200, open: go(`${p}/account?sent=1`) },
      {
        name: `${locale} email refused at its field`,
        signedIn: false,
        status: 422,
        open: async (page) => {
          await page.goto(`${stack.worker.url}${p}/account`);
          await page.fill("#f-email", "not-an-address");
          const [res] = await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
          return res?.status();
        },
      },
      { name: `${locale} link landing`, signedIn: false, status: 200, open: async (page) => go(await freshLink(locale))(page) },
      { name: `${locale} link refused`, signedIn: false, status: 403, open: go(`${p}/account/sign-in?token=${"x".repeat(43)}`) },
      { name: `${locale} list`, signedIn: true, status: 200, open: go(`${p}/account`) },
      { name: `${locale} list filtered, nothing found`, signedIn: true, status: 200, open: go(`${p}/account?status=closed`) },
      { name: `${locale} unit history`, signedIn: true, status: 200, open: go(`${p}/account/units/${serial}`) },
      { name: `${locale} unit not hers`, signedIn: true, status: 404, open: go(`${p}/account/units/NOSUCHUNIT`) },
      { name: `${locale} sign out`, signedIn: true, status: 200, open: go(`${p}/account/sign-out`) },
      { name: `${locale} signed out`, signedIn: false, status: 200, open: go(`${p}/account/sign-out`) },
    );
  }
  return out;
}

describe("My returns pages", () => {
  it("have no axe violation of any impact and are valid HTML, in every language", async () => {
    const results: Record<string, string> = {};
    const problems: string[] = [];
    for (const target of targets()) {
      const context = await stack.browser.newContext();
      if (target.signedIn) {
        const [name = "", value = ""] = cookie.split("=");
        await context.addCookies([{ name, value, url: stack.worker.url }]);
      }
      const page = await context.newPage();
      let served: Response | undefined;
      page.on("response", (r) => {
        if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) served = r;
      });
      const status = await target.open(page);
      if (!served) problems.push(`${target.name}: no document was loaded`);
      for (const [how, html, dir] of [
        ["as served", (await served?.text()) ?? "", ROOT],
        ["in the browser", await page.content(), join(ROOT, "test", "html")],
      ] as const) {
        const result = await validator.validateString(html, join(dir, `${target.name.replace(/[^A-Za-z0-9]+/g, "-")}.html`));
        for (const m of result.results.flatMap((r) => r.messages).filter((m) => m.severity === 2))
          problems.push(`${target.name} (${how}): invalid HTML ${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
      }
      if (status !== target.status) problems.push(`${target.name}: answered ${status} instead of ${target.status}`);
      const axe = await new AxeBuilder({ page }).analyze();
      await context.close();
      results[target.name] =
        axe.violations.length === 0
          ? `no violations (${axe.passes.length} rules passed)`
          : axe.violations.map((v) => `${v.impact} ${v.id} ×${v.nodes.length}`).join(", ");
      for (const v of axe.violations)
        problems.push(`${target.name}: ${v.impact} ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(" | ")})`);
    }
    report(`axe-core on ${Object.keys(results).length} My returns pages`, results);
    expect(Object.keys(results)).toHaveLength(33);
    expect(problems).toEqual([]);
  }, 240_000);

  it("work without JavaScript: ask for a link, sign in from the email, list, unit history, sign out", async () => {
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/de/account`);
    await page.fill("#f-email", EMAIL.toUpperCase());
    await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe("/de/account?sent=1");
    expect(await page.textContent("main")).toContain("Sehen Sie in Ihr Postfach");
    const [mail] = await signInEmails(stack.db, EMAIL);
    expect(mail?.subject).toBe("Ihr Anmeldelink für Meine Rücksendungen");
    await page.goto(`${stack.worker.url}${linkIn(mail?.text ?? "").path}`);
    await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
    expect(new URL(page.url()).pathname).toBe("/de/account");
    const list = (await page.textContent("main")) ?? "";
    expect(list).toContain(`Angemeldet als ${EMAIL}.`);
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
