/**
 * Chromium for the browser tests, driven by playwright-core: the one npm installs (scripts/chromium.ts),
 * or `CHROMIUM_PATH`. A browser that cannot be found fails the suite with how to get one.
 */
import { type Browser, type BrowserContext, chromium } from "playwright-core";
import { CHROMIUM_FLAGS, chromiumPath } from "../../scripts/chromium.ts";

export { CHROMIUM_FLAGS, chromiumPath };

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), args: [...CHROMIUM_FLAGS], headless: true });
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
