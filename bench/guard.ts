/**
 * Keeps sqld usable between cells. sqld 0.24 can keep its write lock forever when an HTTP client
 * goes away in the middle of a write batch; every later write then waits until it times out. Before
 * each cell the guard takes and releases the write lock; if it cannot within 10 s, it restarts sqld on
 * the same port with the same data (the Worker reconnects by itself) and records the incident.
 */
import { type Sqld, startSqld } from "../db/sqld.ts";

export class SqldGuard {
  sqld: Sqld;
  readonly incidents: string[] = [];

  constructor(sqld: Sqld) {
    this.sqld = sqld;
  }

  /** Whether a write transaction can start now. */
  async writable(timeoutMs = 10_000): Promise<boolean> {
    const body = JSON.stringify({
      requests: [
        { type: "execute", stmt: { sql: "BEGIN IMMEDIATE" } },
        { type: "execute", stmt: { sql: "ROLLBACK" } },
        { type: "close" },
      ],
    });
    try {
      const res = await fetch(`${this.sqld.url}/v2/pipeline`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const json = (await res.json()) as { results?: { type: string }[] };
      return res.ok && (json.results ?? []).every((r) => r.type === "ok");
    } catch {
      return false;
    }
  }

  /** Makes sure the next cell starts with a writable database. */
  async ensure(before: string): Promise<void> {
    if (await this.writable()) return;
    this.incidents.push(
      `Before "${before}" sqld's write lock was still held (by a write whose client had gone away): sqld was restarted on the same port and data.`,
    );
    const { port, dbPath } = this.sqld;
    await this.sqld.stop();
    this.sqld = await startSqld({ port, dbPath });
  }

  stop(): Promise<void> {
    return this.sqld.stop();
  }
}
