/**
 * Text a customer typed that looks like markup (`<img src=x onerror=…>`, `<script>`) is stored as text and
 * shown as text everywhere it appears: the RMA page, the printout, the confirmation page, the request
 * form filled in again from an expired RMA, a cancellation reason in the timeline, and the emails. Checked
 * in Debian's Chromium with JavaScript on: no script ran (a window flag and a dialog listener), no element
 * was made from the payload, and the text is shown literally.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../functions/auth/tokens.ts";
import type { WorkerServer } from "../../scripts/servers.ts";
import { launchChromium } from "../support/browser.ts";
import { startTestDatabase, type TestDatabase } from "../support/database.ts";
import { report } from "../support/figures.ts";
import { contextFor, type PageFixtures, type PageTarget, pageFixtures, pageTargets } from "../support/pages.ts";
import { freshUnits } from "../support/requests.ts";
import { startBuiltWorker, TEST_LINK_SECRET, triggerScheduled } from "../support/worker.ts";

const IMG = `<img src=x onerror="window.__xss=1;alert(1)">`;
const SCRIPT = `<script>window.__xss=2;alert(2)</script>`;
const SVG = `<svg onload="window.__xss=3">`;
const NAME = `Anna ${IMG}`;
const COMPANY = `Acme ${SCRIPT}`;
const STREET = `Via ${SVG} 1`;
const DESCRIPTION = `It freezes ${IMG} after ten minutes ${SCRIPT} of streaming over USB 3 ${SVG} on Windows 11.`;
const REASON = `Found a loose cable ${IMG} ${SCRIPT}`;

/** What each page shows of the customer's text (the outbox shows an email's text only when opened). */
const SHOWN: Record<string, string[]> = {
  "RMA page": [DESCRIPTION],
  "print page": [NAME, COMPANY, STREET, DESCRIPTION],
  "confirmation page": [NAME],
  "admin queue": [COMPANY],
  "admin RMA detail": [NAME, COMPANY, STREET, DESCRIPTION],
  "admin outbox": [],
};

let db: TestDatabase;
let worker: WorkerServer;
let browser: Browser;
let f: PageFixtures;
beforeAll(async () => {
  db = await startTestDatabase();
  worker = await startBuiltWorker(db.url);
  browser = await launchChromium();
  f = await pageFixtures(worker.url, db.url, freshUnits(2), {
    name: NAME,
    company: COMPANY,
    description: DESCRIPTION,
    street: STREET,
  });
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await db?.stop();
});

interface Verdict {
  where: string;
  scriptRan: boolean;
  dialogs: number;
  madeElements: number;
  shownLiterally: string[];
  missing: string[];
}

/** Opens a page (or sets an email's HTML) with JavaScript on, and looks for any sign the payload ran. */
async function inspect(
  where: string,
  load: (page: Page) => Promise<void>,
  expected: string[],
  target?: PageTarget,
): Promise<Verdict> {
  const context = target ? await contextFor(browser, target, f, worker.url) : await browser.newContext();
  const page = await context.newPage();
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  await load(page);
  await page.waitForTimeout(200);
  const scriptRan = await page.evaluate(() => (window as unknown as { __xss?: number }).__xss !== undefined);
  const madeElements = await page.evaluate(
    () =>
      document.querySelectorAll('img[src="x"], svg[onload], [onerror]').length +
      [...document.querySelectorAll("script")].filter((s) => s.textContent?.includes("__xss")).length,
  );
  // Shown literally: in the page's text, or as the value of a form field.
  const text = await page.evaluate(() => {
    const values = [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input, textarea")].map((e) => e.value);
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees (textContent would count a script's source as shown)
    return `${document.body.innerText}\n${values.join("\n")}`;
  });
  await context.close();
  return {
    where,
    scriptRan,
    dialogs,
    madeElements,
    shownLiterally: expected.filter((e) => text.includes(e)),
    missing: expected.filter((e) => !text.includes(e)),
  };
}

const visit = (path: string) => async (page: Page) => {
  await page.goto(`${worker.url}${path}`);
};

describe("stored payloads", () => {
  it("are inert and shown as text on every customer page and in every email", async () => {
    const verdicts: Verdict[] = [];
    for (const target of pageTargets().filter((p) => p.showsCustomerText)) {
      const expected = SHOWN[target.name] ?? [NAME];
      verdicts.push(await inspect(target.name, visit(target.path?.(f) ?? "/"), expected, target));
    }

    // The request form filled in again from an expired RMA ("Request again").
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const expired = await pageFixtures(worker.url, db.url, [unit], { name: NAME, description: DESCRIPTION, street: STREET });
    await db.query("UPDATE rmas SET valid_until = ? WHERE rma_number = ?", [
      new Date(Date.now() - 86_400_000).toISOString(),
      expired.rmaNumber,
    ]);
    const again = `/rma/new?again=${expired.rmaNumber}&t=${await signToken(TEST_LINK_SECRET, "rma", expired.rmaNumber)}`;
    verdicts.push(await inspect("request form filled in again", visit(again), [NAME, STREET, DESCRIPTION]));
    // The scheduled job records its expiry and writes the expiry notice (checked with the other emails below).
    await triggerScheduled(worker);
    await expect
      .poll(async () => (await db.query("SELECT id FROM outbox WHERE dedupe_key = ?", [`expired:${expired.rmaNumber}`])).length, {
        timeout: 10_000,
      })
      .toBe(1);

    // A cancellation reason, shown in the RMA's timeline.
    const cancelled = await pageFixtures(worker.url, db.url, freshUnits(1), { name: NAME });
    const res = await fetch(`${worker.url}/api/rmas/${cancelled.rmaNumber}/cancel`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: cancelled.email, reason: REASON }),
    });
    expect(res.status).toBe(200);
    verdicts.push(await inspect("timeline with a cancellation reason", visit(cancelled.rmaLink), [REASON]));

    // Every email written for these requests, rendered as the mail client would (no CSP there).
    const emails = await db.query<{ subject: string; html: string; text: string; recipient: string }>(
      "SELECT subject, html, text, recipient FROM outbox WHERE request_id = ? OR rma_number IN (?, ?) ORDER BY created_at",
      [f.requestId, expired.rmaNumber, cancelled.rmaNumber],
    );
    expect(emails.length).toBeGreaterThanOrEqual(5);
    for (const e of emails) {
      const shows = [NAME, REASON, DESCRIPTION].filter((x) => e.text.includes(x));
      verdicts.push(
        await inspect(
          `email "${e.subject.slice(0, 40)}" to ${e.recipient}`,
          async (page) => {
            await page.setContent(e.html);
          },
          shows,
        ),
      );
    }

    report(`stored payloads in ${verdicts.length} places (JavaScript on)`, {
      ...Object.fromEntries(
        verdicts.map((v) => [
          v.where,
          `${v.scriptRan ? "SCRIPT RAN" : "no script ran"}, ${v.dialogs} dialogs, ${v.madeElements} elements made from the payload, ${v.shownLiterally.length}/${v.shownLiterally.length + v.missing.length} texts shown literally`,
        ]),
      ),
    });
    for (const v of verdicts) {
      expect(v, v.where).toMatchObject({ scriptRan: false, dialogs: 0, madeElements: 0, missing: [] });
    }
  }, 120_000);
});
