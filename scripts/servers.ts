/**
 * Starting the built Worker with `wrangler dev` on loopback against a libSQL URL.
 * Shared by `npm start`, the built-Worker tests and the benchmark.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { freePort, ROOT, toolEnv, waitForHttp } from "../db/sqld.ts";

export interface WorkerServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** What wrangler printed last (for error messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  databaseUrl: string;
  port?: number;
  /** Extra `[vars]`, e.g. RESEND_API_KEY or LINK_SECRET. */
  vars?: Record<string, string>;
  persistTo?: string;
  inherit?: boolean;
}

export async function startWorker(opts: WorkerOptions): Promise<WorkerServer> {
  const port = opts.port ?? (await freePort());
  const inspectorPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const vars: Record<string, string> = { DATABASE_URL: opts.databaseUrl, PUBLIC_URL: url, ...opts.vars };
  const args = [
    "dev",
    "-c",
    join(ROOT, "dist", "server", "wrangler.json"),
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
    stdio: opts.inherit ? "inherit" : ["ignore", "pipe", "pipe"],
    env: toolEnv({ WRANGLER_SEND_METRICS: "false", CI: process.env["CI"] ?? "true" }),
    detached: process.platform !== "win32",
  });
  let out = "";
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = () =>
    new Promise<void>((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      child.once("exit", () => res());
      // wrangler starts workerd as a child: signal the whole group.
      const kill = (sig: NodeJS.Signals) => {
        try {
          if (child.pid) process.kill(-child.pid, sig);
        } catch {
          child.kill(sig);
        }
      };
      kill("SIGTERM");
      setTimeout(() => kill("SIGKILL"), 5000).unref();
    });
  try {
    await waitForHttp(`${url}/favicon.svg`, 60_000, child);
  } catch (err) {
    await stop();
    throw new Error(`wrangler dev did not start: ${String(err)}\n${out}`);
  }
  return { url, port, process: child, output: () => out, stop };
}
