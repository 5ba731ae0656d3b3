/**
 * `npm run bench`: builds, starts its own sqld (fresh temporary data) and the built Worker on free
 * loopback ports, seeds, measures, prints the table, writes bench/results.md and bench/results.json,
 * and stops everything it started (also on Ctrl-C and on errors). It reports; it never fails on a number.
 *
 * Settings (environment): BENCH_SECONDS (measured seconds per cell, default 5), BENCH_WARMUP_SECONDS
 * (default 1), BENCH_CONCURRENCY (default 1,8,32), BENCH_STATIC_CONCURRENCY (default 8),
 * BENCH_REGISTRY (synthetic registry units, default 40 000 per measured second), BENCH_SKIP_BUILD=1
 * (reuse dist/ as it is), BENCH_ONLY (a comma-separated subset of `SECTIONS`: bundle, roundtrips, growth,
 * account, ping, lookup, issuing, static, i18n, insight, lighthouse, uploads), BENCH_SKIP_WRANGLER=1 (no
 * `wrangler dev` rows beside the runner's),
 * SQLD_MAX_CONCURRENT_CONNECTIONS (sqld's, default 128: see db/sqld.ts).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { migrateDatabase } from "../db/migrate.ts";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_SERIALS, demoRegistry, seedDatabase } from "../db/seed.ts";
import { ROOT, SQLD_MAX_CONNECTIONS, startSqld, toolEnv } from "../db/sqld.ts";
import { countStatement, limitKeys } from "../functions/auth/rate-limit.ts";
import { signToken } from "../functions/auth/tokens.ts";
import { LOOKUP_LIMIT } from "../functions/services/rma/customer-access.ts";
import { readContextStatements } from "../functions/services/rma/issuing/read.ts";
import { rmaReadStatements } from "../functions/services/rma/view.ts";
import { NO_FORM_LIMITS } from "../scripts/form-limits.ts";
import { startWorker, startWranglerDev, type WorkerServer } from "../scripts/servers.ts";
import { measureAccount } from "./account.ts";
import { measureBundle } from "./bundle.ts";
import { SqldGuard } from "./guard.ts";
import { measureI18n } from "./i18n.ts";
import { describeI18nPages, measureI18nPages } from "./i18n-pages.ts";
import { measureInsight } from "./insight.ts";
import { measureLighthouse } from "./lighthouse.ts";
import { type HttpLoad, runHttp, runLoop, stopLoad, type Timing } from "./load.ts";
import { describeMachine, loadAverage } from "./machine.ts";
import { pageWeight } from "./pages.ts";
import { startCountingProxy } from "./proxy.ts";
import { type Results, renderMarkdown } from "./report.ts";
import { countRoundTrips } from "./roundtrips.ts";
import type { CellResult } from "./stats.ts";
import { measureUploads, requestUploadLine } from "./uploads.ts";
import {
  BaselineIssue,
  IssueBodies,
  insertSyntheticRegistry,
  lookupTargets,
  type NodeDb,
  nodeDb,
  seedRmas,
  stmt,
  syntheticUnit,
} from "./workload.ts";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const timing: Timing = { seconds: num("BENCH_SECONDS", 5), warmupSeconds: Number(process.env["BENCH_WARMUP_SECONDS"] ?? 1) };
const CONCURRENCY = (process.env["BENCH_CONCURRENCY"] ?? "1,8,32")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const STATIC_CONCURRENCY = num("BENCH_STATIC_CONCURRENCY", 8);
const REGISTRY = Math.round(num("BENCH_REGISTRY", 40_000 * timing.seconds));
const GROWTH = [1_000, 100_000];
const GROWTH_CONCURRENCY = [1, 8];
const LINK_SECRET = "bench-link-secret-0123456789abcdef";
const STATIC_PAGES = ["/", "/faq", "/policies/warranty"];
const SECTIONS = [
  "bundle",
  "roundtrips",
  "growth",
  "ping",
  "lookup",
  "issuing",
  "static",
  "lighthouse",
  "i18n",
  "uploads",
  "insight",
  "account",
] as const;
const ONLY = new Set((process.env["BENCH_ONLY"] ?? "").split(",").filter(Boolean));
/** `BENCH_ONLY=lookup,ping` runs some sections only (for working on one number); the default is all. */
const want = (section: (typeof SECTIONS)[number]) => ONLY.size === 0 || ONLY.has(section);

const log = (msg: string) => console.error(`[bench] ${msg}`);
const brief = (r: CellResult) =>
  `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms${
    Object.keys(r.errors).length ? `, errors ${JSON.stringify(r.errors)}` : ""
  }`;

// Everything started is stopped in reverse order, whatever happens.
const cleanups: (() => Promise<unknown> | unknown)[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    stopLoad();
    while (cleanups.length > 0) {
      try {
        await cleanups.pop()?.();
      } catch (err) {
        log(`cleanup: ${String(err)}`);
      }
    }
  })();
  return cleaning;
}
// @libsql/client leaves a step's promise unhandled when sqld fails a whole batch (e.g. "Transaction
// timed out" under write contention): the batch itself rejects and is counted; this must not end the run.
let strayRejections = 0;
process.on("unhandledRejection", (err) => {
  if (strayRejections++ === 0) log(`ignoring a stray rejection (the failed batch is counted in its cell): ${String(err)}`);
});
process.once("uncaughtException", (err) => {
  console.error(err);
  void cleanup().then(() => process.exit(1));
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping everything the benchmark started`);
    void cleanup().then(() => process.exit(130));
  });
}

/**
 * The staff queue at the current size: `GET /api/admin/queue` (counts per status, the RMAs needing
 * action, the first page of the newest), signed in as the seeded staff account.
 */
async function measureQueue(worker: WorkerServer, c: number): Promise<CellResult> {
  const res = await fetch(`${worker.url}/api/admin/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: worker.url },
    body: JSON.stringify({ email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD }),
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  if (res.status !== 200 || !cookie) throw new Error(`bench: staff sign-in refused (${res.status})`);
  return runHttp({ url: `${worker.url}/api/admin/queue`, headers: { cookie }, connections: c }, timing);
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  log(
    `${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.workerd}, wrangler ${machine.wrangler}, ${machine.sqld}`,
  );
  log(`${timing.warmupSeconds} s warm-up + ${timing.seconds} s per cell, concurrency ${CONCURRENCY.join("/")}`);

  const skipBuild = process.env["BENCH_SKIP_BUILD"] === "1" && existsSync(join(ROOT, "dist", "server", "wrangler.json"));
  if (!skipBuild) {
    log("astro build");
    execFileSync(join(ROOT, "node_modules", ".bin", "astro"), ["build"], {
      cwd: ROOT,
      env: toolEnv(),
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  const notes: string[] = [];

  let bundle: Results["bundle"] = { error: "not measured (BENCH_ONLY)" };
  if (want("bundle")) {
    log("bundle size (wrangler deploy --dry-run)");
    bundle = await measureBundle().catch((err: unknown) => ({ error: String(err).slice(0, 300) }));
  }

  const dir = mkdtempSync(join(tmpdir(), "rma-bench-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const sqld = await startSqld({ dbPath: join(dir, "db.sqld") });
  const guard = new SqldGuard(sqld);
  cleanups.push(() => guard.stop());
  await migrateDatabase(sqld.url);
  await seedDatabase(sqld.url);
  const client: Client = createClient({ url: sqld.url, fetch: baselineFetch });
  cleanups.push(() => client.close());
  const db: NodeDb = nodeDb(client);
  const models = [...new Set(demoRegistry().rows.map((r) => r.model))].sort();
  let t0 = performance.now();
  await insertSyntheticRegistry(client, REGISTRY, models);
  log(`registry: ${REGISTRY.toLocaleString("en")} synthetic units in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const bodies = new IssueBodies(models, REGISTRY);

  const worker = await startWorker({
    databaseUrl: sqld.url,
    vars: { LINK_SECRET, ...NO_FORM_LIMITS },
    persistTo: join(dir, "worker"),
  });
  cleanups.push(() => worker.stop());
  log(`Worker on ${worker.url} (workerd through Miniflare's API), sqld on ${sqld.url}`);

  // Round trips: a second Worker whose database is the counting proxy.
  let roundTrips: Results["roundTrips"] = [];
  if (want("roundtrips")) {
    log("round trips per endpoint");
    const proxy = await startCountingProxy(sqld.url);
    cleanups.push(() => proxy.close());
    const counted = await startWorker({
      databaseUrl: proxy.url,
      vars: { LINK_SECRET, ...NO_FORM_LIMITS },
      persistTo: join(dir, "worker-counted"),
    });
    cleanups.push(() => counted.stop());
    roundTrips = await countRoundTrips({
      workerUrl: counted.url,
      proxy,
      bodies,
      secret: LINK_SECRET,
      registeredSerial: DEMO_SERIALS.inWarranty,
    });
    for (const t of roundTrips) log(`  ${t.endpoint}: ${t.status}, ${t.trips} round trip(s), ${t.statements} statements`);
    await counted.stop();
    await proxy.close();
  }

  // Every cell starts from a writable sqld (see bench/guard.ts) and is logged as it ends.
  const http = async (label: string, load: HttpLoad) => {
    await guard.ensure(label);
    const result = await runHttp(load, timing);
    log(`${label}: ${brief(result)}`);
    return result;
  };
  const loop = async (label: string, op: () => Promise<unknown>, c: number) => {
    await guard.ensure(label);
    const result = await runLoop(op, c, timing);
    log(`${label}: ${brief(result)}`);
    return result;
  };

  // Growth: the same lookups against 1 000 and 100 000 RMAs, seeded straight into sqld. The small
  // database is a second sqld with its own Worker, so the two sizes are measured turn about (less drift
  // from whatever else the machine is doing); the large one is the main database, which the later
  // sections use (it is seeded even when growth is not measured).
  const growth: Results["growth"] = [];
  const [small = 1_000, large = 100_000] = GROWTH;
  t0 = performance.now();
  await seedRmas(client, 1, large, large);
  log(`${large.toLocaleString("en")} RMAs seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (want("growth")) {
    const smallSqld = await startSqld({ dbPath: join(dir, "small.sqld") });
    const smallGuard = new SqldGuard(smallSqld);
    cleanups.push(() => smallGuard.stop());
    await migrateDatabase(smallSqld.url);
    await seedDatabase(smallSqld.url);
    const smallClient = createClient({ url: smallSqld.url, fetch: baselineFetch });
    cleanups.push(() => smallClient.close());
    await seedRmas(smallClient, 1, small, large);
    const smallWorker = await startWorker({
      databaseUrl: smallSqld.url,
      vars: { LINK_SECRET, ...NO_FORM_LIMITS },
      persistTo: join(dir, "worker-small"),
    });
    cleanups.push(() => smallWorker.stop());
    const sides = [
      { guard: smallGuard, worker: smallWorker, client: smallClient },
      { guard, worker, client },
    ];
    const prepared = await Promise.all(
      sides.map(async (side) => ({
        ...side,
        rmas: Number((await side.client.execute("SELECT count(*) AS n FROM rmas")).rows[0]?.["n"]),
        targets: await lookupTargets(side.client, 1000, "r.rma_number LIKE 'RMA-25-%'"),
      })),
    );
    for (const c of GROWTH_CONCURRENCY) {
      for (const side of prepared) {
        const label = `lookup at ${side.rmas.toLocaleString("en")} RMAs, c=${c}`;
        await side.guard.ensure(label);
        const result = await runHttp(lookupLoad(side.worker.url, side.targets, c), timing);
        log(`${label}: ${brief(result)}`);
        await side.guard.ensure(`${label} (queue)`);
        const queue = await measureQueue(side.worker, c);
        log(`staff queue at ${side.rmas.toLocaleString("en")} RMAs, c=${c}: ${brief(queue)}`);
        growth.push({ rmas: side.rmas, concurrency: c, lookup: result, queue });
      }
    }
    await smallWorker.stop();
    await smallGuard.stop();
  }
  const plans = await queryPlans(client, db, (await lookupTargets(client, 1))[0]?.rmaNumber ?? "RMA-25-000001-A");
  // "My returns": its first page at 10 and 1 000 RMAs of one customer (bench/account.ts), in the report's notes.
  if (want("account")) {
    await guard.ensure("account");
    notes.push(
      ...(await measureAccount({
        client,
        workerUrl: worker.url,
        databaseUrl: sqld.url,
        timing,
        concurrency: GROWTH_CONCURRENCY,
        log,
      })),
    );
  }

  // The same build under `wrangler dev`, against the same sqld, measured turn about with the runner
  // above for the trivial route, lookup and issuing with stated dates (BENCH_SKIP_WRANGLER=1: not at all).
  let dev: WorkerServer | undefined;
  if (process.env["BENCH_SKIP_WRANGLER"] !== "1" && (want("ping") || want("lookup") || want("issuing"))) {
    dev = await startWranglerDev({
      databaseUrl: sqld.url,
      vars: { LINK_SECRET, ...NO_FORM_LIMITS },
      persistTo: join(dir, "wrangler-dev"),
    });
    cleanups.push(() => dev?.stop());
    log(`the same build under wrangler dev on ${dev.url}`);
  }
  const DEV = "wrangler dev";

  // The runtime's own cost.
  const trivial: Results["trivial"] = [];
  for (const c of want("ping") ? CONCURRENCY : []) {
    const result = await http(`ping, c=${c}`, { url: `${worker.url}/api/ping`, connections: c });
    trivial.push({ path: "Worker: GET /api/ping", concurrency: c, result });
    // The other path the runner offers: Miniflare's entry worker in front of the same router.
    const entryPath = "Worker via Miniflare's entry worker: GET /api/ping";
    const entry = await http(`${entryPath}, c=${c}`, { url: `${worker.entryUrl}/api/ping`, connections: c });
    trivial.push({ path: entryPath, runner: "miniflare entry", concurrency: c, result: entry });
    if (dev) {
      const path = `${DEV}: GET /api/ping`;
      trivial.push({
        path,
        runner: DEV,
        concurrency: c,
        result: await http(`${path}, c=${c}`, { url: `${dev.url}/api/ping`, connections: c }),
      });
    }
  }

  // Looking up, with the same reads straight to sqld beside it.
  const lookup: Results["lookup"] = [];
  const targets = await lookupTargets(client, 2000);
  const tokens = await Promise.all(targets.map((t) => signToken(LINK_SECRET, "rma", t.rmaNumber)));
  for (const c of want("lookup") ? CONCURRENCY : []) {
    let i = 0;
    const next = () => targets[i++ % targets.length] as (typeof targets)[number];
    const add = (kind: Results["lookup"][number]["kind"], path: string, result: CellResult) => {
      lookup.push({ kind, path, concurrency: c, result });
    };
    const lookupPath = "Worker: POST /api/rmas/lookup";
    add("lookup", lookupPath, await http(`${lookupPath}, c=${c}`, lookupLoad(worker.url, targets, c)));
    if (dev) {
      const path = `${DEV}: POST /api/rmas/lookup`;
      lookup.push({
        kind: "lookup",
        runner: DEV,
        path,
        concurrency: c,
        result: await http(`${path}, c=${c}`, lookupLoad(dev.url, targets, c)),
      });
    }
    const pagePath = "Worker: GET /rma/{n}?t=… (page)";
    const pageLoad: HttpLoad = {
      url: `${worker.url}/rma/x`,
      connections: c,
      next: () => {
        const k = i++ % targets.length;
        return { path: `/rma/${targets[k]?.rmaNumber}?t=${tokens[k]}` };
      },
    };
    add("page", pagePath, await http(`${pagePath}, c=${c}`, pageLoad));
    const selectPath = "baseline: the RMA's reads, 1 batch from Node";
    const select = () => client.batch(rmaReadStatements(db, next().rmaNumber).map(stmt), "deferred");
    add("select", selectPath, await loop(`${selectPath}, c=${c}`, select, c));
    let ip = 0;
    const batchPath = "baseline: lookup's batch (counter + reads) from Node";
    const lookupBatch = () =>
      client.batch(
        [
          stmt(countStatement(db, limitKeys.lookupIp(`node-${c}-${ip++}`), { ...LOOKUP_LIMIT, now: new Date() })),
          ...rmaReadStatements(db, next().rmaNumber).map(stmt),
        ],
        "deferred",
      );
    add("lookup-batch", batchPath, await loop(`${batchPath}, c=${c}`, lookupBatch, c));
  }

  // Issuing, with the same rows written straight to sqld beside it.
  const issuing: Results["issuing"] = [];
  const baseline = new BaselineIssue(db);
  let readFrom = REGISTRY;
  for (const units of want("issuing") ? [1, 10] : []) {
    for (const c of CONCURRENCY) {
      const add = (kind: Results["issuing"][number]["kind"], path: string, result: CellResult) => {
        issuing.push({ kind, units, path, concurrency: c, result });
      };
      const label = (path: string) => `issue ${units} unit(s), ${path}, c=${c}`;
      const load = (stated: boolean, to = worker): HttpLoad => ({
        url: `${to.url}/api/rma-requests`,
        method: "POST",
        headers: { "content-type": "application/json" },
        connections: c,
        next: () => ({ body: bodies.body(units, stated) }),
      });
      const workerPath = "Worker: POST /api/rma-requests, purchase dates stated (as the form sends)";
      add("worker", workerPath, await http(label(workerPath), load(true)));
      if (dev) {
        const path = `${DEV}: POST /api/rma-requests, purchase dates stated`;
        issuing.push({
          kind: "worker",
          runner: DEV,
          units,
          path,
          concurrency: c,
          result: await http(label(path), load(true, dev)),
        });
      }
      const readFirstPath = "Worker: POST /api/rma-requests, no purchase dates (registry read first)";
      add("worker-read-first", readFirstPath, await http(label(readFirstPath), load(false)));
      const basePath = "baseline: 1 write batch from Node";
      const write = () => client.batch(baseline.statements(units), "deferred");
      add("baseline", basePath, await loop(label(basePath), write, c));
      const floorPath = "DB work: read batch + write batch from Node";
      const readThenWrite = async () => {
        // Registered serials from the top of the registry (the Worker's requests take them from the bottom).
        const serials = Array.from({ length: units }, () => syntheticUnit(readFrom--, models).serialNumber);
        if (readFrom < REGISTRY / 2) readFrom = REGISTRY;
        await client.batch(readContextStatements(db, serials, undefined).map(stmt), "deferred");
        await client.batch(baseline.statements(units), "deferred");
      };
      add("floor", floorPath, await loop(label(floorPath), readThenWrite, c));
    }
  }
  log(`issuing used ${bodies.used.toLocaleString("en")} of ${REGISTRY.toLocaleString("en")} registry units`);
  await dev?.stop();

  // Static pages from assets.
  const staticPages: Results["staticPages"] = [];
  for (const path of want("static") ? STATIC_PAGES : []) {
    const weight = await pageWeight(worker.url, path);
    const load = await http(`static ${path}`, { url: worker.url + path, connections: STATIC_CONCURRENCY });
    log(`  ${path}: ${weight.htmlBytes} bytes HTML, ${weight.cssBytes} bytes CSS, ${weight.jsBytes} bytes JS`);
    staticPages.push({ path, load, weight });
  }
  // Translation's cost: the API's error answers (bench/i18n.ts) and the on-demand pages (bench/i18n-pages.ts), each language beside English.
  if (want("i18n")) {
    notes.push(...(await measureI18n(worker.url, CONCURRENCY, loop)));
    const rows = await measureI18nPages({
      workerUrl: worker.url,
      secret: LINK_SECRET,
      body: bodies.body(1),
      connections: STATIC_CONCURRENCY,
      http,
    });
    notes.push(...describeI18nPages(rows));
  }
  notes.push(...guard.incidents);
  if (want("insight")) {
    // Baseline beside each figure: the same read at 1 000 RMAs; the target is at most 2× at 100 000.
    const r = await measureInsight();
    const [small, large] = [r.sides[0], r.sides.at(-1)];
    notes.push(
      `Quality dashboard and CSV export (bench/insight.ts): dashboard ${large?.dashboardMs.toFixed(1)} ms at ${large?.rmas} RMAs vs ${small?.dashboardMs.toFixed(1)} ms at ${small?.rmas} (×${r.dashboardRatio.toFixed(2)}, target ≤ ×2); export of the "received" filter (${large?.exportRows} rows) ${large?.exportMs.toFixed(1)} ms vs ${small?.exportMs.toFixed(1)} ms (×${r.exportRatio.toFixed(2)}).`,
    );
  }
  const lighthouse = want("lighthouse") ? await measureLighthouse(worker.url, LINK_SECRET, log) : undefined;
  if (want("uploads")) {
    // Issue 15: a 10 MB file through the Worker against the same bytes straight into local R2 (budget: 1.5×).
    const u = await measureUploads();
    const line = `uploads: 10 MB through the Worker ${u.workerMs} ms, straight into local R2 from Node ${u.directMs} ms, ratio ${u.ratio} (budget ${u.budget}, baseline: the direct write); at most ${u.pieceBytes / 1048576} MiB of file data held per submission; ${u.concurrent.customers} customers sending 24 MB at once: ${u.concurrent.stored} stored in ${u.concurrent.seconds} s`;
    log(line);
    notes.push(line);
    notes.push(requestUploadLine(u));
  }

  const results: Results = {
    startedAt,
    finishedAt: new Date().toISOString(),
    loadAtEnd: loadAverage(),
    config: {
      seconds: timing.seconds,
      warmupSeconds: timing.warmupSeconds,
      concurrencies: CONCURRENCY,
      staticConcurrency: STATIC_CONCURRENCY,
      registryUnits: REGISTRY,
      sqldMaxConnections: Number(SQLD_MAX_CONNECTIONS),
      build: skipBuild ? "dist/ reused (BENCH_SKIP_BUILD=1)" : "`astro build` run first, every time",
    },
    machine,
    trivial,
    issuing,
    lookup,
    staticPages,
    roundTrips,
    bundle,
    growth,
    plans,
    ...(lighthouse ? { lighthouse } : {}),
    notes,
  };
  const markdown = renderMarkdown(results);
  writeFileSync(join(ROOT, "bench", "results.md"), markdown);
  writeFileSync(join(ROOT, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  console.log(markdown);
  log("wrote bench/results.md and bench/results.json");
}

/**
 * The baseline client's fetch, made to ask what the Worker asks. workerd's fetch sends no
 * Accept-Encoding, so sqld answers the Worker uncompressed; Node's fetch asks for gzip, and sqld then
 * compresses every answer and Node inflates it (~1 ms of CPU per request on this machine), which would
 * slow the baseline down for nothing. And like autocannon's 30 s timeout: a stuck batch becomes an
 * error in the table, not a stuck run.
 */
function baselineFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  request.headers.set("accept-encoding", "identity");
  return fetch(request, { signal: AbortSignal.timeout(30_000) });
}

/** EXPLAIN QUERY PLAN of every statement of a lookup: each should SEARCH an index, none SCAN a table. */
async function queryPlans(client: Client, db: NodeDb, rmaNumber: string): Promise<Results["plans"]> {
  const statements = [
    stmt(countStatement(db, limitKeys.lookupIp("203.0.113.1"), { ...LOOKUP_LIMIT, now: new Date() })),
    ...rmaReadStatements(db, rmaNumber).map(stmt),
  ];
  const names = ["rate-limit counter (upsert)", "the RMA", "its request", "its events", "the request's units"];
  const out: Results["plans"] = [];
  for (const [i, s] of statements.entries()) {
    const { sql, args } = typeof s === "string" ? { sql: s, args: [] } : s;
    const rs = await client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: args ?? [] });
    out.push({ name: names[i] ?? `statement ${i + 1}`, sql, plan: rs.rows.map((r) => String(r["detail"])) });
  }
  return out;
}

let clientIp = 0;

/** `POST /api/rmas/lookup` over the targets, each request from its own client address (16 M of them). */
function lookupLoad(url: string, targets: { rmaNumber: string; email: string }[], connections: number): HttpLoad {
  let i = 0;
  return {
    url: `${url}/api/rmas/lookup`,
    method: "POST",
    headers: { "content-type": "application/json" },
    connections,
    next: () => {
      const t = targets[i++ % targets.length] as { rmaNumber: string; email: string };
      const n = clientIp++;
      return {
        body: JSON.stringify({ rmaNumber: t.rmaNumber, email: t.email }),
        headers: { "cf-connecting-ip": `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` },
      };
    },
  };
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
