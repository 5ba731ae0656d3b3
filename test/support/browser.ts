/**
 * Chromium for the browser tests, driven by playwright-core: the one npm installs (scripts/chromium.ts),
 * or `CHROMIUM_PATH`. A browser that cannot be found fails the suite with how to get one.
 */
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { CHROMIUM_FLAGS, chromiumPath } from "../../scripts/chromium.ts";

export { CHROMIUM_FLAGS, chromiumPath };

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), args: [...CHROMIUM_FLAGS], headless: true });
}

/** axe's violations on the page as it is now, one line each (impact, rule, help, where): `[]` when clean. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

/** A customer as the request form's contact and return address fields take it. */
export type FormContact = Record<
  | "contact.name"
  | "contact.company"
  | "contact.phone"
  | "contact.country"
  | "returnAddress.street"
  | "returnAddress.postalCode"
  | "returnAddress.city"
  | "returnAddress.country",
  string
>;

export const BERLIN_CUSTOMER: FormContact = {
  "contact.name": "Anna Verdi",
  "contact.company": "Vision Lab GmbH",
  "contact.phone": "+49 30 1234567",
  "contact.country": "Germany",
  "returnAddress.street": "Hauptstraße 5",
  "returnAddress.postalCode": "10115",
  "returnAddress.city": "Berlin",
  "returnAddress.country": "Germany",
};

export const MILAN_CUSTOMER: FormContact = {
  "contact.name": "Marco Rossi",
  "contact.company": "Visione Industriale Srl",
  "contact.phone": "+39 050 123456",
  "contact.country": "Italia",
  "returnAddress.street": "Via Garibaldi 12",
  "returnAddress.postalCode": "20121",
  "returnAddress.city": "Milano",
  "returnAddress.country": "Italia",
};

/** Fills the request form's contact and return address (a customer in Berlin unless said) with `email`. */
export async function fillRequestContact(page: Page, email: string, customer: FormContact = BERLIN_CUSTOMER): Promise<void> {
  for (const [name, value] of Object.entries(customer)) await page.fill(`[name="${name}"]`, value);
  await page.fill('[name="contact.email"]', email);
}

/** What a watched browser context saw of payloads running (see `watchForPayloads`). */
export interface PayloadWatch {
  /** Every assignment to `window.__xss`, in any page or frame of the context: `<url>: __xss=<value>`. */
  flags: string[];
  /** Every dialog (alert, confirm, prompt) any page of the context opened. */
  dialogs: string[];
}

/**
 * Watches a whole browser context for a payload that ran, across every page and navigation: the test
 * payloads set `window.__xss`, which a setter installed before any script of each document reports at
 * once through a binding (so a flag set on a page since left is not lost), and dialogs are counted for
 * the context, not for one page. Call before opening any page of the context.
 */
export async function watchForPayloads(context: BrowserContext): Promise<PayloadWatch> {
  const watch: PayloadWatch = { flags: [], dialogs: [] };
  await context.exposeBinding("__xssHit", (source, value: string) => {
    watch.flags.push(`${source.frame.url()}: __xss=${value}`);
  });
  await context.addInitScript(() => {
    let flag: unknown;
    const report = (v: unknown) => (window as unknown as { __xssHit?: (v: string) => unknown }).__xssHit?.(String(v));
    Object.defineProperty(window, "__xss", {
      configurable: false,
      get: () => flag,
      set: (v: unknown) => {
        flag = v;
        void report(v);
      },
    });
  });
  context.on("dialog", (d) => {
    watch.dialogs.push(d.message());
    void d.dismiss();
  });
  return watch;
}
