/**
 * Text a customer typed that looks like markup (`<img src=x onerror=…>`, `<script>`) is stored as text and
 * shown as text everywhere it appears: the RMA page, the printout, the confirmation page, the request
 * form filled in again from an expired RMA, a cancellation reason in the timeline, and the emails. Checked
 * in Chromium (from npm) with JavaScript on: no script ran (a window flag and dialogs, watched for the whole
 * browser context), each page was the one named (its status, no redirect to sign in), no element
 * was made from the payload, and the text is shown literally.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../functions/auth/tokens.ts";
import { watchForPayloads } from "../support/browser.ts";
import { surelyCovered } from "../support/dates.ts";
import { report } from "../support/figures.ts";
import { contextFor, openTarget, type PageFixtures, type PageTarget, pageFixtures, pageTargets } from "../support/pages.ts";
import { freshUnits } from "../support/requests.ts";
import { TEST_LINK_SECRET, triggerScheduled, useStack } from "../support/worker.ts";

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

let f: PageFixtures;
/**
 * The two units of `f`'s request: the second, bought well inside the 24 months (so under warranty), is
 * quoted by staff after they refuse its warranty.
 */
let units: ReturnType<typeof freshUnits>;
const stack = useStack({ chromium: true });
beforeAll(async () => {
  units = [...freshUnits(1), ...freshUnits(1, surelyCovered)];
  f = await pageFixtures(stack.worker.url, stack.db.url, units, {
    name: NAME,
    company: COMPANY,
    description: DESCRIPTION,
    street: STREET,
  });
});

interface Verdict {
  where: string;
  /** What went wrong opening the page (its status, or a redirect elsewhere), or null. */
  arrival: string | null;
  scriptRan: boolean;
  dialogs: number;
  madeElements: number;
  shownLiterally: string[];
  missing: string[];
}

/**
 * Opens a page (or sets an email's HTML) with JavaScript on, and looks for any sign the payload ran.
 * `load` says what went wrong on the way to the page (see `openTarget`), or null.
 */
async function inspect(
  where: string,
  load: (page: Page) => Promise<string | null>,
  expected: string[],
  target?: PageTarget,
): Promise<Verdict> {
  const context = target ? await contextFor(stack.browser, target, f, stack.worker.url) : await stack.browser.newContext();
  const watch = await watchForPayloads(context);
  const page = await context.newPage();
  const arrival = await load(page);
  await page.waitForTimeout(200);
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
    arrival,
    scriptRan: watch.flags.length > 0,
    dialogs: watch.dialogs.length,
    madeElements,
    shownLiterally: expected.filter((e) => text.includes(e)),
    missing: expected.filter((e) => !text.includes(e)),
  };
}

/** A customer's page reached by a signed link: it must answer 200 and stay where the link points. */
const visit = (path: string) => (page: Page) =>
  openTarget(page, { name: path, kind: "on-demand", path: () => path }, stack.worker.url, f);

/** The emails' subjects, as functions/email/letters.ts words them. */
const EMAIL_KINDS: { kind: string; subject: RegExp; shows: string[] }[] = [
  // "Dear NAME"; units by model and serial, no fault description.
  { kind: "receipt", subject: /^RMA request received: /, shows: [NAME] },
  // "NAME (COMPANY) <email> requested…", each unit's "Fault: DESCRIPTION".
  { kind: "staff new request", subject: /^New RMA request from /, shows: [NAME, COMPANY, DESCRIPTION] },
  { kind: "authorisation", subject: /^RMA authorised: /, shows: [NAME] },
  { kind: "unit received", subject: /^We have received your unit: /, shows: [NAME] },
  { kind: "warranty refused", subject: /^Warranty not applicable: /, shows: [NAME] },
  { kind: "quote", subject: /^Repair quote for /, shows: [NAME] },
  { kind: "expiry notice", subject: /^RMA \S+ has expired: /, shows: [NAME] },
  // "NAME <email> cancelled RMA-…", "Reason: REASON".
  { kind: "staff cancellation notice", subject: /^RMA \S+ cancelled by the customer$/, shows: [NAME, REASON] },
  // "Dear NAME", "Your reason: REASON".
  { kind: "cancellation confirmation", subject: /^RMA \S+ cancelled$/, shows: [NAME, REASON] },
];

describe("stored payloads", () => {
  it("are inert and shown as text on every customer page and in every email", async () => {
    const verdicts: Verdict[] = [];
    for (const target of pageTargets().filter((p) => p.showsCustomerText)) {
      // The same page in Italian or German (`it RMA page`) shows what its English page shows.
      const expected = SHOWN[target.name.replace(/^(it|de) /, "")] ?? [NAME];
      verdicts.push(await inspect(target.name, (page) => openTarget(page, target, stack.worker.url, f), expected, target));
    }

    // The request form filled in again from an expired RMA ("Request again").
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const expired = await pageFixtures(stack.worker.url, stack.db.url, [unit], {
      name: NAME,
      description: DESCRIPTION,
      street: STREET,
    });
    await stack.db.query("UPDATE rmas SET valid_until = ? WHERE rma_number = ?", [
      new Date(Date.now() - 86_400_000).toISOString(),
      expired.rmaNumber,
    ]);
    const again = `/rma/new?again=${expired.rmaNumber}&t=${await signToken(TEST_LINK_SECRET, "rma", expired.rmaNumber)}`;
    verdicts.push(await inspect("request form filled in again", visit(again), [NAME, STREET, DESCRIPTION]));
    // The scheduled job records its expiry and writes the expiry notice (checked with the other emails below).
    await triggerScheduled(stack.worker);
    await expect
      .poll(
        async () => (await stack.db.query("SELECT id FROM outbox WHERE dedupe_key = ?", [`expired:${expired.rmaNumber}`])).length,
        {
          timeout: 10_000,
        },
      )
      .toBe(1);

    // A cancellation reason, shown in the RMA's timeline.
    const cancelled = await pageFixtures(stack.worker.url, stack.db.url, freshUnits(1), { name: NAME });
    const res = await fetch(`${stack.worker.url}/api/rmas/${cancelled.rmaNumber}/cancel`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: cancelled.email, reason: REASON }),
    });
    expect(res.status).toBe(200);
    verdicts.push(await inspect("timeline with a cancellation reason", visit(cancelled.rmaLink), [REASON]));

    // Every email written for these requests, rendered as the mail client would (no CSP there).
    const emails = await stack.db.query<{ subject: string; html: string; text: string; recipient: string }>(
      "SELECT subject, html, text, recipient FROM outbox WHERE request_id = ? OR rma_number IN (?, ?) ORDER BY created_at",
      [f.requestId, expired.rmaNumber, cancelled.rmaNumber],
    );
    // Every email is of a known kind, each kind that these requests must have written is there, and each
    // email's HTML shows what its kind shows of the customer's text (not what its own text part happens to).
    const kindOf = (subject: string) => EMAIL_KINDS.find((k) => k.subject.test(subject));
    expect(
      emails.filter((e) => !kindOf(e.subject)).map((e) => e.subject),
      "emails of no kind listed in EMAIL_KINDS",
    ).toEqual([]);
    expect(new Set(emails.map((e) => kindOf(e.subject)?.kind))).toEqual(
      new Set([
        "receipt",
        "staff new request",
        "authorisation",
        "unit received",
        "warranty refused",
        "quote",
        "expiry notice",
        "staff cancellation notice",
        "cancellation confirmation",
      ]),
    );
    for (const e of emails) {
      verdicts.push(
        await inspect(
          `email "${e.subject.slice(0, 40)}" to ${e.recipient}`,
          async (page) => {
            await page.setContent(e.html);
            return null;
          },
          kindOf(e.subject)?.shows ?? [],
        ),
      );
    }

    report(`stored payloads in ${verdicts.length} places (JavaScript on)`, {
      ...Object.fromEntries(
        verdicts.map((v) => [
          v.where,
          `${v.arrival ? `WRONG PAGE (${v.arrival}), ` : ""}${v.scriptRan ? "SCRIPT RAN" : "no script ran"}, ${v.dialogs} dialogs, ${v.madeElements} elements made from the payload, ${v.shownLiterally.length}/${v.shownLiterally.length + v.missing.length} texts shown literally`,
        ]),
      ),
    });
    for (const v of verdicts) {
      expect(v, v.where).toMatchObject({ arrival: null, scriptRan: false, dialogs: 0, madeElements: 0, missing: [] });
    }
  }, 120_000);
});
