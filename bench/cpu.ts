/**
 * Where the CPU of a request goes: CPU milliseconds per request of the Worker's process tree, of sqld
 * and of the load generator, for the trivial route, one query, issuing one unit, and the baseline's write
 * batch from Node. A diagnostic beside `npm run bench` (which measures throughput and latency), for
 * reading why a ratio is what it is: `node --experimental-transform-types bench/cpu.ts [wrangler]`
 * (the runner `npm start` uses by default; `wrangler` for the same build under `wrangler dev`).
 * Needs `npm run build` first. Linux only (reads /proc).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { migrateDatabase } from "../db/migrate.ts";
import { demoRegistry, seedDatabase } from "../db/seed.ts";
import { startSqld } from "../db/sqld.ts";
import { NO_FORM_LIMITS } from "../scripts/form-limits.ts";
import { startWorker, startWranglerDev } from "../scripts/servers.ts";
import { runHttp, runLoop } from "./load.ts";
import type { CellResult } from "./stats.ts";
import { BaselineIssue, IssueBodies, insertSyntheticRegistry, nodeDb } from "./workload.ts";

const CLOCK_TICKS = 100;
const REGISTRY = 100_000;
const LINK_SECRET = "bench-link-secret-0123456789abcdef";

/** CPU seconds a process has used (user + system). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** A process and all its descendants. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .trim()
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    // no children
  }
  return [pid, ...children.flatMap(processTree)];
}

const underWrangler = process.argv[2] === "wrangler";
const dir = mkdtempSync(join(tmpdir(), "rma-cpu-"));
const sqld = await startSqld({ dbPath: join(dir, "db.sqld") });
try {
  await migrateDatabase(sqld.url);
  await seedDatabase(sqld.url);
  const client = createClient({ url: sqld.url });
  const models = [...new Set(demoRegistry().rows.map((r) => r.model))].sort();
  await insertSyntheticRegistry(client, REGISTRY, models);
  const bodies = new IssueBodies(models, REGISTRY);
  const baseline = new BaselineIssue(nodeDb(client));
  const start = underWrangler ? startWranglerDev : startWorker;
  const worker = await start({ databaseUrl: sqld.url, vars: { LINK_SECRET, ...NO_FORM_LIMITS }, persistTo: join(dir, "worker") });
  const timing = { seconds: 4, warmupSeconds: 1 };
  const cells: [string, (c: number) => Promise<CellResult>][] = [
    ["GET /api/ping", (c) => runHttp({ url: `${worker.url}/api/ping`, connections: c }, timing)],
    ["GET /api/health (one query)", (c) => runHttp({ url: `${worker.url}/api/health`, connections: c }, timing)],
    [
      "POST /api/rma-requests, 1 unit, dates stated",
      (c) =>
        runHttp(
          {
            url: `${worker.url}/api/rma-requests`,
            method: "POST",
            headers: { "content-type": "application/json" },
            connections: c,
            next: () => ({ body: bodies.body(1, true) }),
          },
          timing,
        ),
    ],
    ["baseline: 1 write batch from Node", (c) => runLoop(() => client.batch(baseline.statements(1), "deferred"), c, timing)],
  ];
  const runner = underWrangler ? "wrangler dev" : "workerd (Miniflare's API)";
  console.log(
    "| runner | c | request | req/s | p50 ms | CPU ms per request: Worker's processes | of which Node | sqld | this process (autocannon, or the baseline's client) |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const c of [1, 8]) {
    for (const [name, run] of cells) {
      const tree = processTree(worker.process.pid ?? 0);
      const node = tree.filter((pid) => readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "node");
      const sample = () => {
        const self = process.cpuUsage();
        return [
          tree.reduce((a, p) => a + cpuSeconds(p), 0),
          node.reduce((a, p) => a + cpuSeconds(p), 0),
          cpuSeconds(sqld.process.pid ?? 0),
          (self.user + self.system) / 1e6,
        ];
      };
      const before = sample();
      const result = await run(c);
      const after = sample();
      const requests = result.ok + Object.values(result.errors).reduce((a: number, b) => a + Number(b), 0);
      const per = after.map((v, i) => (((v - (before[i] ?? 0)) / requests) * 1000).toFixed(2));
      console.log(`| ${runner} | ${c} | ${name} | ${result.rps.toFixed(0)} | ${result.p50.toFixed(1)} | ${per.join(" | ")} |`);
    }
  }
  await worker.stop();
  client.close();
} finally {
  await sqld.stop();
  rmSync(dir, { recursive: true, force: true });
}
