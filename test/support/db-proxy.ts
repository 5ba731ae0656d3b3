/**
 * A counting HTTP proxy on loopback in front of sqld: the instrumented client for round trips, used by
 * the built-Worker tests and the benchmark (bench/proxy.ts). A Worker whose DATABASE_URL points here is
 * unchanged; every libSQL call it makes (a Hrana `POST /v2/pipeline` or `/v3/pipeline`) is counted, with
 * its statements and whether it writes. It also tells which statements sqld has answered (a test's
 * completion signal for work the Worker does after responding) and lets a test hold a call before or
 * after sqld runs it (to force an interleaving, such as a write in flight when sqld dies).
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { readAll } from "./http.ts";

export interface Trips {
  /** Pipeline requests: one per database round trip. */
  trips: number;
  /** Round trips that carry at least one INSERT/UPDATE/DELETE. */
  writeTrips: number;
  /** SQL statements, without the BEGIN/COMMIT/ROLLBACK a batch wraps them in. */
  statements: number;
  /** Any other request (a protocol probe, a cursor): should stay 0. */
  other: number;
}

/** One database call as the proxy sees it. */
export interface Pipeline {
  /** Its SQL statements, without BEGIN/COMMIT/ROLLBACK. */
  sql: string[];
  /** True when one of them writes. */
  writes: boolean;
  /** The request body as sent (JSON): a test finds a call by a value it carries, such as an Idempotency-Key. */
  body: string;
}

/**
 * What the proxy does with each pipeline; without one it forwards it and passes sqld's answer back.
 * Either step may take its time (the call is held meanwhile) and may "drop" it: the Worker's connection
 * is cut, as when the database goes away.
 */
export interface Interceptor {
  /** Before the call reaches sqld: "drop" means sqld never sees it. */
  beforeForward?(p: Pipeline): "forward" | "drop" | Promise<"forward" | "drop">;
  /** sqld has run the call and answered: "drop" loses that answer on its way back. */
  beforeAnswer?(p: Pipeline): "answer" | "drop" | Promise<"answer" | "drop">;
}

export interface CountingProxy {
  url: string;
  counts(): Trips;
  reset(): void;
  /** Resolves once nothing has passed through for `quietMs` (work the Worker does after responding). */
  settle(quietMs?: number): Promise<void>;
  /** Statements matching `pattern` that sqld has answered since the proxy started (reset() keeps them). */
  answered(pattern: RegExp): number;
  /** Calls forwarded to sqld and not answered yet, and how many of them write. */
  atSqld(): { calls: number; writes: number };
  /** Sets (or, with null, removes) what is done with each pipeline from now on. */
  intercept(interceptor: Interceptor | null): void;
  close(): Promise<void>;
}

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;
const TX = /^\s*(BEGIN|COMMIT|ROLLBACK|END)\b/i;

type Stmt = { sql?: string; sql_id?: number };
type PipelineRequest = { type: string; sql?: string; sql_id?: number; stmt?: Stmt; batch?: { steps?: { stmt?: Stmt }[] } };

/** The SQL texts a Hrana pipeline body (JSON encoding) executes; `store_sql` texts are resolved by id. */
export function pipelineSql(body: string): string[] {
  let parsed: { requests?: PipelineRequest[] };
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const stored = new Map<number, string>();
  const text = (s: Stmt | undefined) => s?.sql ?? (s?.sql_id !== undefined ? stored.get(s.sql_id) : undefined);
  const out: string[] = [];
  for (const r of parsed.requests ?? []) {
    if (r.type === "store_sql" && r.sql_id !== undefined && r.sql) stored.set(r.sql_id, r.sql);
    const one = text(r.stmt);
    if (one) out.push(one);
    for (const step of r.batch?.steps ?? []) {
      const sql = text(step.stmt);
      if (sql) out.push(sql);
    }
  }
  return out;
}

/** sqld's whole answer, or null when it could not be reached or the connection broke. */
function forward(
  to: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer } | null> {
  return new Promise((resolve) => {
    const upstream = httpRequest(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
      (up) => {
        const chunks: Buffer[] = [];
        up.on("data", (c: Buffer) => chunks.push(c));
        up.on("end", () => resolve({ status: up.statusCode ?? 502, headers: up.headers, body: Buffer.concat(chunks) }));
        up.on("error", () => resolve(null));
      },
    );
    upstream.on("error", () => resolve(null));
    upstream.end(body);
  });
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const to = new URL(target);
  const zero = (): Trips => ({ trips: 0, writeTrips: 0, statements: 0, other: 0 });
  let counts = zero();
  let lastActivity = performance.now();
  let inFlight = 0;
  const atSqld = { calls: 0, writes: 0 };
  let interceptor: Interceptor | null = null;
  /** Statement texts sqld has answered, with how many times. */
  const answered = new Map<string, number>();
  const server = createServer(async (req, res) => {
    inFlight++;
    lastActivity = performance.now();
    try {
      const body = await readAll(req);
      let pipeline: Pipeline | null = null;
      if (req.method === "POST" && /^\/v[23](-protobuf)?\/pipeline$/.test(req.url ?? "")) {
        const text = body.toString("utf8");
        const sql = pipelineSql(text).filter((s) => !TX.test(s));
        pipeline = { sql, writes: sql.some((s) => WRITE.test(s)), body: text };
        counts.trips++;
        counts.statements += sql.length;
        if (pipeline.writes) counts.writeTrips++;
      } else if (req.url !== "/health") {
        counts.other++;
      }
      // Cutting the Worker's connection is what it sees when the database goes away.
      const cut = () => {
        res.socket?.destroy();
      };
      const hooks = pipeline ? interceptor : null;
      if (pipeline && hooks?.beforeForward && (await hooks.beforeForward(pipeline)) === "drop") {
        cut();
        return;
      }
      const writes = pipeline?.writes ? 1 : 0;
      atSqld.calls++;
      atSqld.writes += writes;
      const answer = await forward(to, req, body).finally(() => {
        atSqld.calls--;
        atSqld.writes -= writes;
      });
      if (!answer) {
        cut();
        return;
      }
      if (pipeline && answer.status === 200) for (const s of pipeline.sql) answered.set(s, (answered.get(s) ?? 0) + 1);
      if (pipeline && hooks?.beforeAnswer && (await hooks.beforeAnswer(pipeline)) === "drop") {
        cut();
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    } finally {
      inFlight--;
      lastActivity = performance.now();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    reset: () => {
      counts = zero();
    },
    async settle(quietMs = 300) {
      while (inFlight > 0 || performance.now() - lastActivity < quietMs) await new Promise((r) => setTimeout(r, 25));
    },
    answered(pattern) {
      let n = 0;
      for (const [sql, times] of answered) if (pattern.test(sql)) n += times;
      return n;
    },
    atSqld: () => ({ ...atSqld }),
    intercept(next) {
      interceptor = next;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
