/**
 * Chromium for the browser tests, from npm: `@sparticuz/chromium` ships a headless Chromium inside the
 * package, unpacked into the temporary folder on first use (about 1.5 s; later calls reuse it), so
 * `npm ci` is all the set-up a machine needs. `CHROMIUM_PATH` overrides it with a browser of your own.
 */
import { accessSync, constants } from "node:fs";
import sparticuz from "@sparticuz/chromium";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

/**
 * The flags the tests (and the benchmark's Lighthouse) run Chromium with. Not the package's own
 * `chromium.args`: those are tuned for serverless hosts and turn web security off
 * (`--disable-web-security`, `--allow-running-insecure-content`, `--single-process`), which would blunt
 * the security checks of the browser tests.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

let unpacked: Promise<string> | undefined;

/**
 * The Chromium binary to run: `CHROMIUM_PATH` when set, otherwise the npm package's, unpacked on first
 * use. A browser that cannot be found is an error that says how to get one, never a skipped test.
 */
export function chromiumPath(): Promise<string> {
  unpacked ??= resolveChromium();
  return unpacked;
}

async function resolveChromium(): Promise<string> {
  const override = process.env["CHROMIUM_PATH"];
  if (override) {
    try {
      accessSync(override, constants.X_OK);
    } catch {
      throw new Error(
        `CHROMIUM_PATH=${override} is not an executable file: point it at a Chromium binary, or unset it to use the one npm installs (@sparticuz/chromium, with \`npm ci\`)`,
      );
    }
    return override;
  }
  let path: string;
  try {
    path = await sparticuz.executablePath();
  } catch (err) {
    throw new Error(
      `the npm Chromium (@sparticuz/chromium) could not be unpacked: run \`npm ci\` to install it, or set CHROMIUM_PATH to a Chromium binary (${String(err)})`,
    );
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `the npm Chromium unpacked to ${path}, which is not executable: remove it and run again, or set CHROMIUM_PATH`,
    );
  }
  return path;
}

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
