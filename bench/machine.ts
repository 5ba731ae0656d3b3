/** What the numbers were measured on: printed at the top of the table. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import { ROOT, toolEnv } from "../db/sqld.ts";

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  node: string;
  workerd: string;
  wrangler: string;
  /** The Miniflare (and its workerd) that runs the Worker. */
  miniflare: string;
  sqld: string;
  astro: string;
  autocannon: string;
  /** 1-minute load average when the run started (other work on the machine skews every number). */
  loadAtStart: number;
}

export function loadAverage(): number {
  return Math.round((loadavg()[0] ?? 0) * 10) / 10;
}

function tool(name: string, args: string[] = ["--version"]): string {
  try {
    return execFileSync(join(ROOT, "node_modules", ".bin", name), args, { env: toolEnv(), encoding: "utf8", timeout: 30_000 })
      .trim()
      .split("\n")
      .filter((l) => l.trim() && !/^\s*[⛅─]/.test(l))
      .join(" ")
      .trim();
  } catch (err) {
    return `unknown (${String(err).slice(0, 60)})`;
  }
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

function miniflareWorkerd(): string {
  try {
    const bin = createRequire(join(ROOT, "node_modules", "miniflare", "package.json")).resolve("workerd/bin/workerd");
    return execFileSync(bin, ["--version"], { encoding: "utf8", timeout: 30_000 }).trim();
  } catch (err) {
    return `unknown (${String(err).slice(0, 60)})`;
  }
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cores: list.length,
    cpu: list[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.version,
    // The workerd Miniflare runs (node_modules/.bin/workerd may be another one, Astro's).
    workerd: miniflareWorkerd(),
    wrangler: packageVersion("wrangler"),
    miniflare: packageVersion("miniflare"),
    sqld: tool("sqld").replace(/^sqld sqld/, "sqld"),
    astro: packageVersion("astro"),
    autocannon: packageVersion("autocannon"),
    loadAtStart: loadAverage(),
  };
}
