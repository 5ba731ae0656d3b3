/**
 * "My returns" in `npm run bench` (`BENCH_ONLY=account`): the first page of the list
 * (`GET /api/account/rmas`) for a customer with 10 RMAs and one with 1 000, among the bench's 100 000,
 * at the given concurrencies. Baseline beside each figure: the same two statements (the session's
 * sliding update and the page's query) sent straight to sqld in one batch from Node. The page should
 * cost the same at 10 as at 1 000 RMAs (its query reads one range of an index; test/db/account-returns.test.ts
 * checks the plan): the report gives the 1 000 / 10 ratio of each. The first page holds all 10 RMAs of
 * the one customer (3 requests) and 40 of the other's (10 requests of 4): that difference, not the
 * number of RMAs behind the page, is what the baseline's ratio shows.
 */
import { createHash } from "node:crypto";
import type { Client } from "@libsql/client";
import { eq } from "drizzle-orm";
import { createDb } from "../db/client.ts";
import { customerSessions } from "../db/schema/account.ts";
import { pageQuery } from "../functions/services/account/returns.ts";
import { idleEnd } from "../functions/services/account/session.ts";
import { runHttp, runLoop, type Timing } from "./load.ts";
import type { CellResult } from "./stats.ts";

const CUSTOMERS = [
  { email: "bench-few@example.com", rmas: 10 },
  { email: "bench-many@example.com", rmas: 1_000 },
] as const;

const cell = (r: CellResult) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`;

/** Seeds the two customers (requests of up to 4 units, one a day) and a session for each; returns their cookies. */
async function seed(client: Client): Promise<Map<string, string>> {
  const cookies = new Map<string, string>();
  for (const [k, c] of CUSTOMERS.entries()) {
    const requests = Math.ceil(c.rmas / 4);
    await client.execute({
      sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        INSERT INTO return_requests (id, contact_name, email, phone, country, return_street, return_postal_code, return_city, return_country, created_at)
        SELECT printf('bench-acct-${k}-%05d', i), 'Bench Customer', ?, '+39 050 000 000', 'Italy', 'Via Roma 1', '56100', 'Pisa', 'Italy',
          strftime('%Y-%m-%dT%H:%M:%fZ', '2023-01-01', '+' || i || ' days') FROM n`,
      args: [requests, c.email],
    });
    await client.execute({
      sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        INSERT INTO rmas (rma_number, request_id, serial_number, model, purchase_date, issue_description, warranty_covered, warranty_until, status, requested_at)
        SELECT printf('RMA-23-${k}%05d-Z', i), printf('bench-acct-${k}-%05d', (i - 1) / 4 + 1), printf('BENCHACCT${k}%05d', i), 'Vega V640',
          '2022-06-01', 'The image freezes after ten minutes of streaming.', 0, '2024-06-01',
          CASE i % 4 WHEN 0 THEN 'closed' WHEN 1 THEN 'shipped' WHEN 2 THEN 'requested' ELSE 'rejected' END,
          strftime('%Y-%m-%dT%H:%M:%fZ', '2023-01-01', '+' || ((i - 1) / 4 + 1) || ' days') FROM n`,
      args: [c.rmas],
    });
    const token = `bench${k}`.padEnd(43, "A");
    const hash = createHash("sha256").update(`session:${token}`).digest("hex");
    await client.execute({
      sql: "INSERT INTO customer_sessions (token_hash, email, expires_at) VALUES (?, ?, ?)",
      args: [hash, c.email, "2999-01-01T00:00:00.000Z"],
    });
    cookies.set(c.email, `rma_customer=${token}`);
  }
  return cookies;
}

/**
 * Measures and returns lines for the report's notes (each Worker figure with its baseline and the
 * 1 000 / 10 ratio).
 */
export async function measureAccount(opts: {
  client: Client;
  workerUrl: string;
  databaseUrl: string;
  timing: Timing;
  concurrency: readonly number[];
  log: (msg: string) => void;
}): Promise<string[]> {
  const cookies = await seed(opts.client);
  const drizzle = createDb({ DATABASE_URL: opts.databaseUrl });
  const lines: string[] = [];
  for (const c of opts.concurrency) {
    const byCustomer = new Map<number, { worker: CellResult; baseline: CellResult }>();
    for (const customer of CUSTOMERS) {
      const worker = await runHttp(
        { url: `${opts.workerUrl}/api/account/rmas`, headers: { cookie: cookies.get(customer.email) ?? "" }, connections: c },
        opts.timing,
      );
      const hash = createHash("sha256")
        .update(`session:${(cookies.get(customer.email) ?? "").split("=")[1]}`)
        .digest("hex");
      const page = pageQuery(drizzle, customer.email, {}, new Date()).toSQL();
      const slide = drizzle
        .update(customerSessions)
        .set({ lastSeenAt: new Date().toISOString(), expiresAt: idleEnd(new Date()) })
        .where(sqlEq(hash))
        .toSQL();
      const baseline = await runLoop(
        () =>
          opts.client.batch(
            [
              { sql: slide.sql, args: slide.params as never },
              { sql: page.sql, args: page.params as never },
            ],
            "write",
          ),
        c,
        opts.timing,
      );
      opts.log(`My returns, first page at ${customer.rmas} RMAs, c=${c}: ${cell(worker)}; baseline ${cell(baseline)}`);
      byCustomer.set(customer.rmas, { worker, baseline });
    }
    const few = byCustomer.get(10);
    const many = byCustomer.get(1_000);
    if (few && many) {
      lines.push(
        `My returns, first page (10 RMAs of 10; 40 of 1 000), c=${c}: 10 RMAs ${cell(few.worker)} (baseline ${cell(few.baseline)}); 1 000 RMAs ${cell(many.worker)} (baseline ${cell(many.baseline)}); p50 at 1 000 / at 10: Worker ${(many.worker.p50 / few.worker.p50).toFixed(2)}×, baseline ${(many.baseline.p50 / few.baseline.p50).toFixed(2)}×`,
      );
    }
  }
  return lines;
}

const sqlEq = (hash: string) => eq(customerSessions.tokenHash, hash);
