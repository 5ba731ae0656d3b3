/**
 * The benchmark's data: a large synthetic product registry, RMAs seeded in bulk for the growth
 * measurement, and the bodies/statements each load path sends. Bulk rows go straight into sqld with
 * `INSERT ... SELECT` from a recursive CTE, so 100 000 RMAs take seconds, not minutes.
 */
import type { Client, InArgs, InStatement } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "../db/schema.ts";
import { outbox, returnRequests, rmaEvents, rmas } from "../db/schema.ts";
import { formatRmaNumber } from "../functions/domain/rma-number.ts";
import { requestReceipt, staffNewRequest } from "../functions/email/letters.ts";
import { DESCRIPTION, requestBody, statedBody } from "../test/support/requests.ts";

export type NodeDb = LibSQLDatabase<typeof schema> & { $client: Client };

export function nodeDb(client: Client): NodeDb {
  return drizzle(client, { schema });
}

type Built = { sql: string; params: unknown[] };

/** A drizzle query (builder or raw `sql`) as the `{ sql, args }` @libsql/client sends: the very same text. */
export function stmt(query: { toSQL(): Built } | { getQuery(): Built }): InStatement {
  const { sql, params } = "toSQL" in query ? query.toSQL() : query.getQuery();
  return { sql, args: params as InArgs };
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** The i-th synthetic registry unit (i from 1): `BN0000001`, models taken in turn. */
export function syntheticUnit(
  i: number,
  models: readonly string[],
): { serialNumber: string; model: string; purchaseDate: string } {
  return { serialNumber: `BN${pad(i, 7)}`, model: models[i % models.length] as string, purchaseDate: syntheticPurchaseDate(i) };
}

/** The purchase date `insertSyntheticRegistry` gives unit i: (i × 37) mod 1 500 days before today (UTC). */
function syntheticPurchaseDate(i: number): string {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  return new Date(today - ((i * 37) % 1500) * 86_400_000).toISOString().slice(0, 10);
}

const seqCte = "WITH RECURSIVE seq(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM seq WHERE i < ?)";

/** Adds registry units `from..to` (serials as `syntheticUnit`), purchase dates spread over ~4 years. */
export async function insertSyntheticRegistry(client: Client, count: number, models: readonly string[]): Promise<void> {
  const modelCase = `CASE i % ${models.length} ${models.map((m, k) => `WHEN ${k} THEN '${m.replace(/'/g, "''")}'`).join(" ")} END`;
  const chunk = 50_000;
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(count, from + chunk - 1);
    await client.execute({
      sql: `${seqCte} INSERT INTO products (serial_number, model, purchase_date)
            SELECT printf('BN%07d', i), ${modelCase}, date('now', printf('-%d days', (i * 37) % 1500)) FROM seq`,
      args: [from, to],
    });
  }
}

/** Statuses over a lifetime: how many events an RMA in that status has, and the path its events follow. */
const PATH = ["requested", "authorized", "received", "quoted", "repairing", "returning", "shipped", "closed"];
const EVENTS_BY_STATUS: Record<string, number> = {
  requested: 1,
  authorized: 2,
  received: 3,
  quoted: 4,
  repairing: 5,
  returning: 6,
  shipped: 7,
  closed: 8,
  cancelled: 2,
  rejected: 2,
  expired: 3,
};
/** The RMA number `RMA-25-nnnnnn-X` of the i-th seeded RMA, with its check letter computed in SQL. */
const GROWTH_NUMBER_SQL = `'RMA-25-' || printf('%06d', i) || '-' || substr('ABCDEFGHJKLMNPQRSTUVWXZ',
  ((4 + 15 + (i / 100000 % 10) * 4 + (i / 10000 % 10) * 5 + (i / 1000 % 10) * 6 + (i / 100 % 10) * 7
    + (i / 10 % 10) * 8 + (i % 10) * 9) % 23) + 1, 1)`;

/** The number of the i-th seeded RMA, as JavaScript makes it (the SQL above must agree). */
export function growthRmaNumber(i: number): string {
  return formatRmaNumber(2025, i);
}

/**
 * Seeds RMAs `from..to` (1-based, up to 999 999) with their requests (two units per request), events
 * (1 to 8 per RMA, by status) and a realistic spread: old ones mostly closed, the last 60 days open,
 * 4 000 repeat customers over four email domains.
 */
export async function seedRmas(client: Client, from: number, to: number, total = 100_000): Promise<void> {
  const chunk = 25_000;
  for (let a = from; a <= to; a += chunk) {
    const b = Math.min(to, a + chunk - 1);
    const age = `((${total} - i) * 730.0 / ${total})`;
    const status = `CASE WHEN ${age} > 60 THEN CASE i % 10 WHEN 7 THEN 'cancelled' WHEN 8 THEN 'expired' WHEN 9 THEN 'rejected' ELSE 'closed' END
      ELSE CASE i % 7 ${PATH.slice(0, 7)
        .map((s, k) => `WHEN ${k} THEN '${s}'`)
        .join(" ")} END END`;
    const at = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d seconds', CAST(${age} * 86400 AS INTEGER)))`;
    await client.batch(
      [
        {
          sql: `${seqCte} INSERT INTO return_requests (id, contact_name, company, email, phone, country, return_street,
                  return_postal_code, return_city, return_country, locale, created_at)
                SELECT printf('grow-req-%07d', (i + 1) / 2), 'Customer ' || i, CASE WHEN i % 3 = 0 THEN NULL ELSE 'Company ' || (i % 700) END,
                  printf('buyer%04d@%s', (i / 2) % 4000, CASE i / 2 % 4 WHEN 0 THEN 'example.com' WHEN 1 THEN 'optics.example'
                    WHEN 2 THEN 'vision.example' ELSE 'lab.example' END),
                  '+39 050 000 0000', 'Italy', 'Via Roma ' || (i % 200), '56100', 'Pisa', 'Italy', 'en', ${at}
                FROM seq WHERE i % 2 = 1`,
          args: [a, b],
        },
        {
          sql: `${seqCte} INSERT INTO rmas (rma_number, request_id, serial_number, model, purchase_date, issue_description,
                  warranty_covered, warranty_until, status, requested_at, updated_at)
                SELECT ${GROWTH_NUMBER_SQL}, printf('grow-req-%07d', (i + 1) / 2), printf('GS%07d', i), 'Celera C1920',
                  date('now', printf('-%d days', 400 + i % 900)), ?, i % 3 <> 0, date('now', printf('%+d days', 330 - i % 900)),
                  ${status}, ${at}, ${at}
                FROM seq`,
          args: [a, b, DESCRIPTION],
        },
        {
          sql: `INSERT INTO rma_events (rma_number, at, actor, from_status, to_status, kind)
                WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 8),
                  path(n, s) AS (VALUES ${PATH.map((s, k) => `(${k + 1}, '${s}')`).join(", ")}),
                  counts(s, c) AS (VALUES ${Object.entries(EVENTS_BY_STATUS)
                    .map(([s, c]) => `('${s}', ${c})`)
                    .join(", ")})
                SELECT r.rma_number, strftime('%Y-%m-%dT%H:%M:%fZ', r.requested_at, printf('+%d hours', (k.n - 1) * 30)),
                  CASE k.n WHEN 1 THEN 'customer' ELSE 'staff:desk@alkeria.example' END,
                  CASE k.n WHEN 1 THEN NULL ELSE (SELECT s FROM path WHERE path.n = k.n - 1) END,
                  CASE WHEN k.n = counts.c THEN r.status ELSE (SELECT s FROM path WHERE path.n = k.n) END, 'status'
                FROM rmas r JOIN counts ON counts.s = r.status JOIN k ON k.n <= counts.c
                WHERE r.rma_number >= ? AND r.rma_number < ?`,
          args: [`RMA-25-${pad(a, 6)}`, `RMA-25-${pad(b + 1, 6)}`],
        },
      ],
      "write",
    );
  }
}

/** RMAs to look up, spread over the table, with the email of their request and their status. */
export async function lookupTargets(client: Client, count: number, where = "1 = 1") {
  const rs = await client.execute({
    sql: `SELECT r.rma_number AS rmaNumber, q.email AS email FROM rmas r JOIN return_requests q ON q.id = r.request_id
          WHERE ${where} ORDER BY random() LIMIT ?`,
    args: [count],
  });
  return rs.rows.map((row) => ({ rmaNumber: String(row["rmaNumber"]), email: String(row["email"]) }));
}

/** Request bodies for `POST /api/rma-requests`, each with serials no other body has used. */
export class IssueBodies {
  #next = 1;
  readonly models: readonly string[];
  readonly registrySize: number;
  constructor(models: readonly string[], registrySize: number) {
    this.models = models;
    this.registrySize = registrySize;
  }

  get used(): number {
    return this.#next - 1;
  }

  /**
   * A body with `units` fresh registered serials, and the email it is sent under. `stated`: each unit
   * carries its purchase date, as the request form sends it once its live check found the serial (the
   * portal then issues in one round trip); without it the portal reads the registry first.
   */
  request(units: number, stated = true): { body: string; email: string; serials: string[] } {
    if (this.#next + units - 1 > this.registrySize) throw new Error("the synthetic registry has run out of serials");
    const rows = Array.from({ length: units }, () => ({ ...syntheticUnit(this.#next++, this.models), line: 0 }));
    const email = `buyer${this.#next % 500}@bench.example`;
    const contact = { name: "Giulia Bianchi", company: "Ottica Srl", email, phone: "+39 050 123 4567", country: "Italy" };
    const body = stated ? statedBody(rows, { contact }) : requestBody(rows, { contact });
    return { body: JSON.stringify(body), email, serials: rows.map((r) => r.serialNumber) };
  }

  body(units: number, stated = true): string {
    return this.request(units, stated).body;
  }
}

/**
 * The baseline: the rows one issuing request stores (the request, an RMA and its first event per unit,
 * two outbox emails of the real size), as the same drizzle statements, sent in ONE batch by Node.
 */
export class BaselineIssue {
  #counter = 0;
  #emails = new Map<number, { receipt: ReturnType<typeof requestReceipt>; staff: ReturnType<typeof staffNewRequest> }>();
  readonly db: NodeDb;
  constructor(db: NodeDb) {
    this.db = db;
  }

  #emailsFor(units: number) {
    let e = this.#emails.get(units);
    if (!e) {
      const emailUnits = Array.from({ length: units }, (_, k) => ({
        rmaNumber: formatRmaNumber(2023, k),
        serialNumber: `BL${pad(k, 7)}`,
        model: "Celera C1920",
        warranty: { covered: true, until: "2027-01-01" },
        issueDescription: DESCRIPTION,
        link: `http://127.0.0.1:8787/rma/${formatRmaNumber(2023, k)}?t=0123456789012345678901`,
        adminUrl: `http://127.0.0.1:8787/admin/rma/${formatRmaNumber(2023, k)}`,
      }));
      e = {
        receipt: requestReceipt({ name: "Giulia Bianchi", units: emailUnits, statusUrl: "http://127.0.0.1:8787/status" }),
        staff: staffNewRequest({
          contactName: "Giulia Bianchi",
          company: "Ottica Srl",
          email: "g@bench.example",
          units: emailUnits,
        }),
      };
      this.#emails.set(units, e);
    }
    return e;
  }

  statements(units: number): InStatement[] {
    const { db } = this;
    const nowIso = new Date().toISOString();
    const requestId = crypto.randomUUID();
    const numbers = Array.from({ length: units }, () => {
      const c = this.#counter++;
      return { rmaNumber: formatRmaNumber(2023 - Math.floor(c / 1_000_000), c % 1_000_000), serial: `BL${pad(c, 8)}` };
    });
    const { receipt, staff } = this.#emailsFor(units);
    return [
      stmt(
        db.insert(returnRequests).values({
          id: requestId,
          contactName: "Giulia Bianchi",
          company: "Ottica Srl",
          email: `buyer${this.#counter % 500}@bench.example`,
          phone: "+39 050 123 4567",
          country: "Italy",
          returnStreet: "Via Roma 1",
          returnPostalCode: "56100",
          returnCity: "Pisa",
          returnCountry: "Italy",
          locale: "en",
          idempotencyKey: null,
          bodyHash: "0".repeat(64),
          createdAt: nowIso,
        }),
      ),
      stmt(
        db.insert(rmas).values(
          numbers.map((u) => ({
            rmaNumber: u.rmaNumber,
            requestId,
            serialNumber: u.serial,
            model: "Celera C1920",
            purchaseDate: "2025-06-01",
            invoiceNumber: null,
            issueDescription: DESCRIPTION,
            warrantyCovered: true,
            warrantyUntil: "2027-06-01",
            status: "requested" as const,
            requestedAt: nowIso,
            updatedAt: nowIso,
          })),
        ),
      ),
      stmt(
        db.insert(rmaEvents).values(
          numbers.map((u) => ({
            rmaNumber: u.rmaNumber,
            at: nowIso,
            actor: "customer",
            fromStatus: null,
            toStatus: "requested" as const,
            note: null,
          })),
        ),
      ),
      stmt(
        db
          .insert(outbox)
          .values(
            [
              { to: "g@bench.example", ...receipt, dedupeKey: `receipt:${requestId}` },
              { to: "desk@alkeria.example", ...staff, dedupeKey: `staff-new:${requestId}` },
            ].map((e) => ({
              id: crypto.randomUUID(),
              recipient: e.to,
              subject: e.subject,
              text: e.text,
              html: e.html,
              status: "held" as const,
              requestId,
              rmaNumber: null,
              dedupeKey: e.dedupeKey,
            })),
          )
          .onConflictDoNothing()
          .returning({ id: outbox.id }),
      ),
    ];
  }
}
