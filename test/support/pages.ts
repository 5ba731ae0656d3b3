/**
 * Every page of the portal as one table, shared by the suites that visit them all (security headers,
 * accessibility, stored payloads). Adding a page is one entry; the staff desk's pages are listed with a
 * `todo` until that work is in this tree, so enabling them is deleting the `todo` and giving the path.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ROOT } from "../../db/sqld.ts";
import { requestPath, rmaPath } from "../../functions/links.ts";
import { authorizeDaysAgo } from "./lifecycle.ts";
import { type freshUnits, requestBody } from "./requests.ts";
import { TEST_LINK_SECRET } from "./worker.ts";

/** Data the on-demand pages need: an authorised RMA of a request of two units, with its signed links. */
export interface PageFixtures {
  rmaNumber: string;
  requestId: string;
  email: string;
  /** `/rma/{n}?t=…` */
  rmaLink: string;
  /** `/rma/{n}/print?t=…` */
  printLink: string;
  /** `/rma/requests/{id}?t=…` */
  confirmationLink: string;
}

export interface PageTarget {
  name: string;
  kind: "static" | "on-demand" | "staff";
  path?: (f: PageFixtures) => string;
  /** Navigates another way than a plain GET of `path` (e.g. a form posted with errors); JavaScript is on. */
  open?: (page: Page, baseUrl: string, f: PageFixtures) => Promise<void>;
  /** The status a GET of `path` answers (200 unless said). */
  status?: number;
  /** Shows text a customer typed (contact, fault description): checked for stored payloads. */
  showsCustomerText?: boolean;
  /** Not in this tree yet: listed and skipped, for whoever brings that page in. */
  todo?: string;
}

const ADMIN_TODO = "the staff admin desk is built in another tree: the lead adds its path (and a signed-in session) here";

/** The static policy pages, as the build produced them (a new policy is picked up without editing this). */
function policyPages(): PageTarget[] {
  let files: string[] = [];
  try {
    files = readdirSync(join(ROOT, "dist", "client", "policies")).filter((f) => f.endsWith(".html"));
  } catch {
    files = [];
  }
  return files.map((f) => ({
    name: `policy: ${f.replace(/\.html$/, "")}`,
    kind: "static",
    path: () => `/policies/${f.replace(/\.html$/, "")}`,
  }));
}

export function pageTargets(): PageTarget[] {
  return [
    { name: "home", kind: "static", path: () => "/" },
    { name: "FAQ", kind: "static", path: () => "/faq" },
    { name: "policies index", kind: "static", path: () => "/policies" },
    ...policyPages(),
    { name: "request form", kind: "on-demand", path: () => "/rma/new" },
    {
      name: "request form with errors (posted without JavaScript)",
      kind: "on-demand",
      path: () => "/rma/new",
      open: async (page, baseUrl) => {
        await page.goto(`${baseUrl}/rma/new`);
        await page.fill('[name="contact.name"]', "A");
        await page.fill('[name="contact.email"]', "not-an-email");
        await page.fill('[name="units.0.serialNumber"]', "ZZ999999");
        await page.fill('[name="units.0.issueDescription"]', "Broken.");
        // form.submit() posts it the way a browser without JavaScript does: the page's script does not
        // step in, and the server's answer (422, the form with every message at its field) is what loads.
        await Promise.all([
          page.waitForURL(`${baseUrl}/rma/new`, { waitUntil: "load" }),
          page.evaluate(() => (document.getElementById("rma-form") as HTMLFormElement).submit()),
        ]);
        await page.waitForSelector("#form-errors");
      },
    },
    { name: "status page", kind: "on-demand", path: () => "/status" },
    {
      name: "status page with an error",
      kind: "on-demand",
      path: () => "/status",
      open: async (page, baseUrl, f) => {
        await page.goto(`${baseUrl}/status`);
        await page.fill('[name="rmaNumber"]', f.rmaNumber);
        await page.fill('[name="email"]', "someone.else@example.com");
        await Promise.all([page.waitForLoadState("load"), page.click('button[type="submit"]')]);
        await page.waitForSelector('[role="alert"]');
      },
    },
    { name: "RMA page", kind: "on-demand", path: (f) => f.rmaLink, showsCustomerText: true },
    { name: "print page", kind: "on-demand", path: (f) => f.printLink, showsCustomerText: true },
    { name: "confirmation page", kind: "on-demand", path: (f) => f.confirmationLink, showsCustomerText: true },
    { name: "RMA page, link not valid", kind: "on-demand", status: 403, path: (f) => `/rma/${f.rmaNumber}?t=${"A".repeat(22)}` },
    { name: "unknown page", kind: "on-demand", status: 404, path: () => "/no-such-page" },
    {
      name: "refusal page (a form posted from another site)",
      kind: "on-demand",
      path: () => "/status",
      open: async (page, baseUrl) => {
        const res = await fetch(`${baseUrl}/status`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://elsewhere.example" },
          body: "rmaNumber=x",
        });
        if (res.status !== 403) throw new Error(`expected the refusal page, got ${res.status}`);
        await page.goto(`${baseUrl}/faq`);
        await page.setContent(await res.text());
      },
    },
    { name: "admin sign-in", kind: "staff", todo: ADMIN_TODO },
    { name: "admin queue", kind: "staff", todo: ADMIN_TODO },
    { name: "admin RMA detail", kind: "staff", showsCustomerText: true, todo: ADMIN_TODO },
  ];
}

/**
 * Issues a request of two units through the built Worker (contact and fault as given), authorises the
 * first unit today, and returns the signed links of its pages.
 */
export async function pageFixtures(
  baseUrl: string,
  databaseUrl: string,
  units: ReturnType<typeof freshUnits>,
  overrides: { name?: string; company?: string; email?: string; description?: string; street?: string } = {},
): Promise<PageFixtures> {
  const body = requestBody(units);
  if (overrides.name) body.contact.name = overrides.name;
  if (overrides.company) body.contact.company = overrides.company;
  if (overrides.email) body.contact.email = overrides.email;
  if (overrides.street) body.returnAddress.street = overrides.street;
  if (overrides.description) for (const u of body.units) u.issueDescription = overrides.description;
  const res = await fetch(`${baseUrl}/api/rma-requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`fixture request refused: ${res.status} ${await res.text()}`);
  const { requestId, rmas } = (await res.json()) as { requestId: string; rmas: { rmaNumber: string }[] };
  const rmaNumber = rmas[0]?.rmaNumber ?? "";
  await authorizeDaysAgo(databaseUrl, rmaNumber, 0);
  const rmaLink = await rmaPath(TEST_LINK_SECRET, rmaNumber);
  return {
    rmaNumber,
    requestId,
    email: body.contact.email,
    rmaLink,
    printLink: rmaLink.replace("?", "/print?"),
    confirmationLink: await requestPath(TEST_LINK_SECRET, requestId),
  };
}
