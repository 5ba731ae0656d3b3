/**
 * Every page is valid HTML: html-validate (its recommended rules, `.htmlvalidate.json`) over every entry
 * of the shared page table (test/support/pages.ts), against the built Worker, in every state the table
 * holds: forms posted with errors, the staff desk signed in, the request form after its script added
 * units, and the print page also as the browser holds it under print media. Zero errors.
 *
 * Each page is checked twice where it can be: the HTML as the server sent it (what a parser repairs
 * silently is caught here), and the document as the browser holds it once the page's scripts and the
 * table's steps ran (what a script inserts is caught here). A page reached another way than a plain GET
 * (`open`) is checked as the browser holds it.
 */
import { join } from "node:path";
import { FileSystemConfigLoader, HtmlValidate, type Message } from "html-validate";
import type { Page, Response } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../db/sqld.ts";
import { report } from "../support/figures.ts";
import { contextFor, openTarget, type PageFixtures, type PageTarget, pageFixtures, pageTargets } from "../support/pages.ts";
import { freshUnits } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

let f: PageFixtures;
const stack = useStack({ chromium: true });
beforeAll(async () => {
  f = await pageFixtures(stack.worker.url, stack.db.url, freshUnits(2));
});

const validator = new HtmlValidate(new FileSystemConfigLoader());

interface Check {
  /** The page's name in the table, and which of its forms: "as served", "in the browser", "… (printed)". */
  name: string;
  /** What went wrong opening the page (its status, or a redirect elsewhere), or null. */
  arrival: string | null;
  errors: string[];
  warnings: number;
}

/**
 * Validates one document. Its (virtual) file name picks the settings: in ROOT, the project's
 * `.htmlvalidate.json`; in test/html, also `test/html/.htmlvalidate.mjs`, for documents the browser
 * serialized (which writes boolean attributes its own way).
 */
async function validate(name: string, arrival: string | null, html: string, serializedByBrowser: boolean): Promise<Check> {
  const dir = serializedByBrowser ? join(ROOT, "test", "html") : ROOT;
  const file = join(dir, `${name.replace(/[^A-Za-z0-9]+/g, "-")}.html`);
  const result = await validator.validateString(html, file);
  const messages: Message[] = result.results.flatMap((r) => r.messages);
  return {
    name,
    arrival,
    errors: messages.filter((m) => m.severity === 2).map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`),
    warnings: messages.filter((m) => m.severity === 1).length,
  };
}

async function checksOf(target: PageTarget): Promise<Check[]> {
  const context = await contextFor(stack.browser, target, f, stack.worker.url);
  const page: Page = await context.newPage();
  let served: Response | undefined;
  page.on("response", (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) served = r;
  });
  const arrival = await openTarget(page, target, stack.worker.url, f);
  const checks: Check[] = [];
  if (!target.open) {
    if (!served) throw new Error(`${target.name}: no document was loaded`);
    checks.push(await validate(`${target.name}, as served`, arrival, await served.text(), false));
  }
  checks.push(await validate(`${target.name}, in the browser`, arrival, await page.content(), true));
  if (target.name === "print page") {
    await page.emulateMedia({ media: "print" });
    checks.push(await validate(`${target.name}, in the browser (printed)`, arrival, await page.content(), true));
  }
  await context.close();
  return checks;
}

describe("valid HTML (html-validate, recommended rules)", () => {
  it("finds no error on any page of the table, in any of its states", async () => {
    const targets = pageTargets();
    const checks: Check[] = [];
    for (const t of targets) checks.push(...(await checksOf(t)));
    report(`html-validate on ${targets.length} pages (${checks.length} documents)`, {
      ...Object.fromEntries(
        checks.map((c) => [
          c.name,
          (c.arrival ? `WRONG PAGE (${c.arrival}): ` : "") +
            (c.errors.length === 0 ? "valid" : `${c.errors.length} errors: ${c.errors.slice(0, 3).join(" | ")}`) +
            (c.warnings > 0 ? `, ${c.warnings} warnings` : ""),
        ]),
      ),
    });
    // Each check is of the page it names: not of an error page, nor of the sign-in page a redirect led to.
    expect(checks.flatMap((c) => (c.arrival ? [`${c.name}: ${c.arrival}`] : []))).toEqual([]);
    expect(checks.flatMap((c) => c.errors.map((e) => `${c.name}: ${e}`))).toEqual([]);
  }, 180_000);
});
