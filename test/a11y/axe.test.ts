/**
 * Accessibility of every page with axe-core in the npm Chromium, against the built Worker: zero
 * violations of any impact (minor and moderate too, as the README promises). Pages come from the shared
 * table (test/support/pages.ts), the staff desk's visited signed in; how many are audited is asserted,
 * so a table that loses a page is noticed.
 */
import AxeBuilder from "@axe-core/playwright";
import { beforeAll, describe, expect, it } from "vitest";
import { report } from "../support/figures.ts";
import { contextFor, openTarget, type PageFixtures, type PageTarget, pageFixtures, pageTargets } from "../support/pages.ts";
import { freshUnits } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

/**
 * Pages audited: every entry of the page table, and the print page once more in print media. Change it
 * with the table, in one place. 28 in English, plus /search and the 9 static pages (home, FAQ, policies,
 * 5 policies, search) in each of Italian and German, and the 10 on-demand customer pages and states
 * (request form, with errors, status, with an error, RMA, print, confirmation, quote, link not valid,
 * unknown page) in each of Italian and German, and the team desk's /admin/staff, /admin/audit and /admin/account,
 * the insight desk's /admin/dashboard and /admin/quality,
 * and the 11 pages and states of My returns (sign-in form, link sent, email refused, link landing, link not
 * valid, list, list filtered, unit history, unit not theirs, sign out, signed out) in each of the three languages,
 * and the request form with a refused file, and the staff RMA page's history with messages and files,
 * and its reply refused.
 */
const PAGES_AUDITED = 108;

let f: PageFixtures;
const stack = useStack({ chromium: true });
beforeAll(async () => {
  f = await pageFixtures(stack.worker.url, stack.db.url, freshUnits(2));
});

interface Audit {
  name: string;
  /** What went wrong opening the page (its status, or a redirect elsewhere), or null. */
  arrival: string | null;
  violations: { id: string; impact: string; nodes: number; help: string; targets: string[] }[];
  passes: number;
}

async function audit(target: PageTarget, media: "screen" | "print" = "screen"): Promise<Audit> {
  // axe runs in the page, so JavaScript stays on (forms with errors are posted without the page's script).
  const context = await contextFor(stack.browser, target, f, stack.worker.url);
  const page = await context.newPage();
  const arrival = await openTarget(page, target, stack.worker.url, f);
  await page.emulateMedia({ media });
  const results = await new AxeBuilder({ page }).analyze();
  await context.close();
  return {
    name: media === "print" ? `${target.name} (printed)` : target.name,
    arrival,
    violations: results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? "unknown",
      nodes: v.nodes.length,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    })),
    passes: results.passes.length,
  };
}

describe("accessibility (axe-core)", () => {
  it("finds no violation of any impact on any page", async () => {
    const audits: Audit[] = [];
    for (const t of pageTargets()) {
      audits.push(await audit(t));
      if (t.name === "print page") audits.push(await audit(t, "print"));
    }
    report(`axe-core on ${audits.length} pages`, {
      ...Object.fromEntries(
        audits.map((a) => [
          a.name,
          (a.arrival ? `WRONG PAGE (${a.arrival}): ` : "") +
            (a.violations.length === 0
              ? `no violations (${a.passes} rules passed)`
              : a.violations.map((v) => `${v.impact} ${v.id} ×${v.nodes} [${v.targets.join(" | ")}]`).join(", ")),
        ]),
      ),
    });
    expect(audits).toHaveLength(PAGES_AUDITED);
    // Each audit is of the page it names: not of an error page, nor of the sign-in page a redirect led to.
    expect(audits.flatMap((a) => (a.arrival ? [`${a.name}: ${a.arrival}`] : []))).toEqual([]);
    expect(
      audits.flatMap((a) => a.violations.map((v) => `${a.name}: ${v.impact} ${v.id} — ${v.help} (${v.targets.join(" | ")})`)),
    ).toEqual([]);
  }, 300_000);
});
