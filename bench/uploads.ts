/**
 * Uploads (issue 15): a 10 MB file sent as a customer message through the built Worker (multipart read
 * as it streams, type by content, SHA-256, R2 pieces of 1 MiB, rows in sqld) against the same bytes
 * written straight into a local R2 from Node (Miniflare's R2 binding, the same storage the Worker's
 * binding uses locally): the issue's budget is a ratio of at most 1.5. Also a return request with 5 × 5 MB
 * on its unit via multipart against the same request as JSON without files, and one request carrying the
 * most files a request may (20 units × 5). Median of RUNS each, after one warm-up. Run alone: `node bench/uploads.ts` (needs `npm run build`); `measureUploads()` for bench/run.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { migrateDatabase } from "../db/migrate.ts";
import { demoRegistry, seedDatabase } from "../db/seed.ts";
import { startSqld } from "../db/sqld.ts";
import { signToken } from "../functions/auth/tokens.ts";
import { PIECE_BYTES } from "../functions/services/files/store.ts";
import { NO_FORM_LIMITS } from "../scripts/form-limits.ts";
import { startWorker } from "../scripts/servers.ts";

const SIZE = 10 * 1024 * 1024 - 4096;
const RUNS = Number(process.env["BENCH_UPLOAD_RUNS"] ?? 7);
const SECRET = "bench-link-secret";

export interface UploadFigures {
  bytes: number;
  runs: number;
  /** Median milliseconds of one 10 MB message through the Worker (HTTP, multipart, hashing, R2, rows). */
  workerMs: number;
  /** Median milliseconds of writing the same bytes straight into the local R2 from Node. */
  directMs: number;
  ratio: number;
  /** The issue's budget for `ratio`. */
  budget: 1.5;
  /** Bytes one submission holds in the Worker at most, by construction (one R2 piece). */
  pieceBytes: number;
  /** CONCURRENT customers each sending 3 files of 8 MB (24 MB) at once: how many were stored, and the wall time. */
  concurrent: {
    customers: number;
    stored: number;
    seconds: number;
    /** workerd's resident memory (all of Miniflare: the Worker, its R2 simulator, the router) before, and its peak. */
    workerdBeforeMiB: number | null;
    workerdPeakMiB: number | null;
  };
  /**
   * A return request with 5 files of 5 MB on its unit through `POST /api/rma-requests` as multipart,
   * against the same request as JSON without files (the baseline): median milliseconds of each.
   */
  request: {
    files: number;
    fileBytes: number;
    multipartMs: number;
    jsonMs: number;
    ratio: number;
    /** A request of 20 units with 5 small files each (100 files, the most one request may carry): its answer and workerd's peak before and after. */
    manyFiles: { status: number; workerdPeakBeforeMiB: number | null; workerdPeakAfterMiB: number | null };
  };
}

const CONCURRENT = 20;

/** Resident memory of the runner's workerd processes (Linux /proc; null elsewhere): now and peak, in MiB. */
function workerdMemory(runnerPid: number | undefined): { rssMiB: number; peakMiB: number } | null {
  if (!runnerPid) return null;
  try {
    const parentOf = (pid: string) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[1]);
    let rss = 0;
    let peak = 0;
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      try {
        if (parentOf(pid) !== runnerPid) continue;
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        if (!/^Name:\s*workerd/m.test(status)) continue;
        rss += Number(/^VmRSS:\s*(\d+)/m.exec(status)?.[1] ?? 0);
        peak += Number(/^VmHWM:\s*(\d+)/m.exec(status)?.[1] ?? 0);
      } catch {
        // The process ended meanwhile.
      }
    }
    return rss > 0 ? { rssMiB: Math.round(rss / 1024), peakMiB: Math.round(peak / 1024) } : null;
  } catch {
    return null;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

function payload(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(SIZE);
  // A PNG signature, then data that does not compress.
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let x = 2463534242;
  for (let i = 8; i < SIZE; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

async function directR2(bytes: Uint8Array<ArrayBuffer>): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), "rma-bench-r2-"));
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: "export default { fetch() { return new Response('') } }",
      r2Buckets: ["FILES"],
      resourcePersistencePath: dir,
    }),
  );
  try {
    const bucket = await mf.getR2Bucket("FILES");
    const times: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const started = performance.now();
      await bucket.put(`direct/${i}`, bytes);
      if (i > 0) times.push(performance.now() - started);
    }
    return times;
  } finally {
    await mf.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

const REQUEST_FILES = 5;
const REQUEST_FILE_BYTES = 5 * 1024 * 1024 - 4096;

function requestJson(units: { model: string; serialNumber: string }[], email: string) {
  return {
    contact: { name: "Bench", email, phone: "+39 050 000 0000", country: "Italy" },
    returnAddress: { street: "Via Roma 1", postalCode: "56100", city: "Pisa", country: "Italy" },
    units: units.map((u) => ({
      model: u.model,
      serialNumber: u.serialNumber,
      issueDescription: "Benchmark request with files: the image freezes after ten minutes.",
    })),
    acceptTerms: true,
  };
}

/**
 * The request rows: the same one-unit request as JSON (no files) and as multipart with 5 × 5 MB on its unit,
 * alternated, RUNS of each after a warm-up; then one request of 20 units × 5 small files.
 */
async function requestUploads(
  url: string,
  bytes: Uint8Array<ArrayBuffer>,
  units: { model: string; serialNumber: string }[],
  runnerPid: number | undefined,
): Promise<UploadFigures["request"]> {
  const file = bytes.slice(0, REQUEST_FILE_BYTES);
  let next = 0;
  const unit = () => {
    const u = units[next++];
    if (!u) throw new Error("the demo registry has too few units");
    return u;
  };
  const post = async (body: FormData | string): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${url}/api/rma-requests`, {
      method: "POST",
      headers: typeof body === "string" ? { "content-type": "application/json" } : { origin: url },
      body,
    });
    const answer = await res.text();
    if (res.status !== 201) throw new Error(`request answered ${res.status}: ${answer}`);
    return performance.now() - started;
  };
  const json: number[] = [];
  const multipart: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const a = await post(JSON.stringify(requestJson([unit()], "bench-json@example.com")));
    const form = new FormData();
    form.append("request", JSON.stringify(requestJson([unit()], "bench-files@example.com")));
    for (let k = 1; k <= REQUEST_FILES; k++)
      form.append("units.0.files", new Blob([file], { type: "image/png" }), `photo-${k}.png`);
    const b = await post(form);
    if (i > 0) {
      json.push(a);
      multipart.push(b);
    }
  }
  // The most files one request may carry: 20 units × 5 files (small ones: the count is what is measured).
  const twenty = Array.from({ length: 20 }, unit);
  const form = new FormData();
  form.append("request", JSON.stringify(requestJson(twenty, "bench-many@example.com")));
  const small = bytes.slice(0, 2048);
  for (let u = 0; u < 20; u++) {
    for (let k = 1; k <= 5; k++) form.append(`units.${u}.files`, new Blob([small], { type: "image/png" }), `u${u}-${k}.png`);
  }
  const before = workerdMemory(runnerPid);
  const res = await fetch(`${url}/api/rma-requests`, { method: "POST", headers: { origin: url }, body: form });
  await res.arrayBuffer();
  const jsonMs = median(json);
  const multipartMs = median(multipart);
  return {
    files: REQUEST_FILES,
    fileBytes: REQUEST_FILE_BYTES,
    multipartMs: Math.round(multipartMs),
    jsonMs: Math.round(jsonMs),
    ratio: Math.round((multipartMs / jsonMs) * 10) / 10,
    manyFiles: {
      status: res.status,
      workerdPeakBeforeMiB: before?.peakMiB ?? null,
      workerdPeakAfterMiB: workerdMemory(runnerPid)?.peakMiB ?? null,
    },
  };
}

async function throughWorker(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<{ times: number[]; concurrent: UploadFigures["concurrent"]; request: UploadFigures["request"] }> {
  const dbDir = mkdtempSync(join(tmpdir(), "rma-bench-sqld-"));
  const sqld = await startSqld({ dbPath: join(dbDir, "db.sqld"), quiet: true });
  const persistTo = mkdtempSync(join(tmpdir(), "rma-bench-worker-"));
  const worker = await startWorker({ databaseUrl: sqld.url, vars: { LINK_SECRET: SECRET, ...NO_FORM_LIMITS }, persistTo });
  try {
    await migrateDatabase(sqld.url);
    await seedDatabase(sqld.url);
    const times: number[] = [];
    const registry = demoRegistry().rows;
    const units = registry.slice(0, RUNS + 1 + CONCURRENT);
    const issue = async (i: number): Promise<string> => {
      const unit = units[i];
      if (!unit) throw new Error("the demo registry has too few units");
      const issued = await fetch(`${worker.url}/api/rma-requests`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          contact: { name: "Bench", email: "bench@example.com", phone: "+39 050 000 0000", country: "Italy" },
          returnAddress: { street: "Via Roma 1", postalCode: "56100", city: "Pisa", country: "Italy" },
          units: [{ model: unit.model, serialNumber: unit.serialNumber, issueDescription: "Benchmark upload of a large file." }],
          acceptTerms: true,
        }),
      });
      const created = (await issued.json()) as { rmas?: { rmaNumber: string }[] };
      const n = created.rmas?.[0]?.rmaNumber;
      if (!n) throw new Error(`could not issue an RMA: ${JSON.stringify(created)}`);
      return n;
    };
    for (let i = 0; i <= RUNS; i++) {
      const n = await issue(i);
      const form = new FormData();
      form.append("body", "Benchmark: one 10 MB file.");
      form.append("files", new Blob([bytes], { type: "image/png" }), "large.png");
      const t = await signToken(SECRET, "rma", n);
      const started = performance.now();
      const res = await fetch(`${worker.url}/api/rmas/${n}/messages?t=${t}`, {
        method: "POST",
        headers: { origin: worker.url },
        body: form,
      });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`upload answered ${res.status}`);
      if (i > 0) times.push(performance.now() - started);
    }
    // CONCURRENT customers at once, each with 24 MB (3 files of 8 MB: under the 25 MB per submission).
    const eight = bytes.slice(0, 8 * 1024 * 1024);
    const numbers = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => issue(RUNS + 1 + i)));
    const before = workerdMemory(worker.process.pid);
    const started = performance.now();
    const answers = await Promise.all(
      numbers.map(async (n) => {
        const form = new FormData();
        form.append("body", "Three large files at once.");
        for (const k of [1, 2, 3]) form.append("files", new Blob([eight], { type: "image/png" }), `large-${k}.png`);
        const res = await fetch(`${worker.url}/api/rmas/${n}/messages?t=${await signToken(SECRET, "rma", n)}`, {
          method: "POST",
          headers: { origin: worker.url },
          body: form,
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    const concurrent = {
      customers: CONCURRENT,
      stored: answers.filter((s) => s === 201).length,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      workerdBeforeMiB: before?.rssMiB ?? null,
      workerdPeakMiB: workerdMemory(worker.process.pid)?.peakMiB ?? null,
    };
    const request = await requestUploads(worker.url, bytes, registry.slice(RUNS + 1 + CONCURRENT), worker.process.pid);
    return { times, concurrent, request };
  } finally {
    await worker.stop();
    await sqld.stop();
    rmSync(persistTo, { recursive: true, force: true });
    rmSync(dbDir, { recursive: true, force: true });
  }
}

export async function measureUploads(): Promise<UploadFigures> {
  const bytes = payload();
  const directMs = median(await directR2(bytes));
  const worker = await throughWorker(bytes);
  const workerMs = median(worker.times);
  return {
    bytes: SIZE,
    runs: RUNS,
    workerMs: Math.round(workerMs),
    directMs: Math.round(directMs),
    ratio: Math.round((workerMs / directMs) * 100) / 100,
    budget: 1.5,
    pieceBytes: PIECE_BYTES,
    concurrent: worker.concurrent,
    request: worker.request,
  };
}

/** The request row of the figures, for bench/run.ts and the README. */
export function requestUploadLine(u: UploadFigures): string {
  const r = u.request;
  return `uploads: a request with ${r.files} × ${Math.round(r.fileBytes / 1048576)} MB files via multipart ${r.multipartMs} ms vs the same request as JSON without files ${r.jsonMs} ms (baseline), ratio ${r.ratio}; one request of 20 units × 5 files: ${r.manyFiles.status}, workerd peak ${r.manyFiles.workerdPeakBeforeMiB ?? "?"} → ${r.manyFiles.workerdPeakAfterMiB ?? "?"} MiB`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const f = await measureUploads();
  console.log(requestUploadLine(f));
  console.log(
    `10 MB upload: through the Worker ${f.workerMs} ms, straight into local R2 ${f.directMs} ms: ratio ${f.ratio} (budget ${f.budget}); at most ${f.pieceBytes / 1024 / 1024} MiB of file data held per submission; ${f.concurrent.customers} customers sending 24 MB at once: ${f.concurrent.stored} stored in ${f.concurrent.seconds} s, workerd ${f.concurrent.workerdBeforeMiB ?? "?"} MiB before, peak ${f.concurrent.workerdPeakMiB ?? "?"} MiB`,
  );
}
