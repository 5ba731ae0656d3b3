/**
 * The quality dashboard in Chromium (from npm) against the built Worker and sqld, JavaScript off: each
 * chart is an SVG drawn on the server with one mark per row of its data (counted against SQL over the
 * RMAs), each has its table, the page has no accessibility violation (axe), and it prints.
 */
import AxeBuilder from "@axe-core/playwright";
import type { BrowserContext } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { surelyCovered, surelyNotCovered } from "../support/dates.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { signInToWorker } from "../support/staff.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack({ chromium: true });
let cookie: string;

async function act(rmaNumber: string, action: string, body: Record<string, unknown> = {}) {
  const headers = { "content-type": "application/json", origin: stack.worker.url, cookie };
  const [row] = await stack.db.query<{ version: number }>("SELECT version FROM rmas WHERE rma_number = ?", [rmaNumber]);
  const res = await fetch(`${stack.worker.url}/api/admin/rmas/${rmaNumber}/${action}`, {
    method: "POST",
    headers,
    body: JSON.stringify({ version: row?.version, ...body }),
  });
  if (res.status !== 200) throw new Error(`${action}: ${res.status} ${await res.text()}`);
}

async function one(covered: boolean): Promise<string> {
  const { rmaNumbers } = await issueThroughWorker(
    stack.worker.url,
    requestBody(freshUnits(1, covered ? surelyCovered : surelyNotCovered)),
  );
  return rmaNumbers[0] as string;
}

const QUOTE = { labourCents: 10000, partsAndSuppliesCents: 2000, handlingFeeCents: 1500, returnShippingCents: 1800 };

beforeAll(async () => {
  cookie = await signInToWorker(stack.worker.url);
  const categories = ["sensor", "power", "firmware"];
  for (const [i, category] of categories.entries()) {
    const n = await one(true);
    await act(n, "authorize");
    await act(n, "receive");
    await act(n, "confirm-warranty", { failureCategory: category, firmwareReceived: `2.${i}.0` });
    if (i === 0) {
      await act(n, "finish-repair", { firmwareShipped: "2.5.0" });
      await act(n, "ship", { carrier: "DHL", trackingNumber: `JD00${i}` });
    }
  }
  for (const decision of ["accept", "decline"]) {
    const n = await one(false);
    await act(n, "authorize");
    await act(n, "receive");
    await act(n, "quote", QUOTE);
    await act(n, "record-quote-answer", { decision });
  }
  await one(true);
}, 60_000);

async function dashboard(context: BrowserContext, query = "") {
  const [name, value] = cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: stack.worker.url }]);
  const page = await context.newPage();
  const res = await page.goto(`${stack.worker.url}/admin/dashboard${query}`);
  expect(res?.status()).toBe(200);
  return page;
}

/** The marks a chart draws: Plot's bars and dots (its axes, rules and ticks are not counted). */
const MARKS = 'svg g[data-mark="bar"] rect, svg g[data-mark="dot"] circle';

describe("the quality dashboard", () => {
  it("draws every chart as an SVG with one mark per row of its data, beside its table", async () => {
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await dashboard(context);
    const month = new Date().toISOString().slice(0, 7);
    const [perMonth] = await stack.db.query<{ n: number }>("SELECT count(DISTINCT model) AS n FROM rmas");
    const [failures] = await stack.db.query<{ n: number }>(
      "SELECT count(*) AS n FROM (SELECT DISTINCT r.model, d.category_code FROM rma_diagnoses d JOIN rmas r USING (rma_number))",
    );
    const [returnRows] = await stack.db.query<{ n: number }>("SELECT count(DISTINCT model) AS n FROM rmas");
    const [stages] = await stack.db.query<{ n: number }>(
      `SELECT (count(authorized_at) > 0) + (count(received_on) > 0) + (count(coalesce(diagnosed_at, quoted_at)) > 0)
            + (count(quote_answered_at) > 0) + (count(shipped_at) > 0) AS n FROM rmas`,
    );
    const expected: Record<string, number> = {
      "chart-per-month": perMonth?.n ?? -1,
      "chart-return-rates": returnRows?.n ?? -1,
      "chart-failures": failures?.n ?? -1,
      // One month, two bars: warranty and paid.
      "chart-repairs": 2,
      // One month with answered quotes: one dot.
      "chart-quotes": 1,
      "chart-turnaround": stages?.n ?? -1,
    };
    expect(Object.values(expected).every((n) => n > 0)).toBe(true);
    for (const [chart, marks] of Object.entries(expected)) {
      const section = page.locator(`[data-chart="${chart}"]`);
      expect(await section.locator("svg").count(), chart).toBeGreaterThan(0);
      expect(await section.locator(MARKS).count(), chart).toBe(marks);
      // The repairs table has one row per month for its two bars.
      expect(await section.locator("table tbody tr").count(), chart).toBe(chart === "chart-repairs" ? marks / 2 : marks);
    }
    expect(await page.textContent(`[data-chart="chart-repairs"] tbody tr`)).toContain(month);
    await context.close();
  });

  it("lists the open RMAs past their target, most overdue first, linked to their pages", async () => {
    const late = await one(true);
    // Requested on Thursday 2 April 2026, still waiting for a decision: due Tuesday 7 April (Easter Monday not counted).
    await stack.db.query("UPDATE rmas SET requested_at = '2026-04-02T10:00:00.000Z' WHERE rma_number = ?", [late]);
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await dashboard(context);
    const first = page.locator("[data-overdue-list] tbody tr").first();
    expect(await first.getAttribute("data-overdue-rma")).toBe(late);
    expect(await first.locator("td").allTextContents()).toEqual([
      "Decision on the request",
      "7 April 2026",
      expect.stringMatching(/^\d+$/),
    ]);
    expect(await first.locator("a").getAttribute("href")).toBe(`/admin/rma/${late}`);
    await context.close();
  });

  it("filters by model: every chart shows only that model", async () => {
    const month = new Date().toISOString().slice(0, 7);
    const [row] = await stack.db.query<{ model: string; n: number }>(
      "SELECT model, count(*) AS n FROM rmas WHERE substr(requested_at, 1, 7) = ? GROUP BY model ORDER BY n DESC LIMIT 1",
      [month],
    );
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await dashboard(context, `?from=${month}&to=${month}`);
    await page.selectOption("#f-model", row?.model as string);
    await page.click("form.filters button[type=submit]");
    await page.waitForLoadState("load");
    expect(new URL(page.url()).searchParams.get("model")).toBe(row?.model);
    const cells = await page.locator('[data-chart="chart-per-month"] tbody td').allTextContents();
    expect(cells).toEqual([row?.model, String(row?.n)]);
    await context.close();
  });

  it("says which field of the filter is wrong and shows the default period", async () => {
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await dashboard(context, "?from=2026-13");
    expect(await page.textContent("#f-from-error")).toMatch(/a month like 2026-03/);
    expect(await page.getAttribute("#f-from", "aria-describedby")).toBe("f-from-error");
    await context.close();
  });

  it("has no accessibility violation of any impact, on screen and printed", async () => {
    const context = await stack.browser.newContext();
    const page = await dashboard(context);
    for (const media of ["screen", "print"] as const) {
      await page.emulateMedia({ media });
      const results = await new AxeBuilder({ page }).analyze();
      expect(
        results.violations.map((v) => `${media}: ${v.impact} ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`),
      ).toEqual([]);
    }
    await context.close();
  });

  it("downloads a chart's table as CSV with a BOM", async () => {
    const res = await fetch(`${stack.worker.url}/admin/dashboard?format=csv&table=failures`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3)).split("\r\n")[0]).toBe("Model,Failure category,RMAs");
  });
});

describe("the quality settings page", () => {
  it("saves the targets, refuses zero days beside the field, and adds and retires a failure category, without JavaScript", async () => {
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const [name, value] = cookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url: stack.worker.url }]);
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/admin/quality`);
    expect(await page.inputValue("#f-targets-decideDays")).toBe("2");
    await page.fill("#f-targets-decideDays", "0");
    await page.click("form:has(#f-targets-decideDays) button[type=submit]");
    expect(await page.textContent("#f-targets-decideDays-error")).toMatch(/at least 1 working day/);
    await page.fill("#f-targets-decideDays", "3");
    await page.click("form:has(#f-targets-decideDays) button[type=submit]");
    await page.waitForURL(/saved=targets/);
    expect(await page.inputValue("#f-targets-decideDays")).toBe("3");
    const [stored] = await stack.db.query("SELECT value FROM settings WHERE key = 'turnaround_decide_days'");
    expect(stored?.["value"]).toBe("3");

    await page.fill("#f-add-code", "Bad Code");
    await page.fill("#f-add-name", "Cooling fan");
    await page.click("form:has(#f-add-code) button[type=submit]");
    expect(await page.textContent("#f-add-code-error")).toMatch(/lower-case letters/);
    expect(await page.inputValue("#f-add-name")).toBe("Cooling fan");
    await page.fill("#f-add-code", "cooling-fan");
    await page.click("form:has(#f-add-code) button[type=submit]");
    await page.waitForURL(/saved=category/);
    await page.click('tr[data-category="cooling-fan"] button:has-text("Retire")');
    await page.waitForURL(/saved=category/);
    const [row] = await stack.db.query("SELECT name, retired_at FROM failure_categories WHERE code = 'cooling-fan'");
    expect(row?.["name"]).toBe("Cooling fan");
    expect(row?.["retired_at"]).toBeTruthy();
    await context.close();
  });

  it("has no accessibility violation of any impact", async () => {
    const context = await stack.browser.newContext();
    const [name, value] = cookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url: stack.worker.url }]);
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/admin/quality`);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.impact} ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`)).toEqual(
      [],
    );
    await context.close();
  });
});
