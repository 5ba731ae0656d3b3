/**
 * Lighthouse on the customer pages (`BENCH_ONLY=lighthouse` runs this section alone): `/`, `/faq`,
 * `/rma/new`, `/status`, an authorised RMA's page and its print page, each scored for performance,
 * accessibility, best practices and SEO, with the goals beside them. Lighthouse's own CLI (npm
 * `lighthouse`) drives the same npm Chromium as the browser tests (scripts/chromium.ts, `CHROMIUM_PATH`
 * overrides), with the tests' flags, never the package's serverless ones (with those, Lighthouse
 * collects no screenshots and performance comes back empty). Its default settings: a mobile device,
 * simulated throttling (a slow 4G network and a 4× slower CPU, computed from the trace).
 * It reports; it never fails on a number.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_SERIALS, demoRegistry } from "../db/seed.ts";
import { ROOT } from "../db/sqld.ts";
import { rmaPath } from "../functions/links.ts";
import { CHROMIUM_FLAGS, chromiumPath } from "../scripts/chromium.ts";
import { requestBody } from "../test/support/requests.ts";
import { loadAverage } from "./machine.ts";

const run = promisify(execFile);

export const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
export type Category = (typeof CATEGORIES)[number];

/** The goals, on every customer page: a score at least this (scores run from 0 to 1). */
export const LIGHTHOUSE_GOALS: Partial<Record<Category, number>> = { performance: 0.95, accessibility: 1 };

export interface LighthousePage {
  name: string;
  /** The path measured (signed links shortened to `?t=…`). */
  path: string;
  /** Each category's score from 0 to 1; null when Lighthouse gave none (see `error`). */
  scores: Record<Category, number | null>;
  /** First and largest contentful paint, total blocking time (ms) and cumulative layout shift, as scored. */
  metrics: { fcp: number | null; lcp: number | null; tbt: number | null; cls: number | null };
  /** The audits that cost points in a category below 1: `category: audit-id (score)`. */
  losses: string[];
  error?: string;
}

export interface LighthouseReport {
  measuredAt: string;
  lighthouse: string;
  chromium: string;
  /** 1-minute load average before and after (Lighthouse's simulated throttling scales what it observes). */
  load: [number, number];
  pages: LighthousePage[];
}

interface LhrAudit {
  score: number | null;
  numericValue?: number;
}
interface Lhr {
  lighthouseVersion: string;
  environment: { hostUserAgent: string };
  runtimeError?: { message: string };
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, LhrAudit>;
}

const LIGHTHOUSE = join(ROOT, "node_modules", "lighthouse", "cli", "index.js");

/** Issues a request for one registered unit through the Worker and authorises it through the staff API. */
async function authorisedRma(baseUrl: string): Promise<string> {
  const demo: string[] = Object.values(DEMO_SERIALS);
  const unit = demoRegistry().rows.findLast((r) => !demo.includes(r.serialNumber));
  if (!unit) throw new Error("lighthouse: the demo registry has no unit to request");
  const issued = await fetch(`${baseUrl}/api/rma-requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(requestBody([unit])),
  });
  if (issued.status !== 201) throw new Error(`lighthouse: request refused (${issued.status} ${await issued.text()})`);
  const { rmas } = (await issued.json()) as { rmas: { rmaNumber: string }[] };
  const rmaNumber = rmas[0]?.rmaNumber ?? "";
  const session = await fetch(`${baseUrl}/api/admin/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD }),
  });
  const cookie = (session.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  if (session.status !== 200 || !cookie) throw new Error(`lighthouse: staff sign-in refused (${session.status})`);
  const headers = { "content-type": "application/json", origin: baseUrl, cookie };
  const current = await fetch(`${baseUrl}/api/admin/rmas/${rmaNumber}`, { headers });
  const { rma } = (await current.json()) as { rma: { version: number; status: string } };
  if (rma.status === "requested") {
    const res = await fetch(`${baseUrl}/api/admin/rmas/${rmaNumber}/authorize`, {
      method: "POST",
      headers,
      body: JSON.stringify({ version: rma.version }),
    });
    if (res.status !== 200) throw new Error(`lighthouse: authorising ${rmaNumber} refused (${res.status} ${await res.text()})`);
  }
  return rmaNumber;
}

/** One Lighthouse run of `url` (its own Chromium, started and stopped by Lighthouse). */
async function audit(chrome: string, url: string, dir: string, name: string): Promise<Omit<LighthousePage, "name" | "path">> {
  const out = join(dir, `${name.replace(/[^a-z0-9]+/gi, "-")}.json`);
  const empty = { fcp: null, lcp: null, tbt: null, cls: null };
  const none = Object.fromEntries(CATEGORIES.map((c) => [c, null])) as Record<Category, number | null>;
  try {
    await run(
      process.execPath,
      [
        LIGHTHOUSE,
        url,
        "--quiet",
        "--output=json",
        `--output-path=${out}`,
        `--only-categories=${CATEGORIES.join(",")}`,
        `--chrome-flags=--headless ${CHROMIUM_FLAGS.join(" ")}`,
      ],
      { env: { ...process.env, CHROME_PATH: chrome }, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (err) {
    return { scores: none, metrics: empty, losses: [], error: String(err).slice(0, 300) };
  }
  const lhr = JSON.parse(readFileSync(out, "utf8")) as Lhr;
  const value = (id: string) => lhr.audits[id]?.numericValue ?? null;
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c]?.score ?? null])) as Record<
    Category,
    number | null
  >;
  const losses = CATEGORIES.flatMap((c) =>
    (lhr.categories[c]?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0)
      .flatMap((ref) => {
        const score = lhr.audits[ref.id]?.score;
        return typeof score === "number" && score < 1 ? [`${c}: ${ref.id} (${score.toFixed(2)})`] : [];
      }),
  );
  return {
    scores,
    metrics: {
      fcp: value("first-contentful-paint"),
      lcp: value("largest-contentful-paint"),
      tbt: value("total-blocking-time"),
      cls: value("cumulative-layout-shift"),
    },
    losses,
    ...(lhr.runtimeError ? { error: lhr.runtimeError.message } : {}),
  };
}

/**
 * Scores the customer pages of the Worker at `baseUrl` (whose LINK_SECRET is `linkSecret`, to sign the
 * RMA page's link), one page after the other.
 */
export async function measureLighthouse(
  baseUrl: string,
  linkSecret: string,
  log: (msg: string) => void,
): Promise<LighthouseReport> {
  const chrome = await chromiumPath();
  const loadBefore = loadAverage();
  const rmaNumber = await authorisedRma(baseUrl);
  const rmaLink = await rmaPath(linkSecret, rmaNumber);
  const pages = [
    { name: "home", path: "/" },
    { name: "FAQ", path: "/faq" },
    { name: "request form", path: "/rma/new" },
    { name: "status", path: "/status" },
    { name: "RMA page", path: rmaLink },
    { name: "print page", path: rmaLink.replace("?", "/print?") },
  ];
  const dir = mkdtempSync(join(tmpdir(), "rma-lighthouse-"));
  const measured: LighthousePage[] = [];
  let version = "";
  try {
    for (const p of pages) {
      const result = await audit(chrome, baseUrl + p.path, dir, p.name);
      const page = { name: p.name, path: p.path.replace(/\?t=.*$/, "?t=…"), ...result };
      measured.push(page);
      log(`lighthouse ${page.path}: ${summary(page)}${page.error ? ` (${page.error})` : ""}`);
    }
    version = (await run(process.execPath, [LIGHTHOUSE, "--version"])).stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const browser = (await run(chrome, ["--version"]).catch(() => ({ stdout: chrome }))).stdout.trim();
  return {
    measuredAt: new Date().toISOString(),
    lighthouse: version,
    chromium: browser,
    load: [loadBefore, loadAverage()],
    pages: measured,
  };
}

const score = (v: number | null) => (v === null ? "–" : v.toFixed(2));

/** `performance 0.99 (goal ≥ 0.95: met), accessibility 1.00 (goal 1.00: met), …` */
function summary(p: LighthousePage): string {
  return CATEGORIES.map((c) => {
    const goal = LIGHTHOUSE_GOALS[c];
    const v = p.scores[c];
    return `${c} ${score(v)}${goal === undefined ? "" : ` (goal ${goal === 1 ? "1.00" : `≥ ${goal}`}: ${met(v, goal) ? "met" : "MISSED"})`}`;
  }).join(", ");
}

const met = (v: number | null, goal: number) => v !== null && v >= goal;

/** Every goal of every page: `{ goal, value, met }`, for the benchmark's goal table. */
export function lighthouseGoals(r: LighthouseReport): { goal: string; value: string; met: boolean }[] {
  return r.pages.flatMap((p) =>
    Object.entries(LIGHTHOUSE_GOALS).map(([c, goal]) => ({
      goal: `Lighthouse ${c} of ${p.name} ${goal === 1 ? "= 1.00" : `≥ ${goal}`}`,
      value: score(p.scores[c as Category]),
      met: met(p.scores[c as Category], goal),
    })),
  );
}

/** The section of bench/results.md: one row a page, its goals marked, and what cost the points. */
export function lighthouseSection(r: LighthouseReport, table: (head: string[], rows: (string | number)[][]) => string): string[] {
  const cell = (p: LighthousePage, c: Category) => {
    const goal = LIGHTHOUSE_GOALS[c];
    return goal === undefined ? score(p.scores[c]) : `${score(p.scores[c])} ${met(p.scores[c], goal) ? "met" : "**missed**"}`;
  };
  const ms = (v: number | null) => (v === null ? "–" : `${Math.round(v)}`);
  const notes = r.pages.flatMap((p) => [
    ...(p.error ? [`- ${p.name}: Lighthouse failed: ${p.error}`] : []),
    ...(p.losses.length > 0 ? [`- ${p.name} lost points on: ${p.losses.join(", ")}`] : []),
  ]);
  const goals = Object.entries(LIGHTHOUSE_GOALS)
    .map(([c, g]) => `${c} ${g === 1 ? "= 1.00" : `≥ ${g}`}`)
    .join(", ");
  return [
    "## Lighthouse: customer pages",
    "",
    `Lighthouse ${r.lighthouse} in ${r.chromium} (npm \`@sparticuz/chromium\`, the tests' flags), measured ${r.measuredAt.slice(0, 16).replace("T", " ")} UTC (load average ${r.load[0].toFixed(1)} before, ${r.load[1].toFixed(1)} after): a mobile device with simulated throttling (Lighthouse's defaults). Goals on every customer page: ${goals}.`,
    "",
    table(
      ["page", "performance", "accessibility", "best practices", "SEO", "FCP ms", "LCP ms", "TBT ms", "CLS"],
      r.pages.map((p) => [
        `${p.name} \`${p.path}\``,
        cell(p, "performance"),
        cell(p, "accessibility"),
        cell(p, "best-practices"),
        cell(p, "seo"),
        ms(p.metrics.fcp),
        ms(p.metrics.lcp),
        ms(p.metrics.tbt),
        p.metrics.cls === null ? "–" : p.metrics.cls.toFixed(3),
      ]),
    ),
    "",
    ...(notes.length > 0 ? [...notes, ""] : []),
  ];
}
