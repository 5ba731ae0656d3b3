/**
 * The database going away under the built Worker: sqld killed while requests are in flight and restarted
 * on the same port and data, sqld frozen (a hung server), and the pages while it is down. The Worker
 * reaches sqld through the proxy of test/support/db-proxy.ts, which holds calls so that the kill lands
 * where the test says: one write committed by sqld whose answer the kill loses, others not yet sent.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Pipeline } from "../support/db-proxy.ts";
import { errorCode, isErrorShape, report, Tally, withClients } from "../support/figures.ts";
import { defects, integrity, WHOLE } from "../support/integrity.ts";
import { addRegistryUnits, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const TIMEOUT_MS = 3000;

let units: Awaited<ReturnType<typeof addRegistryUnits>>;
let nextUnit = 0;
const stack = useStack({ vars: { DATABASE_TIMEOUT_MS: String(TIMEOUT_MS) }, databaseProxy: true });
beforeAll(async () => {
  units = await addRegistryUnits(stack.db, 1500, "OUTAGE");
});

interface Sent {
  key: string;
  serial: string;
  status: number | "network";
  body: unknown;
  ms: number;
}

/** Sends one request; the client gives up after `patienceMs` and records no answer ("network"). */
async function submit(key: string, serial: string, patienceMs = 30_000): Promise<Sent> {
  const unit = units.find((u) => u.serialNumber === serial);
  if (!unit) throw new Error(serial);
  const started = Date.now();
  try {
    const res = await fetch(`${stack.worker.url}/api/rma-requests`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify(requestBody([unit])),
      signal: AbortSignal.timeout(patienceMs),
    });
    return { key, serial, status: res.status, body: await res.json(), ms: Date.now() - started };
  } catch {
    return { key, serial, status: "network", body: null, ms: Date.now() - started };
  }
}

function take(): string {
  const unit = units[nextUnit++];
  if (!unit) throw new Error("out of units");
  return unit.serialNumber;
}

type Created = { requestId: string; rmas: { rmaNumber: string }[] };

/** After the outage: what the database holds for the keys sent, and a retry of every refused one with its key. */
async function aftermath(sent: Sent[]) {
  const stored = await stack.db.query<{ idempotency_key: string; id: string }>(
    "SELECT idempotency_key, id FROM return_requests WHERE idempotency_key IS NOT NULL",
  );
  const storedKeys = new Map(stored.map((r) => [r.idempotency_key, r.id]));
  const acknowledged = sent.filter((s) => s.status === 201);
  const missing = [];
  for (const s of acknowledged) {
    const created = s.body as Created;
    const rows = await stack.db.query<{ n: number }>("SELECT count(*) n FROM rmas WHERE request_id = ? AND rma_number = ?", [
      created.requestId,
      created.rmas[0]?.rmaNumber ?? "",
    ]);
    if (storedKeys.get(s.key) !== created.requestId || rows[0]?.n !== 1) missing.push(s.key);
  }
  const refused = sent.filter((s) => s.status !== 201);
  const refusedButStored = refused.filter((s) => storedKeys.has(s.key));
  // Retried as clients do after a 503: a few at a time, again after a pause if still refused.
  const retries = await withClients(refused, 10, async (s) => {
    let r = await submit(s.key, s.serial);
    for (let attempt = 2; attempt <= 3 && r.status === 503; attempt++) {
      await new Promise((res) => setTimeout(res, 500));
      r = await submit(s.key, s.serial);
    }
    return r;
  });
  const retryTally = new Tally();
  for (const r of retries) retryTally.record(r.status, r.body);
  const duplicates = await stack.db.query<{ serial_number: string; n: number }>(
    "SELECT serial_number, count(*) n FROM rmas GROUP BY serial_number HAVING n > 1",
  );
  return { acknowledged, missing, refused, refusedButStored, retries, retryTally, duplicates, storedKeys };
}

describe("sqld stopped while requests are in flight", () => {
  it("keeps every request answered 2xx, answers the others 503 unavailable, and leaves nothing half-written", async () => {
    const tally = new Tally();
    const sent: Sent[] = [];
    const started = new Set<string>();
    let stop = false;
    let acked = 0;
    let n = 0;
    const clients = Array.from({ length: 20 }, async () => {
      while (!stop) {
        const key = `outage-kill-${n++}`;
        started.add(key);
        const s = await submit(key, take());
        sent.push(s);
        tally.record(s.status, s.body);
        if (s.status === 201) acked++;
      }
    });
    while (acked < 60) await new Promise((r) => setTimeout(r, 5));

    // The interleaving, forced at the proxy: the first write batch that comes next goes to sqld, which
    // commits it, and its answer is held (the kill will lose it); every write batch after it is held before
    // it reaches sqld (reads go on). sqld is killed once that answer and at least one more write are held
    // and no other write is inside sqld, so which writes sqld has run at the kill is known exactly.
    const keyOf = (p: Pipeline) => /outage-kill-\d+/.exec(p.body)?.[0] ?? "";
    let lost: { key: string; release?: () => void } | undefined;
    const held: { key: string; release: (to: "forward" | "drop") => void }[] = [];
    stack.proxy.intercept({
      beforeForward: (p) => {
        if (!p.writes) return "forward";
        if (!lost) {
          lost = { key: keyOf(p) };
          return "forward";
        }
        return new Promise((release) => held.push({ key: keyOf(p), release }));
      },
      beforeAnswer: (p) =>
        lost && keyOf(p) === lost.key && p.writes
          ? new Promise((answer) => {
              if (lost) lost.release = () => answer("drop");
            })
          : "answer",
    });
    const ready = () => lost?.release !== undefined && held.length > 0 && stack.proxy.atSqld().writes === 0;
    let inFlight: string[] = [];
    let killedAt = 0;
    try {
      const deadline = Date.now() + 10_000;
      while (!ready()) {
        if (Date.now() > deadline) throw new Error(`no interleaving: lost ${JSON.stringify(lost)}, ${held.length} held`);
        await new Promise((r) => setTimeout(r, 1));
      }
      const answeredKeys = new Set(sent.map((s) => s.key));
      inFlight = [...started].filter((k) => !answeredKeys.has(k));
      killedAt = sent.length;
      await stack.db.kill("SIGKILL");
    } finally {
      stack.proxy.intercept(null);
      lost?.release?.();
      for (const h of held) h.release("forward"); // to a dead sqld now
    }
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await Promise.all(clients);
    const answeredWhileDown = sent.length - killedAt;
    await stack.db.restart();

    const after = await aftermath(sent);
    const whole = await integrity(stack.db);
    const lostKey = lost?.key ?? "";
    const heldKeys = [...new Set(held.map((h) => h.key))];
    const slowest = Math.max(...sent.filter((s) => s.status !== 201).map((s) => s.ms));
    report("sqld killed (SIGKILL) with requests in flight, restarted on the same port and data", {
      "requests sent": sent.length,
      "in flight when killed": inFlight.length,
      "  of them, committed by sqld, answer lost": lostKey,
      "  of them, held at their write before reaching sqld": heldKeys.length,
      "answered after the kill": answeredWhileDown,
      answers: tally.summary(),
      "slowest refusal": `${slowest} ms`,
      "acknowledged (201)": after.acknowledged.length,
      "acknowledged and found after restart": after.acknowledged.length - after.missing.length,
      "refused (503) yet stored (the commit whose answer the kill lost)": after.refusedButStored.map((s) => s.key).join(", "),
      "retried with the same Idempotency-Key": after.retryTally.summary(),
      "serials with two RMAs": after.duplicates.length,
      "half-written": JSON.stringify(defects(whole)),
    });

    // A write was in flight when sqld died, and so were the calls held before it: none had been answered.
    expect(lostKey).toMatch(/^outage-kill-\d+$/);
    expect(heldKeys.length).toBeGreaterThanOrEqual(1);
    expect(inFlight).toEqual(expect.arrayContaining([lostKey, ...heldKeys]));
    expect(inFlight.length).toBeGreaterThanOrEqual(1 + heldKeys.length);
    // Each of them was refused 503 unavailable.
    for (const key of [lostKey, ...heldKeys]) {
      const s = sent.find((x) => x.key === key);
      expect({ key, status: s?.status, code: errorCode(s?.body) }).toEqual({ key, status: 503, code: "unavailable" });
    }
    // Refused yet stored: exactly the write sqld committed before dying, and none of those it never saw.
    expect(after.refusedButStored.map((s) => s.key)).toEqual([lostKey]);
    expect(after.missing).toEqual([]);
    expect(tally.count(201) + tally.count(503)).toBe(sent.length);
    expect(tally.count(503)).toBeGreaterThanOrEqual(1 + heldKeys.length);
    for (const s of sent.filter((x) => x.status === 503)) {
      expect(isErrorShape(s.body)).toBe(true);
      expect(errorCode(s.body)).toBe("unavailable");
    }
    expect(defects(whole)).toEqual(WHOLE);
    expect(after.retryTally.count(201)).toBe(after.refused.length);
    // The refused request that was stored anyway is answered, on retry, with the request that was stored.
    const retriedLost = after.retries.find((r) => r.key === lostKey);
    expect((retriedLost?.body as Created | undefined)?.requestId).toBe(after.storedKeys.get(lostKey));
    for (const r of after.retries.filter((x) => after.storedKeys.has(x.key))) {
      expect((r.body as Created).requestId).toBe(after.storedKeys.get(r.key));
    }
    expect(after.duplicates).toEqual([]);
  }, 120_000);

  it("answers the on-demand pages with a 503 page and the API with 503 unavailable while sqld is down", async () => {
    const ok = await submit("outage-pages-0001", take());
    const { rmas } = ok.body as Created;
    const rmaNumber = rmas[0]?.rmaNumber ?? "";
    const link = await fetch(`${stack.worker.url}/api/rmas/lookup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rmaNumber, email: "giulia@example.com" }),
    }).then(async (r) => ((await r.json()) as { link: string }).link);
    await stack.db.kill("SIGKILL");
    try {
      const form = { "content-type": "application/x-www-form-urlencoded", origin: stack.worker.url };
      const targets: [string, RequestInit?][] = [
        ["/rma/new"],
        [link],
        [link.replace("?", "/print?")],
        [
          "/status",
          { method: "POST", headers: form, body: new URLSearchParams({ rmaNumber, email: "giulia@example.com" }).toString() },
        ],
        ["/rma/new", { method: "POST", headers: form, body: "intent=check&units.0.serialNumber=CE104521" }],
        ["/api/health"],
        ["/api/serials/CE104521"],
        [
          "/api/rma-requests",
          { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(requestBody(units.slice(-1))) },
        ],
        [
          "/api/rmas/lookup",
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ rmaNumber, email: "giulia@example.com" }),
          },
        ],
      ];
      const answers = [];
      for (const [path, init] of targets) {
        const res = await fetch(`${stack.worker.url}${path}`, { redirect: "manual", ...init });
        const type = res.headers.get("content-type") ?? "";
        const text = await res.text();
        answers.push({ path: `${init?.method ?? "GET"} ${path.split("?")[0]}`, status: res.status, type, text });
      }
      report(
        "every kind of request while sqld is down",
        Object.fromEntries(answers.map((a) => [a.path, `${a.status} ${a.type.split(";")[0]}`])),
      );
      for (const a of answers) {
        expect(a.status, a.path).toBe(503);
        if (a.path.includes(" /api/")) expect(errorCode(JSON.parse(a.text)), a.path).toBe("unavailable");
        else expect(a.text, a.path).toMatch(/<h1>|<h2>/);
      }
      // The static pages are files: they do not need the database.
      expect((await fetch(`${stack.worker.url}/faq`)).status).toBe(200);
    } finally {
      await stack.db.restart();
    }
  }, 60_000);
});

describe("sqld frozen (a hung server)", () => {
  it(`answers 503 unavailable within the ${TIMEOUT_MS} ms database timeout instead of hanging, and keeps the data whole`, async () => {
    const before = await integrity(stack.db);
    stack.db.freeze();
    let sent: Sent[];
    try {
      // The client waits three times the database timeout, then records no answer: a request the timeout
      // did not end would hang as long as sqld stays frozen, which is until every client has its answer.
      sent = await Promise.all(Array.from({ length: 10 }, (_, i) => submit(`outage-frozen-${i}`, take(), 3 * TIMEOUT_MS)));
    } finally {
      stack.db.thaw();
    }
    const tally = new Tally();
    for (const s of sent) tally.record(s.status, s.body);
    const slowest = Math.max(...sent.map((s) => s.ms));
    const fastest = Math.min(...sent.map((s) => s.ms));
    await new Promise((r) => setTimeout(r, 500));
    const after = await aftermath(sent);
    const whole = await integrity(stack.db);
    report("sqld frozen (SIGSTOP) while 10 requests arrive, then thawed", {
      "requests sent": sent.length,
      answers: tally.summary(),
      "answers came after": `${fastest} to ${slowest} ms (database timeout ${TIMEOUT_MS} ms)`,
      "refused but stored once sqld thawed": after.refusedButStored.length,
      "retried with the same Idempotency-Key": after.retryTally.summary(),
      "new requests stored": whole.requests - before.requests,
      "serials with two RMAs": after.duplicates.length,
      "half-written": JSON.stringify(defects(whole)),
    });
    // None hung: every client got its answer, a 503, before giving up at three times the timeout (a bound
    // loose enough for a loaded machine, and below the 10 s default the Worker would wait without its
    // DATABASE_TIMEOUT_MS). A request's first database call is what hangs, and its timeout, not something
    // else, ended it: no answer came sooner than the timeout.
    expect(sent.filter((s) => s.status === "network").map((s) => s.key)).toEqual([]);
    expect(tally.count(503)).toBe(10);
    for (const s of sent) expect(errorCode(s.body)).toBe("unavailable");
    expect(slowest).toBeLessThan(3 * TIMEOUT_MS);
    expect(fastest).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(after.retryTally.count(201)).toBe(10);
    expect(whole.requests - before.requests).toBe(10);
    expect(after.duplicates).toEqual([]);
    expect(defects(whole)).toEqual(WHOLE);
  }, 60_000);
});
