/**
 * The staff desk in Italian: every staff page of the shared table (test/support/pages.ts), opened by a
 * staff member whose desk language is Italian, says `<html lang="it">` and has no English sentence left
 * in what the staff member reads (`englishLeft`). The customer's request is in Italian too, so the emails in
 * the outbox and the texts the customer typed are Italian; what the table's states write themselves (a
 * reply, a customer's message) is left out: it is not the desk's words.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { englishLeft } from "../support/english.ts";
import { pageWords } from "../support/page-words.ts";
import { contextFor, openTarget, type PageFixtures, pageFixtures, pageTargets } from "../support/pages.ts";
import { freshUnits } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const DESCRIPTION = "La telecamera non si accende: il LED resta spento anche con l'alimentatore originale da 24 V.";

let f: PageFixtures;
const stack = useStack({ chromium: true });
beforeAll(async () => {
  f = await pageFixtures(stack.worker.url, stack.db.url, freshUnits(2), { description: DESCRIPTION, locale: "it" });
  const res = await fetch(`${stack.worker.url}/api/admin/account/locale`, {
    method: "PUT",
    headers: { cookie: f.staffCookie, origin: stack.worker.url, "content-type": "application/json" },
    body: JSON.stringify({ locale: "it" }),
  });
  expect(res.status).toBe(200);
});

describe("every staff page for a staff member who reads Italian", () => {
  it("is in Italian, with no English sentence left", async () => {
    // The pages as they are, not the states a target writes into (its own English reply or message).
    const targets = pageTargets().filter((t) => t.kind === "staff" && !t.open);
    expect(targets.map((t) => t.path?.(f).split("?")[0])).toEqual(
      expect.arrayContaining(["/admin", "/admin/dashboard", "/admin/quality", "/admin/audit", `/admin/rma/${f.rmaNumber}`]),
    );
    const found: string[] = [];
    for (const target of targets) {
      const context = await contextFor(stack.browser, target, f, stack.worker.url);
      const page = await context.newPage();
      const arrival = await openTarget(page, target, stack.worker.url, f);
      if (arrival) found.push(`${target.name}: ${arrival}`);
      const lang = await page.evaluate(() => document.documentElement.lang);
      if (lang !== "it") found.push(`${target.name}: <html lang="${lang}">`);
      for (const english of englishLeft(await pageWords(page))) found.push(`${target.name}: "${english}"`);
      await context.close();
    }
    expect(found).toEqual([]);
  });
});
