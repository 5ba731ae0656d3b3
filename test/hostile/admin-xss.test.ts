/**
 * Text that looks like HTML stays text on the staff desk: a customer's payload on the admin detail and
 * queue, and a staff member's payload on the customer's page and in the emails. Checked in Chromium.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from "../../db/seed.ts";
import { signToken } from "../../functions/auth/tokens.ts";
import { type PayloadWatch, watchForPayloads } from "../support/browser.ts";
import { DESCRIPTION, freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { TEST_LINK_SECRET, useStack } from "../support/worker.ts";

const CUSTOMER_PAYLOAD = `<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script>`;
const STAFF_PAYLOAD = `<svg onload="window.__xss=3"></svg><iframe src="javascript:window.__xss=4"></iframe>`;

const stack = useStack({ chromium: true });

/** A page whose context records any payload that ran, on any page it shows, for the whole test. */
async function watchedPage(): Promise<{ page: Page; watch: PayloadWatch }> {
  const context = await stack.browser.newContext();
  const watch = await watchForPayloads(context);
  return { page: await context.newPage(), watch };
}

describe("stored payloads on the staff desk", () => {
  it("(the watch itself) catches a payload that ran on a page since left", async () => {
    const { page, watch } = await watchedPage();
    await page.setContent(`<img src=x onerror="window.__xss=1;alert(1)">`);
    await expect.poll(() => watch.dialogs.length).toBe(1);
    await page.goto(`${stack.worker.url}/faq`);
    expect(watch.flags).toEqual([expect.stringMatching(/__xss=1$/)]);
    expect(watch.dialogs).toEqual(["1"]);
    await page.context().close();
  });

  it("shows a customer's HTML as text on the queue and the RMA's admin page, and staff HTML as text to the customer", async () => {
    const body = requestBody(freshUnits(1));
    body.contact.name = `Eve ${CUSTOMER_PAYLOAD}`;
    body.contact.company = `ACME ${CUSTOMER_PAYLOAD}`.slice(0, 120);
    (body.units[0] as { issueDescription: string }).issueDescription = `${CUSTOMER_PAYLOAD} ${DESCRIPTION}`;
    const rmaNumber = (await issueThroughWorker(stack.worker.url, body)).rmaNumbers[0] ?? "";

    const { page, watch } = await watchedPage();
    await page.goto(`${stack.worker.url}/admin/login`);
    await page.fill('[name="email"]', DEMO_ADMIN_EMAIL);
    await page.fill('[name="password"]', DEMO_ADMIN_PASSWORD);
    await Promise.all([page.waitForURL(/\/admin(\?|$)/), page.click('button[type="submit"]')]);
    expect(await page.content()).toContain(rmaNumber);
    await page.goto(`${stack.worker.url}/admin/rma/${rmaNumber}`);
    const text = (await page.textContent("main")) ?? "";
    expect(text).toContain(CUSTOMER_PAYLOAD);
    expect(await page.locator("main img, main script:not([src]), main iframe, main svg[onload]").count()).toBe(0);

    // Staff reject it with HTML in the reason: the customer sees it as text, and the email escapes it.
    const version =
      (await stack.db.query<{ version: number }>("SELECT version FROM rmas WHERE rma_number = ?", [rmaNumber]))[0]?.version ?? 0;
    const cookies = await page.context().cookies();
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const reject = await fetch(`${stack.worker.url}/api/admin/rmas/${rmaNumber}/reject`, {
      method: "POST",
      headers: { cookie, origin: stack.worker.url, "content-type": "application/json" },
      body: JSON.stringify({ version, reason: `Not our product ${STAFF_PAYLOAD}` }),
    });
    expect(reject.status).toBe(200);
    await page.goto(`${stack.worker.url}/rma/${rmaNumber}?t=${await signToken(TEST_LINK_SECRET, "rma", rmaNumber)}`);
    expect(await page.textContent(".timeline")).toContain(STAFF_PAYLOAD);
    expect(await page.locator("main svg[onload], main iframe").count()).toBe(0);
    await page.goto(`${stack.worker.url}/admin/rma/${rmaNumber}`);
    expect(await page.textContent("main")).toContain(STAFF_PAYLOAD);

    const mails = await stack.db.query<{ html: string; text: string }>(
      "SELECT html, text FROM outbox WHERE rma_number = ? OR request_id = (SELECT request_id FROM rmas WHERE rma_number = ?)",
      [rmaNumber, rmaNumber],
    );
    expect(mails.length).toBeGreaterThanOrEqual(3);
    for (const m of mails) {
      expect(m.html).not.toMatch(/<img src=x|<script>window|<svg onload|<iframe/);
    }
    expect(mails.some((m) => m.text.includes(STAFF_PAYLOAD))).toBe(true);
    // On every page shown above (sign-in, queue, detail, the customer's page, the detail again).
    expect(watch.flags).toEqual([]);
    expect(watch.dialogs).toEqual([]);
    await page.context().close();
  });
});
