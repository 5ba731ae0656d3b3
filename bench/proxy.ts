/**
 * A counting HTTP proxy on loopback in front of sqld: the instrumented client for round trips.
 * A Worker whose DATABASE_URL points here is unchanged; every libSQL call it makes (a Hrana
 * `POST /v2/pipeline` or `/v3/pipeline`) is counted, with its statements and whether it writes.
 */
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

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

export interface CountingProxy {
  url: string;
  counts(): Trips;
  reset(): void;
  /** Resolves once nothing has passed through for `quietMs` (work the Worker does after responding). */
  settle(quietMs?: number): Promise<void>;
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

const readAll = (req: IncomingMessage) =>
  new Promise<Buffer>((res, rej) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => res(Buffer.concat(chunks)));
    req.on("error", rej);
  });

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const to = new URL(target);
  const zero = (): Trips => ({ trips: 0, writeTrips: 0, statements: 0, other: 0 });
  let counts = zero();
  let lastActivity = performance.now();
  let inFlight = 0;
  const server = createServer(async (req, res) => {
    inFlight++;
    lastActivity = performance.now();
    try {
      const body = await readAll(req);
      if (req.method === "POST" && /^\/v[23](-protobuf)?\/pipeline$/.test(req.url ?? "")) {
        const sql = pipelineSql(body.toString("utf8")).filter((s) => !TX.test(s));
        counts.trips++;
        counts.statements += sql.length;
        if (sql.some((s) => WRITE.test(s))) counts.writeTrips++;
      } else if (req.url !== "/health") {
        counts.other++;
      }
      await new Promise<void>((done) => {
        const upstream = httpRequest(
          { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
            up.on("end", done);
            up.on("error", done);
          },
        );
        upstream.on("error", (err) => {
          res.writeHead(502).end(String(err));
          done();
        });
        upstream.end(body);
      });
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
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
