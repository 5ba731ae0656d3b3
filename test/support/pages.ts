/**
 * Every page of the portal as one table, shared by the suites that visit them all (security headers,
 * accessibility, valid HTML, stored payloads), the static ones in every language (`/it/…`, `/de/…`). Adding a page is one entry; the staff desk's pages (kind "staff") are
 * visited signed in, with the session `pageFixtures` opens; so are the pages of "My returns" marked
 * `customer` (test/support/account-pages.ts), with the customer session it opens.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { ROOT } from "../../db/sqld.ts";
import { quotePath, requestPath, rmaPath } from "../../functions/links.ts";
import { accountPageTargets, type CustomerFixtures, customerFixtures } from "./account-pages.ts";
import { authorizeDaysAgo, quoteThroughDesk } from "./lifecycle.ts";
import { type freshUnits, issueThroughWorker, requestBody } from "./requests.ts";
import { signInToWorker } from "./staff.ts";
import { customerWrites, SIX_PHOTOS, staffReplies, TINY_PDF, TINY_PNG } from "./staff-history.ts";
import { TEST_LINK_SECRET } from "./worker.ts";

/**
 * Data the on-demand pages need: an authorised RMA of a request of two units, with its signed links; and
 * for "My returns", the request's customer signed in, a sign-in link and their first unit (`CustomerFixtures`).
 */
export interface PageFixtures extends CustomerFixtures {
  rmaNumber: string;
  requestId: string;
  email: string;
  /** `/rma/{n}?t=…` */
  rmaLink: string;
  /** `/rma/{n}/print?t=…` */
  printLink: string;
  /** `/rma/requests/{id}?t=…` */
  confirmationLink: string;
  /** `/rma/{n}/quote?t=…` of the request's second unit, quoted by staff (when the request has two units). */
  quoteLink?: string;
  /** `rma_staff=…`: a signed-in staff session, for the staff desk's pages (kind "staff"). */
  staffCookie: string;
}

export interface PageTarget {
  name: string;
  /** "staff": a page of the staff desk, visited with the fixtures' signed-in session (see `visitorHeaders`). */
  kind: "static" | "on-demand" | "staff";
  path?: (f: PageFixtures) => string;
  /** Navigates another way than a plain GET of `path` (e.g. a form posted with errors); JavaScript is on. */
  open?: (page: Page, baseUrl: string, f: PageFixtures) => Promise<void>;
  /** The status a GET of `path` answers (200 unless said). */
  status?: number;
  /** Shows text a customer typed (contact, fault description): checked for stored payloads. */
  showsCustomerText?: boolean;
  /** A page of "My returns" visited signed in, with the fixtures' customer session (see `visitorHeaders`). */
  customer?: boolean;
}

/** The headers a visitor of this page sends: staff pages need the session cookie. */
export function visitorHeaders(target: PageTarget, f: PageFixtures): Record<string, string> {
  if (target.customer) return { cookie: f.customerCookie };
  return target.kind === "staff" ? { cookie: f.staffCookie } : {};
}

/** A browser context for visiting this page (signed in for the staff desk). */
export async function contextFor(browser: Browser, target: PageTarget, f: PageFixtures, baseUrl: string) {
  const context = await browser.newContext();
  if (target.kind === "staff") {
    const [name = "", value = ""] = f.staffCookie.split("=");
    await context.addCookies([{ name, value, url: baseUrl }]);
  }
  if (target.customer) {
    const [name = "", value = ""] = f.customerCookie.split("=");
    await context.addCookies([{ name, value, url: baseUrl }]);
  }
  return context;
}

/**
 * The static policy pages, as the build produced them (a new policy is picked up without editing this).
 * A missing or empty build is an error: it must not pass as a portal without policies.
 */
function policyPages(prefix = ""): PageTarget[] {
  const dir = join(ROOT, "dist", "client", prefix, "policies");
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".html"));
  } catch (err) {
    throw new Error(`cannot list the built policy pages in ${dir} (build the site first): ${String(err)}`);
  }
  if (files.length === 0) throw new Error(`${dir} holds no policy page (.html): the build is incomplete`);
  return files.map((f) => ({
    name: `${prefix ? `${prefix} ` : ""}policy: ${f.replace(/\.html$/, "")}`,
    kind: "static",
    path: () => `${prefix ? `/${prefix}` : ""}/policies/${f.replace(/\.html$/, "")}`,
  }));
}

/** The languages other than English, each with its static pages under its prefix (/it, /de). */
export const TRANSLATED_LOCALES = ["it", "de"] as const;

/** The static pages of one translated language: home, FAQ, policies, each policy, search (`it home`, `de FAQ`…). */
function translatedStaticPages(locale: (typeof TRANSLATED_LOCALES)[number]): PageTarget[] {
  return [
    { name: `${locale} home`, kind: "static", path: () => `/${locale}` },
    { name: `${locale} FAQ`, kind: "static", path: () => `/${locale}/faq` },
    { name: `${locale} policies index`, kind: "static", path: () => `/${locale}/policies` },
    ...policyPages(locale),
    { name: `${locale} search`, kind: "static", path: () => `/${locale}/search` },
  ];
}

/**
 * The on-demand customer pages of one translated language (`it request form`, `de RMA page`…): the same
 * pages and states as in English, under the language's prefix, the signed links of the fixtures included.
 */
function translatedOnDemandPages(locale: (typeof TRANSLATED_LOCALES)[number]): PageTarget[] {
  const at = (path: string) => `/${locale}${path}`;
  return [
    { name: `${locale} request form`, kind: "on-demand", path: () => at("/rma/new") },
    {
      name: `${locale} request form with errors (posted without JavaScript)`,
      kind: "on-demand",
      path: () => at("/rma/new"),
      open: async (page, baseUrl) => {
        await page.goto(`${baseUrl}${at("/rma/new")}`);
        await page.fill('[name="contact.name"]', "A");
        await page.fill('[name="contact.email"]', "not-an-email");
        await page.fill('[name="units.0.serialNumber"]', "ZZ999999");
        await page.fill('[name="units.0.issueDescription"]', "Broken.");
        await Promise.all([
          page.waitForURL(`${baseUrl}${at("/rma/new")}`, { waitUntil: "load" }),
          page.evaluate(() => (document.getElementById("rma-form") as HTMLFormElement).submit()),
        ]);
        await page.waitForSelector("#form-errors");
      },
    },
    { name: `${locale} status page`, kind: "on-demand", path: () => at("/status") },
    {
      name: `${locale} status page with an error`,
      kind: "on-demand",
      path: () => at("/status"),
      open: async (page, baseUrl, f) => {
        await page.goto(`${baseUrl}${at("/status")}`);
        await page.fill('[name="rmaNumber"]', f.rmaNumber);
        await page.fill('[name="email"]', "someone.else@example.com");
        await Promise.all([page.waitForLoadState("load"), page.click('button[type="submit"]')]);
        await page.waitForSelector('[role="alert"]');
      },
    },
    { name: `${locale} RMA page`, kind: "on-demand", path: (f) => at(f.rmaLink), showsCustomerText: true },
    { name: `${locale} print page`, kind: "on-demand", path: (f) => at(f.printLink), showsCustomerText: true },
    { name: `${locale} confirmation page`, kind: "on-demand", path: (f) => at(f.confirmationLink), showsCustomerText: true },
    {
      name: `${locale} quote page`,
      kind: "on-demand",
      path: (f) => {
        if (!f.quoteLink) throw new Error("the fixtures have no quoted unit: pageFixtures needs a request of two units");
        return at(f.quoteLink);
      },
    },
    {
      name: `${locale} RMA page, link not valid`,
      kind: "on-demand",
      status: 403,
      path: (f) => at(`/rma/${f.rmaNumber}?t=${"A".repeat(22)}`),
    },
    { name: `${locale} unknown page`, kind: "on-demand", status: 404, path: () => at("/no-such-page") },
  ];
}

/** The serial numbers `addUnitsWithJavaScript` types into its units, by the unit's place before the removal. */
export const ADDED_UNIT_SERIALS = ["AK000001", "AK000002", "AK000003", "AK000004"] as const;

/**
 * The request form after its script added units: "Add another unit" three times (four units), each
 * unit's serial number typed (`ADDED_UNIT_SERIALS`), then the middle one of the three added (unit 3)
 * removed, so unit 4 becomes unit 3. Needs JavaScript on.
 */
export async function addUnitsWithJavaScript(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/rma/new`);
  for (let i = 0; i < 3; i++) await page.click("[data-add-unit]");
  const units = page.locator("fieldset.unit");
  if ((await units.count()) !== 4) throw new Error(`expected 4 units after adding three, found ${await units.count()}`);
  for (const [i, serial] of ADDED_UNIT_SERIALS.entries())
    await units.nth(i).locator(`[data-field$=".serialNumber"]`).fill(serial);
  await units.nth(2).locator("[data-remove-unit]").click();
  if ((await units.count()) !== 3) throw new Error(`expected 3 units after removing one, found ${await units.count()}`);
}

export function pageTargets(): PageTarget[] {
  return [
    { name: "home", kind: "static", path: () => "/" },
    { name: "FAQ", kind: "static", path: () => "/faq" },
    { name: "policies index", kind: "static", path: () => "/policies" },
    ...policyPages(),
    { name: "search", kind: "static", path: () => "/search" },
    ...TRANSLATED_LOCALES.flatMap(translatedStaticPages),
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
    {
      name: "request form after adding units with JavaScript",
      kind: "on-demand",
      path: () => "/rma/new",
      open: (page, baseUrl) => addUnitsWithJavaScript(page, baseUrl),
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
    {
      name: "quote page",
      kind: "on-demand",
      path: (f) => {
        if (!f.quoteLink) throw new Error("the fixtures have no quoted unit: pageFixtures needs a request of two units");
        return f.quoteLink;
      },
    },
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
    ...TRANSLATED_LOCALES.flatMap(translatedOnDemandPages),
    { name: "admin sign-in", kind: "on-demand", path: () => "/admin/login" },
    { name: "admin queue", kind: "staff", path: () => "/admin", showsCustomerText: true },
    { name: "admin queue, filter not valid", kind: "staff", path: () => "/admin?status=nope&q=x" },
    { name: "admin RMA detail", kind: "staff", path: (f) => `/admin/rma/${f.rmaNumber}`, showsCustomerText: true },
    { name: "admin registry import", kind: "staff", path: () => "/admin/registry" },
    { name: "admin outbox", kind: "staff", path: () => "/admin/outbox", showsCustomerText: true },
    { name: "admin settings", kind: "staff", path: () => "/admin/settings" },
    { name: "admin staff accounts", kind: "staff", path: () => "/admin/staff" },
    { name: "admin audit log", kind: "staff", path: () => "/admin/audit" },
    { name: "admin own account", kind: "staff", path: () => "/admin/account" },
    { name: "admin dashboard", kind: "staff", path: () => "/admin/dashboard" },
    { name: "admin quality settings", kind: "staff", path: () => "/admin/quality" },
    ...accountPageTargets(),
    {
      name: "request form with a refused file (posted without JavaScript)",
      kind: "on-demand",
      path: () => "/rma/new",
      open: async (page, baseUrl) => {
        await page.goto(`${baseUrl}/rma/new`);
        await page.fill('[name="contact.name"]', "Anna Verdi");
        await page.fill('[name="units.0.serialNumber"]', "ZZ999999");
        // A Windows program renamed as a photo: refused by its content, at the unit's file field.
        await page.setInputFiles('[name="units.0.files"]', {
          name: "photo.jpg",
          mimeType: "image/jpeg",
          buffer: Buffer.concat([Buffer.from("MZ\x90\x00"), Buffer.alloc(2000, 1)]),
        });
        await Promise.all([
          page.waitForURL(`${baseUrl}/rma/new`, { waitUntil: "load" }),
          page.evaluate(() => (document.getElementById("rma-form") as HTMLFormElement).submit()),
        ]);
        await page.waitForSelector("#f-units-0-files-error:not(:empty)");
      },
    },
    {
      name: "admin RMA detail, history with messages and files",
      kind: "staff",
      path: (f) => `/admin/rma/${f.rmaNumber}`,
      showsCustomerText: true,
      open: async (page, baseUrl, f) => {
        await customerWrites(baseUrl, f.rmaLink, "Here is the label.\nThe connector is loose.", [
          { name: "label.png", bytes: TINY_PNG, type: "image/png" },
        ]);
        await staffReplies(baseUrl, f.staffCookie, f.rmaNumber, "Thank you: please also send the log.", [
          { name: "connector.png", bytes: TINY_PNG, type: "image/png" },
          { name: "instructions.pdf", bytes: TINY_PDF, type: "application/pdf" },
        ]);
        await page.goto(`${baseUrl}/admin/rma/${f.rmaNumber}`);
        await page.waitForSelector("[data-staff-history] img");
      },
    },
    {
      name: "admin RMA detail, reply refused (posted without JavaScript)",
      kind: "staff",
      path: (f) => `/admin/rma/${f.rmaNumber}`,
      open: async (page, baseUrl, f) => {
        await page.goto(`${baseUrl}/admin/rma/${f.rmaNumber}`);
        await page.fill("#message-body", "Six photos at once.");
        await page.setInputFiles(
          "#message-files",
          SIX_PHOTOS.map((p) => ({ name: p.name, mimeType: p.type, buffer: Buffer.from(p.bytes) })),
        );
        // form.submit(): posted as a browser without JavaScript posts it; the answer (422) is what loads.
        await Promise.all([
          page.waitForURL((url) => url.searchParams.has("reply"), { waitUntil: "load" }),
          page.evaluate(() => (document.getElementById("message-form") as HTMLFormElement).submit()),
        ]);
        await page.waitForSelector("#message-error");
      },
    },
  ];
}

/** The path a plain GET of this page asks for (every target has one, also those opened another way). */
export function targetPath(target: PageTarget, f: PageFixtures): string {
  if (!target.path) throw new Error(`page target "${target.name}" has no path`);
  return target.path(f);
}

/**
 * Opens the page in `page` as its visitor would, and says what went wrong on the way, or null: a GET of
 * `path` must answer the target's status (200 unless said) and stay on its path (a staff page sending a
 * visitor to /admin/login would otherwise be checked as the sign-in page). A page opened another way
 * (`open`) is not checked for its status, but must not have ended on the sign-in page either.
 */
export async function openTarget(page: Page, target: PageTarget, baseUrl: string, f: PageFixtures): Promise<string | null> {
  const path = targetPath(target, f);
  const wanted = new URL(path, baseUrl).pathname;
  if (target.open) {
    await target.open(page, baseUrl, f);
    const at = new URL(page.url()).pathname;
    return at === "/admin/login" && wanted !== "/admin/login" ? `ended on ${at} (sent to sign in)` : null;
  }
  const res = await page.goto(`${baseUrl}${path}`);
  const problems: string[] = [];
  const status = res?.status();
  const expected = target.status ?? 200;
  if (status !== expected) problems.push(`answered ${status ?? "nothing"} instead of ${expected}`);
  const at = new URL(page.url()).pathname;
  if (at !== wanted) problems.push(`ended on ${at} instead of ${wanted}`);
  return problems.length > 0 ? problems.join(", ") : null;
}

/**
 * Issues a request through the built Worker (contact and fault as given), authorises the first unit
 * today, has staff quote the second (if any), and returns the signed links of their pages.
 */
export async function pageFixtures(
  baseUrl: string,
  databaseUrl: string,
  units: ReturnType<typeof freshUnits>,
  overrides: { name?: string; company?: string; email?: string; description?: string; street?: string; locale?: string } = {},
): Promise<PageFixtures> {
  const body = requestBody(units, overrides.locale ? { locale: overrides.locale } : {});
  if (overrides.name) body.contact.name = overrides.name;
  if (overrides.company) body.contact.company = overrides.company;
  if (overrides.email) body.contact.email = overrides.email;
  if (overrides.street) body.returnAddress.street = overrides.street;
  if (overrides.description) for (const u of body.units) u.issueDescription = overrides.description;
  const { requestId, rmaNumbers } = await issueThroughWorker(baseUrl, body);
  const rmaNumber = rmaNumbers[0] ?? "";
  await authorizeDaysAgo(databaseUrl, rmaNumber, 0);
  const rmaLink = await rmaPath(TEST_LINK_SECRET, rmaNumber);
  const staffCookie = await signInToWorker(baseUrl);
  const quoted = rmaNumbers[1];
  if (quoted) await quoteThroughDesk(baseUrl, staffCookie, quoted);
  return {
    rmaNumber,
    requestId,
    email: body.contact.email,
    rmaLink,
    printLink: rmaLink.replace("?", "/print?"),
    confirmationLink: await requestPath(TEST_LINK_SECRET, requestId),
    staffCookie,
    ...(quoted ? { quoteLink: await quotePath(TEST_LINK_SECRET, quoted) } : {}),
    ...(await customerFixtures(databaseUrl, body.contact.email, units[0]?.serialNumber ?? "")),
  };
}
