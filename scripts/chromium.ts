/**
 * The Chromium the browser tests and the benchmark's Lighthouse run, from npm: `@sparticuz/chromium`
 * ships a headless Chromium inside the package, unpacked into the temporary folder on first use (about
 * 1.5 s; later calls reuse it), so `npm ci` is all the set-up a machine needs. `CHROMIUM_PATH`
 * overrides it with a browser of your own.
 */
import { accessSync, constants } from "node:fs";
import sparticuz from "@sparticuz/chromium";

/**
 * The flags the tests and the benchmark's Lighthouse run Chromium with. Not the package's own
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
