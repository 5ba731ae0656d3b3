/**
 * The two load paths: autocannon against the Worker over HTTP, and a small concurrent loop in Node
 * for the baselines straight to sqld. Both warm up first with the same settings and record every
 * latency into the same `Recorder`. The Node loop runs for a fixed time and lets the operations in
 * flight finish; an HTTP cell is sized by request count to last about as long (see `autocannonOnce`).
 */
import autocannon from "autocannon";
import { type CellResult, Recorder } from "./stats.ts";

export interface Timing {
  seconds: number;
  warmupSeconds: number;
}

export interface HttpLoad {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Called before every request: a distinct path, body or headers each time. */
  next?: () => { path?: string; body?: string; headers?: Record<string, string> };
  connections: number;
}

let current: autocannon.Instance | undefined;

/** Stops the autocannon run in flight (Ctrl-C). */
export function stopLoad(): void {
  current?.stop();
}

/**
 * One autocannon run of exactly `amount` requests, recorded into `rec`; returns its length in seconds.
 * Runs are sized by request count, not cut at a deadline: autocannon's duration mode destroys the
 * sockets of requests still in flight, and sqld 0.24 keeps its write lock for good when an HTTP
 * client goes away in the middle of a write batch (reproduced with an aborted fetch from Node).
 */
async function autocannonOnce(load: HttpLoad, amount: number, rec: Recorder): Promise<number> {
  const { next } = load;
  const opts: autocannon.Options = {
    url: load.url,
    method: load.method ?? "GET",
    headers: load.headers ?? {},
    connections: load.connections,
    amount,
    timeout: 30,
    sampleInt: 100,
    ...(load.body !== undefined ? { body: load.body } : {}),
    ...(next
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => {
                const n = next();
                return {
                  ...req,
                  ...(n.path !== undefined ? { path: n.path } : {}),
                  ...(n.body !== undefined ? { body: n.body } : {}),
                  headers: { ...req.headers, ...n.headers },
                };
              },
            },
          ],
        }
      : {}),
  };
  const started = performance.now();
  let last = started;
  const { promise: finished, resolve, reject } = Promise.withResolvers<void>();
  current = autocannon(opts, (err) => (err ? reject(err) : resolve()));
  current.on("response", (_client, status, bytes, ms) => {
    last = performance.now();
    if (status >= 200 && status < 300) rec.success(ms, bytes);
    else rec.failure(String(status), bytes);
  });
  current.on("reqError", (err: Error) => {
    last = performance.now();
    rec.failure(/timed out/.test(err.message) ? "timeout" : "connection");
  });
  try {
    await finished;
  } finally {
    current = undefined;
  }
  // Seconds until the last answer: autocannon itself only notices the end at its next sampling tick.
  return Math.max(0.001, (last - started) / 1000);
}

/** A request count that keeps every connection equally busy for about `seconds` at `rate` req/s. */
function amountFor(rate: number, seconds: number, connections: number): number {
  const perConnection = Math.max(1, Math.round((rate * seconds) / connections));
  return perConnection * connections;
}

/**
 * A short probe to learn the rate, a warm-up of about `warmupSeconds`, then the measured run: chunks
 * sized from the latest rate until about `seconds` have been measured (the real length is in the result).
 */
export async function runHttp(load: HttpLoad, timing: Timing): Promise<CellResult> {
  const probe = new Recorder();
  let rate = probe.requests / (await autocannonOnce(load, load.connections * 3, probe));
  if (timing.warmupSeconds > 0) {
    const warm = new Recorder();
    rate = warm.requests / (await autocannonOnce(load, amountFor(rate, timing.warmupSeconds, load.connections), warm));
  }
  const rec = new Recorder();
  let seconds = 0;
  for (let chunk = 0; chunk < 5 && seconds < 0.9 * timing.seconds; chunk++) {
    const before = rec.requests;
    const took = await autocannonOnce(load, amountFor(rate, timing.seconds - seconds, load.connections), rec);
    seconds += took;
    rate = (rec.requests - before) / took;
  }
  return rec.result(seconds, true);
}

function errorKind(err: unknown): string {
  for (
    let e = err as { code?: unknown; name?: unknown; cause?: unknown } | undefined, d = 0;
    e && d < 4;
    e = e.cause as typeof e, d++
  ) {
    if (e.name === "TimeoutError" || e.name === "AbortError") return "timeout";
    if (typeof e.code === "string") return e.code;
  }
  return (err as { name?: string }).name ?? "error";
}

async function loopOnce(op: () => Promise<unknown>, concurrency: number, seconds: number): Promise<CellResult> {
  const rec = new Recorder();
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await op();
          rec.success(performance.now() - t);
        } catch (err) {
          rec.failure(errorKind(err));
        }
      }
    }),
  );
  return rec.result((performance.now() - started) / 1000);
}

/** `concurrency` loops each awaiting `op` back to back for the given time (after a warm-up). */
export async function runLoop(op: () => Promise<unknown>, concurrency: number, timing: Timing): Promise<CellResult> {
  if (timing.warmupSeconds > 0) await loopOnce(op, concurrency, timing.warmupSeconds);
  return loopOnce(op, concurrency, timing.seconds);
}
