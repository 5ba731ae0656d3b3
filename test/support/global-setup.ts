/**
 * Runs once before vitest starts its workers: unpacks the npm Chromium (see browser.ts) so that two
 * suites starting at once on a fresh machine do not both write it, one launching a half-written binary.
 * A failure here is left to the browser suites, which report it with how to get a browser.
 */
import { chromiumPath } from "./browser.ts";

export default async function setup(): Promise<void> {
  await chromiumPath().catch(() => undefined);
}
