/** The results of one run, and their rendering as the Markdown table printed and written to bench/results.md. */
import type { BundleSize } from "./bundle.ts";
import { type LighthouseReport, lighthouseGoals, lighthouseSection } from "./lighthouse.ts";
import type { Machine } from "./machine.ts";
import type { PageWeight } from "./pages.ts";
import type { RoundTripRow } from "./roundtrips.ts";
import { type CellResult, formatErrors } from "./stats.ts";

export interface Row {
  /** What was measured, e.g. `Worker: POST /api/rma-requests`. */
  path: string;
  /**
   * Absent: the runner `npm start` uses (scripts/servers.ts), on its portal address. `miniflare entry`: the
   * same runner through Miniflare's entry worker (its second address); `wrangler dev`: the same build under it.
   */
  runner?: "wrangler dev" | "miniflare entry";
  concurrency: number;
  result: CellResult;
}

export interface Results {
  startedAt: string;
  finishedAt: string;
  /** 1-minute load average when the run ended. */
  loadAtEnd: number;
  config: {
    seconds: number;
    warmupSeconds: number;
    concurrencies: number[];
    staticConcurrency: number;
    registryUnits: number;
    /** sqld's --max-concurrent-connections for this run. */
    sqldMaxConnections: number;
    build: string;
  };
  machine: Machine;
  trivial: Row[];
  issuing: (Row & { units: number; kind: "worker" | "worker-read-first" | "baseline" | "floor" })[];
  lookup: (Row & { kind: "lookup" | "page" | "select" | "lookup-batch" })[];
  staticPages: { path: string; load: CellResult; weight: PageWeight }[];
  roundTrips: RoundTripRow[];
  bundle: BundleSize | { error: string };
  growth: {
    rmas: number;
    concurrency: number;
    lookup: CellResult;
    /** `GET /api/admin/queue`, signed in (null in results written before it was measured). */
    queue: CellResult | null;
  }[];
  /** EXPLAIN QUERY PLAN of the lookup's statements at the largest size. */
  plans: { name: string; sql: string; plan: string[] }[];
  /** Lighthouse on the customer pages (absent in results written before it was measured). */
  lighthouse?: LighthouseReport;
  notes: string[];
}

const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) : "–");
const rps = (v: number) => (v < 100 ? v.toFixed(1) : v.toFixed(0));
const pct = (v: number) => `${(v * 100).toFixed(0)} %`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mark = (ok: boolean) => (ok ? "met" : "**missed**");

/** A Markdown table with aligned columns (as Biome formats Markdown, so the file passes `npm run lint`). */
function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows].map((r) => r.map((c) => String(c).replace(/\|/g, "\\|")));
  const widths = head.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${widths.map((w, i) => (r[i] ?? "").padEnd(w)).join(" | ")} |`;
  const [first = [], ...rest] = cells;
  return [line(first), line(widths.map((w) => "-".repeat(w))), ...rest.map(line)].join("\n");
}

const latencyCells = (r: CellResult) => [rps(r.rps), ms(r.p50), ms(r.p95), ms(r.p99), formatErrors(r.errors) || "0"];

export interface Goal {
  goal: string;
  value: string;
  met: boolean;
}

/** Issuing's goal: this share of the baseline's req/s (50 % at c=1; 80 % at c=8, and above, where the issue says nothing). */
export const issuingGoal = (c: number) => (c <= 1 ? 0.5 : 0.8);

/** Each goal of the issue, read against the numbers of this run (the runner `npm start` uses, not `wrangler dev`). */
export function goals(r: Results): Goal[] {
  const out: Goal[] = [];
  for (const e2e of r.issuing.filter((x) => x.kind === "worker" && !x.runner)) {
    const base = r.issuing.find((x) => x.kind === "baseline" && x.units === e2e.units && x.concurrency === e2e.concurrency);
    if (!base || base.result.ok === 0) continue;
    const ratio = e2e.result.rps / base.result.rps;
    const goal = issuingGoal(e2e.concurrency);
    out.push({
      goal: `issuing ${e2e.units} unit${e2e.units > 1 ? "s" : ""}, c=${e2e.concurrency}: Worker ≥ ${pct(goal)} of baseline req/s`,
      value: `${rps(e2e.result.rps)} / ${rps(base.result.rps)} = ${pct(ratio)}`,
      met: ratio >= goal,
    });
  }
  for (const c of r.config.concurrencies) {
    const lookup = r.lookup.find((x) => x.kind === "lookup" && x.concurrency === c && !x.runner);
    const select = r.lookup.find((x) => x.kind === "select" && x.concurrency === c);
    const trivial = r.trivial.find((x) => x.concurrency === c && !x.runner);
    if (!lookup || !select || !trivial || select.result.ok === 0 || trivial.result.ok === 0) continue;
    const bound = 2 * select.result.p99 + trivial.result.p99;
    out.push({
      goal: `lookup p99, c=${c}: ≤ 2 × baseline select p99 + trivial route p99`,
      value: `${ms(lookup.result.p99)} ms ≤ 2 × ${ms(select.result.p99)} + ${ms(trivial.result.p99)} = ${ms(bound)} ms`,
      met: lookup.result.p99 <= bound,
    });
  }
  for (const p of r.staticPages) {
    out.push({ goal: `no JavaScript on ${p.path}`, value: `${p.weight.jsBytes} bytes`, met: p.weight.jsBytes === 0 });
  }
  const customer = r.roundTrips.filter((t) => t.status < 400 || t.endpoint.includes("404") || t.endpoint.includes("refused"));
  const worst = Math.max(0, ...customer.map((t) => t.trips));
  out.push({
    goal: "1 database round trip per customer request",
    value: customer.every((t) => t.trips <= 1)
      ? "every endpoint ≤ 1"
      : customer
          .filter((t) => t.trips > 1)
          .map((t) => `${t.endpoint}: ${t.trips}`)
          .join("; "),
    met: worst <= 1,
  });
  if ("gzipKiB" in r.bundle) {
    out.push({ goal: "Worker bundle gzip ≤ 1 MiB", value: `${r.bundle.gzipKiB.toFixed(1)} KiB`, met: r.bundle.gzipKiB <= 1024 });
  }
  const small = Math.min(...r.growth.map((g) => g.rmas));
  const large = Math.max(...r.growth.map((g) => g.rmas));
  for (const c of new Set(r.growth.map((g) => g.concurrency))) {
    const a = r.growth.find((g) => g.rmas === small && g.concurrency === c);
    const b = r.growth.find((g) => g.rmas === large && g.concurrency === c);
    if (!a || !b || a === b) continue;
    const ratio = b.lookup.p50 / a.lookup.p50;
    out.push({
      goal: `lookup at ${large.toLocaleString("en")} RMAs ≤ 1.5 × at ${small.toLocaleString("en")}, c=${c} (p50; p99 beside)`,
      value: `p50 ${ms(b.lookup.p50)} / ${ms(a.lookup.p50)} = ${ratio.toFixed(2)}×; p99 ${(b.lookup.p99 / a.lookup.p99).toFixed(2)}×`,
      met: ratio <= 1.5,
    });
    if (a.queue && b.queue) {
      const q = b.queue.p50 / a.queue.p50;
      out.push({
        goal: `staff queue at ${large.toLocaleString("en")} RMAs ≤ 1.5 × at ${small.toLocaleString("en")}, c=${c} (p50; p99 beside)`,
        value: `p50 ${ms(b.queue.p50)} / ${ms(a.queue.p50)} = ${q.toFixed(2)}×; p99 ${(b.queue.p99 / a.queue.p99).toFixed(2)}×`,
        met: q <= 1.5,
      });
    }
  }
  return out;
}

/** Choices of method the numbers depend on. */
const METHOD = [
  "An HTTP cell is measured in chunks of requests sized from the latest rate until about the configured time has passed, never cut at a deadline: cutting requests in flight (autocannon's duration mode destroys their sockets) can leave sqld 0.24 holding its write lock for good. Each cell's real length and request count are in bench/results.json.",
  "sqld runs as `startSqld` starts it everywhere: `--use-custom-wal libsql-wal` for a new data folder (sqld 0.24's default WAL deadlocked its write lock under a few dozen concurrent write batches on this machine) and up to `SQLD_MAX_CONCURRENT_CONNECTIONS` connections (128 unless set; the table's machine row says which).",
  "The baselines use @libsql/client's HTTP client (the one the Worker uses), asking for uncompressed answers as workerd's fetch does (Node's fetch would ask for gzip and pay to inflate every answer), with batches in the mode drizzle sends (`deferred`).",
  "The Worker runs as `npm start` runs it (scripts/servers.ts): workerd through Miniflare's API, requests on its direct socket, where Cloudflare's assets router hands them to the Worker (or a static file to the asset worker); no dev proxy and no Node process on the path. The trivial route measures that path; its row _via Miniflare's entry worker_ is the same runner through its second address (Miniflare's entry worker, then the same router), the path not chosen for the portal. The `wrangler dev` rows run the same build under `wrangler dev` against the same sqld, turn about with it: there a request goes through wrangler's proxy Worker (a second workerd, a Durable Object) and an HTTP hop over loopback to Miniflare's entry worker before that router. In production there is no dev hop at all and Turso is a network away, so round trips count for more and the runtime for less.",
];

/** Each `wrangler dev` row with the row of the runner it was measured beside. */
function runnerRows(r: Results): [string, Row, Row][] {
  const out: [string, Row, Row][] = [];
  for (const b of r.trivial.filter((x) => x.runner === "wrangler dev")) {
    const a = r.trivial.find((x) => !x.runner && x.concurrency === b.concurrency);
    if (a) out.push(["`GET /api/ping`", a, b]);
  }
  for (const b of r.lookup.filter((x) => x.runner === "wrangler dev")) {
    const a = r.lookup.find((x) => !x.runner && x.kind === b.kind && x.concurrency === b.concurrency);
    if (a) out.push(["`POST /api/rmas/lookup`", a, b]);
  }
  for (const b of r.issuing.filter((x) => x.runner === "wrangler dev")) {
    const a = r.issuing.find((x) => !x.runner && x.kind === b.kind && x.units === b.units && x.concurrency === b.concurrency);
    if (a) out.push([`issuing ${b.units} unit${b.units > 1 ? "s" : ""}, dates stated`, a, b]);
  }
  return out;
}

export function renderMarkdown(r: Results): string {
  const m = r.machine;
  const out: string[] = [];
  out.push("# Benchmark results", "");
  out.push(
    `Measured by \`npm run bench\` on ${r.startedAt.slice(0, 16).replace("T", " ")} UTC. It is a benchmark, not a test: it reports, it never fails on a number.`,
    "",
  );
  out.push(
    table(
      ["machine", ""],
      [
        ["cores", `${m.cores} × ${m.cpu}`],
        ["memory", `${m.memoryGiB} GiB`],
        ["OS", m.os],
        ["Node", m.node],
        ["workerd", m.workerd],
        [
          "wrangler",
          `${m.wrangler} (its \`wrangler dev\` for the comparison rows; its Miniflare ${m.miniflare} runs the Worker)`,
        ],
        ["sqld", `${m.sqld}, max ${r.config.sqldMaxConnections} concurrent connection(s)`],
        ["Astro", m.astro],
        ["load average (1 min)", `${m.loadAtStart} at the start, ${r.loadAtEnd} at the end`],
        ["load generator", `autocannon ${m.autocannon} (HTTP), a Node loop with @libsql/client (baselines)`],
      ],
    ),
    "",
  );
  out.push(
    `Each cell: ${r.config.warmupSeconds} s warm-up, then ${r.config.seconds} s measured (\`BENCH_SECONDS\`). Latencies in ms (nearest-rank percentiles of every response); req/s counts 2xx only; errors are non-2xx by status. ` +
      `The load generator, workerd (and \`wrangler dev\` for its rows) and sqld share the same ${m.cores} cores. Build: ${r.config.build}. ` +
      `Registry: ${r.config.registryUnits.toLocaleString("en")} synthetic units besides the demo ones.`,
    "",
  );

  out.push("## Goals", "");
  out.push(
    table(
      ["goal", "this run", ""],
      [...goals(r), ...(r.lighthouse ? lighthouseGoals(r.lighthouse) : [])].map((g) => [g.goal, g.value, mark(g.met)]),
    ),
    "",
  );

  const sideBySide = runnerRows(r);
  if (sideBySide.length > 0) {
    out.push("## The runner against `wrangler dev`", "");
    out.push(
      "The same build, the same sqld, the same load, measured turn about: _workerd_ is the runner `npm start`, the tests and every other row of this file use (Miniflare's API, the direct socket); _wrangler dev_ is `npm run dev:wrangler`'s.",
      "",
    );
    out.push(
      table(
        ["request", "c", "workerd req/s", "p50", "p99", "wrangler dev req/s", "p50", "p99", "workerd / wrangler dev"],
        sideBySide.map(([what, a, b]) => [
          what,
          a.concurrency,
          rps(a.result.rps),
          ms(a.result.p50),
          ms(a.result.p99),
          rps(b.result.rps),
          ms(b.result.p50),
          ms(b.result.p99),
          b.result.rps > 0 ? `${(a.result.rps / b.result.rps).toFixed(2)}×` : "–",
        ]),
      ),
      "",
    );
  }

  out.push("## Issuing: `POST /api/rma-requests`", "");
  out.push(
    "_Worker, purchase dates stated_: the built Worker end to end (HTTP, Hono, validation, the checks, the emails into the outbox, ONE write batch that verifies the stated registry facts itself), with each unit's purchase date in the body as the request form sends it after its live serial check. " +
      "_Worker, no purchase dates_: the same without them, so the portal reads the registry first (a read batch, then the write batch). " +
      "_baseline_: the rows the same request stores (request, RMAs, first events, two outbox emails), as the same statements in ONE `client.batch(…, 'deferred')` from Node straight to sqld (deferred, as drizzle's `db.batch` sends the portal's batches). " +
      "_DB work_: the read-first path's database work from Node: its read batch, then that write batch (two round trips).",
    "",
  );
  out.push(
    table(
      ["units", "c", "path", "req/s", "p50", "p95", "p99", "errors", "Worker / baseline"],
      r.issuing.map((x) => {
        const base = r.issuing.find((b) => b.kind === "baseline" && b.units === x.units && b.concurrency === x.concurrency);
        const ratio =
          !x.kind.startsWith("worker") || !base
            ? ""
            : base.result.ok > 0
              ? pct(x.result.rps / base.result.rps)
              : "baseline failed";
        return [x.units, x.concurrency, x.path, ...latencyCells(x.result), ratio];
      }),
    ),
    "",
  );
  out.push("Trivial route, the runtime's own cost (`GET /api/ping`: Worker and Hono, no database):", "");
  out.push(
    table(
      ["c", "path", "req/s", "p50", "p95", "p99", "errors"],
      r.trivial.map((x) => [x.concurrency, x.path, ...latencyCells(x.result)]),
    ),
    "",
  );

  const ping1 = r.trivial.find((x) => x.concurrency === 1 && !x.runner);
  const split = [1, 10].flatMap((units) => {
    const find = (kind: string) =>
      r.issuing.find((x) => x.kind === kind && x.units === units && x.concurrency === 1 && !x.runner);
    const [stated, readFirst, base, floor] = [find("worker"), find("worker-read-first"), find("baseline"), find("floor")];
    if (!stated || !readFirst || !base || !floor || !ping1) return [];
    const own = (worker: CellResult, db: CellResult) => {
      const rest = worker.p50 - ping1.result.p50 - db.p50;
      return rest >= 0.5 ? ` + ${ms(rest)} ms of the portal's own work` : " (the portal's own work is within the noise)";
    };
    const u = `${units} unit${units > 1 ? "s" : ""}`;
    return [
      `${u}, dates stated: Worker p50 ${ms(stated.result.p50)} ms ≈ trivial route ${ms(ping1.result.p50)} + one write batch ${ms(base.result.p50)}${own(stated.result, base.result)}`,
      `${u}, read first: ${ms(readFirst.result.p50)} ms ≈ ${ms(ping1.result.p50)} + two batches ${ms(floor.result.p50)}${own(readFirst.result, floor.result)}`,
    ];
  });
  if (split.length > 0) out.push(`Where one request's time goes at c=1 (medians): ${split.join("; ")}.`, "");

  out.push("## Looking up", "");
  out.push(
    "_lookup_: `POST /api/rmas/lookup` (number + email; the rate-limit counter rides in the same batch), a distinct `cf-connecting-ip` per request. " +
      "_page_: the RMA page `GET /rma/{n}?t=…` (signed link, rendered by Astro). _select_: the batch of reads `rmaReadStatements` builds, from Node straight to sqld. " +
      "_lookup batch_: the lookup's whole batch (counter upsert + those reads) from Node.",
    "",
  );
  out.push(
    table(
      ["c", "path", "req/s", "p50", "p95", "p99", "errors"],
      r.lookup.map((x) => [x.concurrency, x.path, ...latencyCells(x.result)]),
    ),
    "",
  );

  out.push("## Static pages", "");
  out.push(
    table(
      ["page", "c", "req/s", "p99", "transferred/s", "HTML", "HTML gzip", "CSS (inlined)", "JavaScript", "errors"],
      r.staticPages.map((p) => [
        `\`${p.path}\``,
        r.config.staticConcurrency,
        rps(p.load.rps),
        ms(p.load.p99),
        `${((p.load.bytesPerSecond ?? 0) / 2 ** 20).toFixed(1)} MiB/s`,
        kib(p.weight.htmlBytes),
        kib(p.weight.htmlGzipBytes),
        kib(p.weight.cssBytes),
        `${p.weight.jsBytes} bytes (${p.weight.scripts.length} scripts)`,
        formatErrors(p.load.errors) || "0",
      ]),
    ),
    "",
  );

  out.push("## Database round trips per request", "");
  out.push(
    "Counted by a proxy on loopback in front of sqld that a second Worker uses as its `DATABASE_URL`: one Hrana pipeline POST is one round trip; statements exclude the BEGIN/COMMIT of a batch.",
    "",
  );
  out.push(
    table(
      ["endpoint", "request", "status", "round trips", "with writes", "statements"],
      r.roundTrips.map((t) => [t.endpoint, `\`${t.request}\``, t.status, t.trips, t.writeTrips, t.statements]),
    ),
    "",
  );

  out.push("## Worker bundle", "");
  if ("gzipKiB" in r.bundle) {
    out.push(
      `\`wrangler deploy --dry-run --outdir <tmp> -c dist/server/wrangler.json\`: total upload **${r.bundle.totalKiB.toFixed(1)} KiB**, gzip **${r.bundle.gzipKiB.toFixed(1)} KiB** (${r.bundle.modules} modules). Largest: ${r.bundle.largest
        .map((l) => `${l.name} ${l.kiB.toFixed(0)} KiB`)
        .join(", ")}.`,
      "",
    );
  } else {
    out.push(`The dry run failed: ${r.bundle.error}`, "");
  }

  out.push("## Growth: lookup latency against the number of RMAs", "");
  out.push(
    table(
      ["RMAs in the database", "c", "lookup req/s", "p50", "p95", "p99", "errors", "staff queue p50 / p99"],
      r.growth.map((g) => [
        g.rmas.toLocaleString("en"),
        g.concurrency,
        ...latencyCells(g.lookup),
        g.queue ? `${ms(g.queue.p50)} / ${ms(g.queue.p99)}` : "not measured",
      ]),
    ),
    "",
  );

  if (r.plans.length > 0) {
    out.push(
      "Query plans of the lookup's batch (`EXPLAIN QUERY PLAN` at the largest size): every statement should SEARCH an index; a SCAN of a table would grow with it.",
      "",
    );
    out.push(
      table(
        ["statement", "query plan"],
        r.plans.map((p) => [p.name, p.plan.join("; ") || "primary-key upsert (no plan rows)"]),
      ),
      "",
    );
  }

  if (r.lighthouse) out.push(...lighthouseSection(r.lighthouse, table));

  out.push(
    "## How it is measured, and what to keep in mind",
    "",
    ...METHOD.map((n) => `- ${n}`),
    ...r.notes.map((n) => `- ${n}`),
    "",
  );
  return out.join("\n");
}
