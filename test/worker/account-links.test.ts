/**
 * "My returns" keeps the customer in their language: in the Italian and German list and unit history,
 * "New request", each RMA's page, its printable form and "Request again" lead to those pages in the same
 * language (`/it/rma/…?t=…`), signed links included, and each answers there in that language.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getPage, signInAs, siteOf } from "../support/account.ts";
import { authorizeDaysAgo } from "../support/lifecycle.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack();
const site = siteOf(stack);
const EMAIL = "links.customer@example.com";
let cookie = "";
let serial = "";
let authorised = "";
let lapsed = "";

beforeAll(async () => {
  const units = freshUnits(2);
  serial = units[1]?.serialNumber ?? "";
  const body = requestBody(units);
  const { rmaNumbers } = await issueThroughWorker(stack.worker.url, { ...body, contact: { ...body.contact, email: EMAIL } });
  [authorised = "", lapsed = ""] = rmaNumbers;
  await authorizeDaysAgo(stack.db.url, authorised, 0);
  await authorizeDaysAgo(stack.db.url, lapsed, 40);
  cookie = await signInAs(site, stack.db, EMAIL);
});

/** The links of the page's <main> (the language switcher, which offers the other languages, is outside it). */
const hrefs = (html: string) =>
  [...html.slice(html.indexOf("<main"), html.indexOf("</main>")).matchAll(/href="([^"]+)"/g)].map((m) =>
    (m[1] ?? "").replace(/&amp;/g, "&"),
  );

describe("My returns' links in the page's language", () => {
  for (const locale of ["it", "de"] as const) {
    it(`lead to the ${locale} pages, and those answer in ${locale}`, async () => {
      const list = hrefs(await (await getPage(site, `/${locale}/account`, { cookie })).text());
      const expected = {
        newRequest: `/${locale}/rma/new?from=account`,
        page: list.find((h) => h.startsWith(`/${locale}/rma/${authorised}?t=`)),
        print: list.find((h) => h.startsWith(`/${locale}/rma/${authorised}/print?t=`)),
        again: list.find((h) => h.startsWith(`/${locale}/rma/new?again=${lapsed}&t=`)),
      };
      expect(list).toContain(expected.newRequest);
      expect(expected.page).toBeDefined();
      expect(expected.print).toBeDefined();
      expect(expected.again).toBeDefined();
      // No link of the list leads to an English customer page.
      expect(list.filter((h) => /^\/(rma|status|account)\b/.test(h))).toEqual([]);
      for (const href of Object.values(expected)) {
        const res = await getPage(site, href ?? "", { cookie });
        expect([href, res.status]).toEqual([href, 200]);
        expect(await res.text()).toContain(`<html lang="${locale}"`);
      }
      const unit = hrefs(await (await getPage(site, `/${locale}/account/units/${serial}`, { cookie })).text());
      expect(unit.some((h) => h.startsWith(`/${locale}/rma/${lapsed}?t=`))).toBe(true);
      expect(unit.some((h) => h.startsWith(`/${locale}/rma/new?again=${lapsed}&t=`))).toBe(true);
    });
  }

  it("stay English under no prefix", async () => {
    const list = hrefs(await (await getPage(site, "/account", { cookie })).text());
    expect(list).toContain("/rma/new?from=account");
    expect(list.some((h) => h.startsWith(`/rma/${authorised}/print?t=`))).toBe(true);
  });
});
