/**
 * Load and concurrency against the built Worker in workerd and a real sqld: 1 000 request submissions
 * from 50 concurrent clients, 200 requests for one serial at once, 50 repeats of one Idempotency-Key.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { errorCode, report, Tally, withClients } from "../support/figures.ts";
import { defects, integrity, WHOLE } from "../support/integrity.ts";
import { addRegistryUnits, requestBody, statedBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const SUBMISSIONS = 1000;
const CLIENTS = 50;

let units: Awaited<ReturnType<typeof addRegistryUnits>>;
const stack = useStack();
beforeAll(async () => {
  units = await addRegistryUnits(stack.db, 2 * SUBMISSIONS + 10, "LOAD");
});

type Created = { requestId: string; rmas: { rmaNumber: string; serialNumber: string }[] };

/** A distinct client address per index: wrangler dev passes a client-sent cf-connecting-ip through. */
const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${stack.worker.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

describe("the built Worker under load", () => {
  it("gives 1 000 submissions from 50 concurrent clients 1 000 requests, every RMA distinct, readable and whole", async () => {
    // 1, 2 or 3 units per request, each unit used once; every other request states its units' purchase
    // dates, as the form does (issued in one round trip), the others leave them out (read, then write).
    let next = 0;
    const submissions = Array.from({ length: SUBMISSIONS }, (_, i) => {
      const take = (i % 3) + 1;
      const chosen = units.slice(next, next + take);
      next += take;
      const body = i % 2 === 0 ? statedBody(chosen) : requestBody(chosen);
      return { email: `load-${i}@example.com`, body, serials: chosen.map((u) => u.serialNumber) };
    });
    for (const s of submissions) s.body.contact.email = s.email;

    const tally = new Tally();
    const started = Date.now();
    const answers = await withClients(submissions, CLIENTS, async (s, i) => {
      try {
        const res = await post("/api/rma-requests", s.body, { "cf-connecting-ip": address(i) });
        const body = (await res.json()) as unknown;
        tally.record(res.status, body);
        return res.status === 201 ? (body as Created) : null;
      } catch {
        tally.record("network");
        return null;
      }
    });
    const seconds = (Date.now() - started) / 1000;
    const acknowledged = answers.filter((a): a is Created => a !== null);
    const numbers = acknowledged.flatMap((a) => a.rmas.map((r) => r.rmaNumber));
    const unitsSent = submissions.reduce((n, s) => n + s.serials.length, 0);

    // Found afterwards: straight SQL, every acknowledged RMA with its own request and serial...
    const stored = await stack.db.query<{ rma_number: string; request_id: string; serial_number: string; email: string }>(
      "SELECT m.rma_number, m.request_id, m.serial_number, r.email FROM rmas m JOIN return_requests r ON r.id = m.request_id",
    );
    const byNumber = new Map(stored.map((r) => [r.rma_number, r]));
    const foundBySql = answers.filter((a, i) =>
      a?.rmas.every((r) => {
        const row = byNumber.get(r.rmaNumber);
        return row?.request_id === a.requestId && row.serial_number === r.serialNumber && row.email === submissions[i]?.email;
      }),
    ).length;

    // ...and through the API, as the customer does: POST /api/rmas/lookup with the number and the email.
    const lookups = new Tally();
    const toLookUp = answers.flatMap((a, i) => (a ? a.rmas.map((rma) => ({ rma, email: submissions[i]?.email ?? "" })) : []));
    const lookedUp = await withClients(toLookUp, CLIENTS, async ({ rma, email }, i) => {
      const res = await post(
        "/api/rmas/lookup",
        { rmaNumber: rma.rmaNumber, email },
        { "cf-connecting-ip": address(100_000 + i) },
      );
      const body = (await res.json()) as { rma?: { rmaNumber: string; serialNumber: string; status: string } };
      lookups.record(res.status, body);
      return res.status === 200 && body.rma?.rmaNumber === rma.rmaNumber && body.rma.serialNumber === rma.serialNumber;
    });
    const whole = await integrity(stack.db);

    report("1 000 submissions from 50 concurrent clients (POST /api/rma-requests)", {
      "requests sent": `${SUBMISSIONS} (${SUBMISSIONS / 2} stating purchase dates: one round trip; ${SUBMISSIONS / 2} without: read, then write)`,
      "units sent": unitsSent,
      answers: tally.summary(),
      acknowledged: `${acknowledged.length} requests, ${numbers.length} RMA numbers (${new Set(numbers).size} distinct)`,
      "wall time": `${seconds.toFixed(1)} s (${(SUBMISSIONS / seconds).toFixed(0)} requests/s)`,
      "found by SQL": `${foundBySql} of ${acknowledged.length} requests, every unit with its own request, serial and email`,
      "lookups (POST /api/rmas/lookup)": `${lookups.summary()}; ${lookedUp.filter(Boolean).length} showed the right RMA`,
      "stored rows": `${whole.requests} requests, ${whole.rmas} RMAs, ${whole.events} events, ${whole.emails} outbox emails`,
      "half-written": JSON.stringify(defects(whole)),
    });

    expect(tally.count(201)).toBe(SUBMISSIONS);
    expect(numbers).toHaveLength(unitsSent);
    expect(new Set(numbers).size).toBe(unitsSent);
    expect(foundBySql).toBe(SUBMISSIONS);
    expect(lookedUp.every(Boolean)).toBe(true);
    expect(whole).toMatchObject({ requests: SUBMISSIONS, rmas: unitsSent, events: unitsSent, emails: 2 * SUBMISSIONS });
    expect(defects(whole)).toEqual(WHOLE);
  }, 300_000);

  it("gives 200 concurrent requests for the same serial exactly one open RMA; the other 199 hear it already has one", async () => {
    const unit = units[units.length - 1];
    if (!unit) throw new Error("no unit");
    const before = await integrity(stack.db);
    const tally = new Tally();
    const responses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        // Half state the purchase date (the one-round-trip write), half leave it out (read, then write).
        const body = i % 2 === 0 ? statedBody([unit]) : requestBody([unit]);
        body.contact.email = `same-serial-${i}@example.com`;
        const res = await post("/api/rma-requests", body);
        const json = (await res.json()) as { error?: { code: string; fields?: Record<string, string> } };
        tally.record(res.status, json);
        return { status: res.status, json };
      }),
    );
    const refused = responses.filter((r) => r.status === 422);
    const saysOpen = refused.filter(
      (r) =>
        errorCode(r.json) === "units_refused" &&
        // Each asked with another email address than the one that got the RMA: its number is not told.
        /already has an open RMA, requested with another email address\./.test(
          r.json.error?.fields?.["units.0.serialNumber"] ?? "",
        ) &&
        !/RMA-\d{2}-\d{6}-[A-Z]/.test(JSON.stringify(r.json)),
    );
    const open = await stack.db.query<{ n: number }>(
      "SELECT count(*) n FROM rmas WHERE serial_number = ? AND status NOT IN ('rejected','cancelled','expired','closed')",
      [unit.serialNumber],
    );
    const after = await integrity(stack.db);
    report("200 concurrent requests for one serial", {
      "requests sent": 200,
      answers: tally.summary(),
      "refused as already open": saysOpen.length,
      "open RMAs for the serial afterwards": open[0]?.n ?? -1,
      "requests stored": after.requests - before.requests,
      "half-written": JSON.stringify(defects(after)),
    });
    expect(tally.count(201)).toBe(1);
    expect(saysOpen).toHaveLength(199);
    expect(open).toEqual([{ n: 1 }]);
    expect(after.requests - before.requests).toBe(1);
    expect(defects(after)).toEqual(WHOLE);
  }, 120_000);

  it("answers 50 concurrent repeats with one Idempotency-Key with one request and the same answer", async () => {
    const body = statedBody(units.slice(-4, -1));
    const key = "load-idempotency-key-0001";
    const before = await integrity(stack.db);
    const tally = new Tally();
    const responses = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const res = await post("/api/rma-requests", body, { "Idempotency-Key": key });
        const text = await res.text();
        tally.record(res.status, JSON.parse(text));
        return { status: res.status, text, replayed: res.headers.get("idempotent-replayed") === "true" };
      }),
    );
    const after = await integrity(stack.db);
    const bodies = new Set(responses.map((r) => r.text));
    report("50 concurrent repeats of one Idempotency-Key", {
      "requests sent": 50,
      answers: tally.summary(),
      "distinct answer bodies": bodies.size,
      "answered as replays": responses.filter((r) => r.replayed).length,
      "requests stored": after.requests - before.requests,
      "RMAs stored": after.rmas - before.rmas,
    });
    expect(tally.count(201)).toBe(50);
    expect(bodies.size).toBe(1);
    expect(responses.filter((r) => r.replayed)).toHaveLength(49);
    expect(after.requests - before.requests).toBe(1);
    expect(after.rmas - before.rmas).toBe(3);
    expect(defects(after)).toEqual(WHOLE);
  }, 120_000);
});
