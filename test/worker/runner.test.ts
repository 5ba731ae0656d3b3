/**
 * The runner every built-Worker test, `npm start` and the benchmark use (scripts/servers.ts): workerd
 * through Miniflare's API, static files and the Worker on one address, the Cron Trigger on the entry
 * address, and nothing left running once it is stopped or its parent is gone.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../db/sqld.ts";
import { TEST_LINK_SECRET, useStack } from "../support/worker.ts";

const stack = useStack();

/** Whether anything answers HTTP at `url` (a refused connection is `false`). */
async function answers(url: string): Promise<boolean> {
  try {
    await (await fetch(url, { signal: AbortSignal.timeout(2000) })).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The processes whose parent is `pid` (workerd is the runner's). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .trim()
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

async function until(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe("the built Worker's runner", () => {
  it("serves the assets (with their _headers rules) and the Worker from one address", async () => {
    const asset = await fetch(`${stack.worker.url}/favicon.svg`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toBe("image/svg+xml");
    // Answered by the asset worker: an ETag, and the rules of dist/client/_headers.
    expect(asset.headers.get("etag")).toMatch(/^"[0-9a-f]+"$/);
    expect(asset.headers.get("x-frame-options")).toBe("DENY");
    await asset.arrayBuffer();

    const api = await fetch(`${stack.worker.url}/api/ping`);
    expect(api.status).toBe(200);
    expect(await api.json()).toEqual({ ok: true });

    const page = await fetch(`${stack.worker.url}/status`);
    expect(page.status).toBe(200);
    expect(page.headers.get("etag")).toBeNull();
    expect(await page.text()).toContain("<form");
  });

  it("ends every request for something that does not exist with a 404 (no routing loop)", async () => {
    for (const [method, path] of [
      ["GET", "/no-such-page"],
      ["GET", "/_astro/no-such-script.js"],
      ["GET", "/policies/no-such-policy"],
      ["POST", "/no-such-page"],
      ["GET", "/api/no-such-route"],
    ] as const) {
      const res = await fetch(`${stack.worker.url}${path}`, {
        method,
        headers: { origin: stack.worker.url },
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
  });

  it("runs the Cron Trigger at its entry address, and not at the portal's (as in production)", async () => {
    const run = await fetch(`${stack.worker.entryUrl}/cdn-cgi/local/scheduled?cron=17+*+*+*+*`);
    expect(run.status).toBe(200);
    expect(await run.text()).toBe("ok");
    const portal = await fetch(`${stack.worker.url}/cdn-cgi/local/scheduled?cron=17+*+*+*+*`);
    expect(portal.status).toBe(404);
    await portal.arrayBuffer();
    expect(await until(() => stack.worker.output().includes("scheduled job: 0 expired"), 5000)).toBe(true);
  });

  it("stops with its parent when the parent is killed (a test process that dies leaves nothing running)", async () => {
    const persistTo = mkdtempSync(join(tmpdir(), "rma-worker-"));
    const script = `
      import { startWorker } from ${JSON.stringify(join(ROOT, "scripts", "servers.ts"))};
      const w = await startWorker(${JSON.stringify({ databaseUrl: stack.db.url, vars: { LINK_SECRET: TEST_LINK_SECRET }, persistTo })});
      console.log(JSON.stringify({ url: w.url, runner: w.process.pid }));
      setInterval(() => {}, 60_000);`;
    const parent = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const line = await new Promise<string>((res, rej) => {
        parent.stdout.once("data", (d: Buffer) => res(d.toString()));
        parent.once("exit", (code) => rej(new Error(`the parent exited (${code})`)));
      });
      const { url, runner } = JSON.parse(line) as { url: string; runner: number };
      const workerd = childrenOf(runner);
      expect(await answers(`${url}/api/ping`)).toBe(true);
      parent.kill("SIGKILL");
      expect(await until(() => !alive(runner) && workerd.every((pid) => !alive(pid)), 10_000)).toBe(true);
      expect(await answers(`${url}/api/ping`)).toBe(false);
    } finally {
      parent.kill("SIGKILL");
      rmSync(persistTo, { recursive: true, force: true });
    }
  });

  // Last: it stops this file's Worker (useStack's afterAll then finds it stopped).
  it("leaves no workerd behind when stopped", async () => {
    const worker = stack.worker;
    const runner = worker.process.pid ?? 0;
    const workerd = childrenOf(runner);
    expect(workerd).toHaveLength(1);
    expect(await answers(`${worker.url}/api/ping`)).toBe(true);
    await worker.stop();
    expect(alive(runner)).toBe(false);
    expect(await until(() => workerd.every((pid) => !alive(pid)), 5000)).toBe(true);
    expect(await answers(`${worker.url}/api/ping`)).toBe(false);
    expect(await answers(worker.entryUrl)).toBe(false);
  });
});
