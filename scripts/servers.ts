/**
 * Running the built Worker (dist/, from `astro build`) on loopback against a libSQL URL. `startWorker`
 * is the one runner of `npm start`, the built-Worker tests and the benchmark; `startWranglerDev` is the
 * same under `wrangler dev` (`npm run dev:wrangler`, and the benchmark's comparison).
 *
 * `startWorker` runs workerd through Miniflare's API in a child process (scripts/worker-runner.ts),
 * configured from dist/server/wrangler.json by wrangler's own `unstable_getMiniflareWorkerOptions`
 * (vars, the assets, the Cron Trigger, R2 and any other binding the config declares). It listens twice:
 *
 * - `url`, the portal: the Worker's direct socket in workerd. A request goes to Cloudflare's assets
 *   router (the same router-worker Cloudflare runs in front of a Worker with assets): a file of
 *   dist/client (pages prerendered from Markdown, /_astro/*, the favicon, with the `_headers` rules) is
 *   answered by the asset worker; anything else (`/api/*`, pages rendered on demand, 404s) goes to the
 *   portal's Worker, whose Astro handler may still read a file through its `ASSETS` binding. No Node
 *   process is on that path.
 * - `entryUrl`: Miniflare's entry socket, the path `wrangler dev` adds in front of the same router. It
 *   answers `/cdn-cgi/local/scheduled?cron=…` (the Cron Trigger, run now) and sets `CF-Connecting-IP`
 *   from the socket; any other request is served as on `url`, one Worker hop slower.
 *
 * Why a child process rather than Miniflare inside the caller: the runner dies with its parent (its
 * IPC channel closes), so a test process that is killed leaves no workerd behind; `stop()` can always
 * fall back to SIGKILL on the runner's process group (workerd included); and a test that blocks its
 * own event loop, or freezes sqld, never stalls the Worker's Node side.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { freePort, ROOT, toolEnv, waitForHttp } from "../db/sqld.ts";
import type { RunnerReady, RunnerSettings } from "./worker-runner.ts";

export interface WorkerServer {
  /** The portal: static files and the Worker from one address (workerd's direct socket). */
  url: string;
  port: number;
  /** Where `/cdn-cgi/local/scheduled` runs the Cron Trigger (Miniflare's entry socket; under `wrangler dev`, `url`). */
  entryUrl: string;
  /** The runner (or `wrangler dev`) process; workerd is its child. */
  process: ChildProcess;
  /** What the runner printed last: the Worker's logs (for error messages). */
  output(): string;
  /** The local state of its bindings (R2 under `<persistTo>/v3/r2`). */
  persistTo: string;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  databaseUrl: string;
  port?: number;
  /** Extra `[vars]`, e.g. RESEND_API_KEY or LINK_SECRET. */
  vars?: Record<string, string>;
  /** Local state of the Worker's bindings (R2 and others): `.data/wrangler` unless given. */
  persistTo?: string;
  /** Print the Worker's logs on this process's console (they are kept for `output()` either way). */
  inherit?: boolean;
}

const CONFIG = join(ROOT, "dist", "server", "wrangler.json");

/** Output kept for error messages, and copied to this console when `inherit`. */
function capture(child: ChildProcess, inherit: boolean | undefined): () => string {
  let out = "";
  const keep = (to: NodeJS.WriteStream) => (d: Buffer) => {
    out = (out + d.toString()).slice(-8000);
    if (inherit) to.write(d);
  };
  child.stdout?.on("data", keep(process.stdout));
  child.stderr?.on("data", keep(process.stderr));
  return () => out;
}

/**
 * Stops a child started with `detached: true`: asks it (`ask`), then SIGKILL to its whole process
 * group (workerd included) if it has not exited within 5 s.
 */
function stopper(child: ChildProcess, ask: () => void): () => Promise<void> {
  return () =>
    new Promise<void>((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      child.once("exit", () => res());
      ask();
      setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      }, 5000).unref();
    });
}

/** The built Worker on workerd (Miniflare's API, no dev proxy): see the top of this file. */
export async function startWorker(opts: WorkerOptions): Promise<WorkerServer> {
  const port = opts.port ?? (await freePort());
  const settings: RunnerSettings = {
    config: CONFIG,
    port,
    entryPort: 0,
    vars: { DATABASE_URL: opts.databaseUrl, PUBLIC_URL: `http://127.0.0.1:${port}`, ...opts.vars },
    persistTo: opts.persistTo ?? join(ROOT, ".data", "wrangler"),
    logLevel: opts.inherit ? "info" : "warn",
  };
  const child = spawn(process.execPath, [join(ROOT, "scripts", "worker-runner.ts")], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: toolEnv({ RMA_WORKER_RUNNER: JSON.stringify(settings) }),
    detached: process.platform !== "win32",
  });
  const output = capture(child, opts.inherit);
  // The runner stops workerd, waits for it to exit, then exits itself.
  const stop = stopper(child, () => (child.connected ? child.send("stop") : child.kill("SIGTERM")));
  try {
    const ready = await new Promise<RunnerReady>((res, rej) => {
      const timer = setTimeout(() => rej(new Error("no answer within 60 s")), 60_000);
      child.once("message", (m) => {
        clearTimeout(timer);
        res(m as RunnerReady);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        rej(new Error(`the runner exited (${signal ?? code})`));
      });
    });
    // The IPC channel stays open (the runner watches it to die with us) but must not keep us alive.
    child.channel?.unref();
    return { url: ready.url, port, entryUrl: ready.entryUrl, process: child, output, persistTo: settings.persistTo, stop };
  } catch (err) {
    await stop();
    throw new Error(`the Worker did not start on workerd: ${err instanceof Error ? err.message : String(err)}\n${output()}`);
  }
}

/** The built Worker under `wrangler dev` (its Node proxy in front of workerd), as before `startWorker`. */
export async function startWranglerDev(opts: WorkerOptions): Promise<WorkerServer> {
  const port = opts.port ?? (await freePort());
  const inspectorPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const vars: Record<string, string> = { DATABASE_URL: opts.databaseUrl, PUBLIC_URL: url, ...opts.vars };
  const args = [
    "dev",
    "-c",
    CONFIG,
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    opts.persistTo ?? join(ROOT, ".data", "wrangler"),
    "--show-interactive-dev-session=false",
    "--log-level",
    opts.inherit ? "info" : "warn",
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  const child = spawn(join(ROOT, "node_modules", ".bin", "wrangler"), args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: toolEnv({ WRANGLER_SEND_METRICS: "false", CI: process.env["CI"] ?? "true" }),
    detached: process.platform !== "win32",
  });
  const output = capture(child, opts.inherit);
  // wrangler starts workerd (two of them) and esbuild as children: signal the whole group.
  const stop = stopper(child, () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
  });
  try {
    await waitForHttp(`${url}/favicon.svg`, 60_000, child);
  } catch (err) {
    await stop();
    throw new Error(`wrangler dev did not start: ${String(err)}\n${output()}`);
  }
  return { url, port, entryUrl: url, process: child, output, persistTo: opts.persistTo ?? join(ROOT, ".data", "wrangler"), stop };
}
