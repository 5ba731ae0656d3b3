/** The built Worker (dist/, from `npm run build`) on workerd (scripts/servers.ts `startWorker`) on a free loopback port. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { ROOT } from "../../db/sqld.ts";
import { NO_FORM_LIMITS } from "../../scripts/form-limits.ts";
import { startWorker, type WorkerServer } from "../../scripts/servers.ts";
import { launchChromium } from "./browser.ts";
import { startTestDatabase, type TestDatabase } from "./database.ts";
import { type CountingProxy, startCountingProxy } from "./db-proxy.ts";
import { type FakeResend, startFakeResend } from "./fake-resend.ts";

/** The LINK_SECRET the built Worker runs with in tests, so a test can sign the links our emails carry. */
export const TEST_LINK_SECRET = "test-link-secret";

export async function startBuiltWorker(databaseUrl: string, vars: Record<string, string> = {}): Promise<WorkerServer> {
  if (!existsSync(join(ROOT, "dist", "server", "wrangler.json"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm test does it).");
  }
  const persistTo = mkdtempSync(join(tmpdir(), "rma-worker-"));
  // The public form's limits are off unless a test turns them on (its requests share one email address).
  const worker = await startWorker({
    databaseUrl,
    vars: { LINK_SECRET: TEST_LINK_SECRET, ...NO_FORM_LIMITS, ...vars },
    persistTo,
  });
  return {
    ...worker,
    // Its local state folder goes with it (suites start a dozen Workers per run).
    stop: async () => {
      await worker.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the Worker's Cron Trigger handler now, as Cloudflare would (the job itself finishes after the
 * answer), through Miniflare's entry socket, which answers `/cdn-cgi/local/scheduled`.
 */
export function triggerScheduled(worker: Pick<WorkerServer, "entryUrl">): Promise<Response> {
  return fetch(`${worker.entryUrl}/cdn-cgi/local/scheduled?cron=17+*+*+*+*`);
}

/** Miniflare's local R2 data of this Worker: `<persistTo>/v3/r2/<bucket>/blobs`, one file per stored object. */
function r2BlobDirs(worker: Pick<WorkerServer, "persistTo">): string[] {
  const root = join(worker.persistTo, "v3", "r2");
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((p) => p.split(/[\\/]/).pop() === "blobs")
    .map((p) => join(root, p));
}

/** How many objects (file pieces) the Worker's local R2 holds now: its blob files, counted on disk. */
export function r2ObjectCount(worker: Pick<WorkerServer, "persistTo">): number {
  return r2BlobDirs(worker)
    .filter((d) => statSync(d).isDirectory())
    .reduce((n, d) => n + readdirSync(d).length, 0);
}

/** `r2ObjectCount` once it reaches `expected` (Miniflare deletes blobs in the background, just after answering), or after 5 s. */
export async function settledObjects(worker: Pick<WorkerServer, "persistTo">, expected: number): Promise<number> {
  for (let i = 0; i < 50 && r2ObjectCount(worker) !== expected; i++) await new Promise((r) => setTimeout(r, 100));
  return r2ObjectCount(worker);
}

/** POSTs from the portal's own origin: a FormData as multipart, anything else as JSON. */
export function postFromPortal(
  worker: Pick<WorkerServer, "url">,
  path: string,
  body: FormData | object,
  headers: Record<string, string> = {},
): Promise<Response> {
  const isForm = body instanceof FormData;
  return fetch(`${worker.url}${path}`, {
    method: "POST",
    headers: { origin: worker.url, ...(isForm ? {} : { "content-type": "application/json" }), ...headers },
    body: isForm ? body : JSON.stringify(body),
  });
}

/**
 * Makes every R2 write of the Worker fail until the returned function is called: the bucket's blob
 * folder is swapped for a plain file, so Miniflare cannot write the object and the binding's `put`
 * rejects, as a failing R2 would (the Worker must have stored one object before, so the folder exists).
 */
export function breakR2Writes(worker: Pick<WorkerServer, "persistTo">): () => void {
  const dirs = r2BlobDirs(worker).filter((d) => statSync(d).isDirectory());
  if (dirs.length === 0) throw new Error("breakR2Writes: no R2 blob folder yet (store one file first)");
  for (const d of dirs) {
    renameSync(d, `${d}.kept`);
    writeFileSync(d, "R2 writes are broken by the test");
  }
  return () => {
    for (const d of dirs) {
      rmSync(d, { force: true });
      if (existsSync(`${d}.kept`)) renameSync(`${d}.kept`, d);
      else mkdirSync(d);
    }
  };
}

/** What `useStack` started for a test file; reading a part before the file's beforeAll (or one not asked for) throws. */
export interface Stack {
  readonly db: TestDatabase;
  readonly worker: WorkerServer;
  /** The fake Resend the Worker sends through: only with `resendApiKey`. */
  readonly resend: FakeResend;
  /** Chromium: only with `chromium: true`. */
  readonly browser: Browser;
  /** The counting proxy the Worker reaches sqld through: only with `databaseProxy: true`. */
  readonly proxy: CountingProxy;
}

/**
 * Registers this test file's beforeAll and afterAll: a fresh sqld, the built Worker against it (with
 * `vars`; with `resendApiKey`, a fake Resend it sends through with that key; with `databaseProxy`,
 * through a counting proxy, test/support/db-proxy.ts) and, with `chromium`, a browser. They stop after
 * the file's last test in reverse order: browser, Worker, proxy, Resend, sqld.
 */
export function useStack(
  opts: { vars?: Record<string, string>; resendApiKey?: string; chromium?: boolean; databaseProxy?: boolean } = {},
): Stack {
  let db: TestDatabase | undefined;
  let proxy: CountingProxy | undefined;
  let worker: WorkerServer | undefined;
  let resend: FakeResend | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    db = await startTestDatabase();
    const email: Record<string, string> = {};
    if (opts.resendApiKey !== undefined) {
      resend = await startFakeResend();
      Object.assign(email, { RESEND_API_KEY: opts.resendApiKey, RESEND_BASE_URL: resend.url });
    }
    if (opts.databaseProxy) proxy = await startCountingProxy(db.url);
    worker = await startBuiltWorker(proxy?.url ?? db.url, { ...email, ...opts.vars });
    if (opts.chromium) browser = await launchChromium();
  });
  afterAll(async () => {
    // A test that froze sqld (SIGSTOP) and failed before thawing it would leave it unable to stop.
    db?.thaw();
    await browser?.close();
    await worker?.stop();
    await proxy?.close();
    await resend?.close();
    await db?.stop();
  });
  const started = <T>(part: T | undefined, name: string): T => {
    if (part === undefined) throw new Error(`useStack: no ${name} (not asked for, or read before the file's beforeAll ran)`);
    return part;
  };
  return {
    get db() {
      return started(db, "sqld");
    },
    get worker() {
      return started(worker, "Worker");
    },
    get resend() {
      return started(resend, "fake Resend");
    },
    get browser() {
      return started(browser, "browser");
    },
    get proxy() {
      return started(proxy, "database proxy");
    },
  };
}
