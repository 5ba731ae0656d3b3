/**
 * The outbox against the provider's limits, with the built Worker and sqld: emails held while no
 * RESEND_API_KEY was set are sent by the hourly job once a Worker has it; a fake Resend answering 429
 * for a while gets every email exactly once, none marked failed and no attempt spent; the job goes
 * through every pending row, not only the oldest 50; sends are paced at EMAIL_SEND_RATE_PER_SECOND.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { WorkerServer } from "../../scripts/servers.ts";
import { type FakeResend, startFakeResend } from "../support/fake-resend.ts";
import { report } from "../support/figures.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { startBuiltWorker, triggerScheduled, useStack } from "../support/worker.ts";

// The portal as first deployed: no email provider, so every email is held.
const stack = useStack();
let resend: FakeResend | undefined;
let keyed: WorkerServer | undefined;
afterAll(async () => {
  await keyed?.stop();
  await resend?.close();
});

interface Row {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
}
const rows = () => stack.db.query<Row>("SELECT id, status, attempts, last_error FROM outbox ORDER BY created_at, id");
const unsent = async () => (await rows()).filter((r) => r.status !== "sent").length;

/** Waits until the job has sent everything (or fails after the timeout). */
async function allSent(timeout = 60_000): Promise<void> {
  await expect.poll(unsent, { timeout, interval: 200, message: "unsent outbox rows" }).toBe(0);
}

describe("held emails and the provider's limits", () => {
  it("sends the emails held without a key once the key is set: the hourly job picks them up", async () => {
    await issueThroughWorker(stack.worker.url, requestBody(freshUnits(2)));
    await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)));
    const held = await rows();
    expect(held).toHaveLength(4);
    expect(held.every((r) => r.status === "held")).toBe(true);
    // The same database, now served by a Worker with RESEND_API_KEY (as after `wrangler secret put`).
    resend = await startFakeResend();
    keyed = await startBuiltWorker(stack.db.url, {
      RESEND_API_KEY: "re_now_set",
      RESEND_BASE_URL: resend.url,
      EMAIL_SEND_RATE_PER_SECOND: "20",
    });
    expect((await triggerScheduled(keyed)).status).toBe(200);
    await allSent();
    expect(resend.received).toHaveLength(4);
    expect(new Set(resend.accepted).size).toBe(4);
  });

  it("a provider answering 429 for a while: every email sent exactly once, none failed, no attempt spent", async () => {
    if (!resend || !keyed) throw new Error("needs the keyed Worker of the test before");
    const accepted = resend.accepted.length;
    // The requests' own deliveries meet the 429s too: they leave the rows for the job, attempts untouched.
    resend.tooManyFor = 6;
    for (let i = 0; i < 3; i++) await issueThroughWorker(keyed.url, requestBody(freshUnits(1)));
    await expect.poll(async () => (await rows()).filter((r) => r.last_error?.includes("rate_limit_exceeded")).length).toBe(6);
    const waiting = (await rows()).filter((r) => r.status !== "sent");
    expect(waiting).toHaveLength(6);
    expect(waiting.every((r) => r.status === "pending" && r.attempts === 0)).toBe(true);
    // The job meets a few more 429s, waits the Retry-After each time, and sends everything.
    resend.tooManyFor = 3;
    const started = Date.now();
    expect((await triggerScheduled(keyed)).status).toBe(200);
    await allSent();
    const after = await rows();
    const perKey = new Map<string, number>();
    for (const k of resend.accepted) perKey.set(k, (perKey.get(k) ?? 0) + 1);
    report("a provider answering 429 for a while", {
      "429 answers": resend.rateLimited,
      "sends accepted": `${resend.accepted.length} for ${perKey.size} distinct emails`,
      "job took": `${Date.now() - started} ms`,
      outbox: after.map((r) => `${r.status}/${r.attempts}`).join(" "),
    });
    expect(resend.rateLimited).toBe(9);
    expect(resend.accepted.length - accepted).toBe(6);
    expect(Math.max(...perKey.values())).toBe(1);
    expect(after.every((r) => r.status === "sent" && r.last_error === null)).toBe(true);
    expect(after.filter((r) => r.status === "failed")).toHaveLength(0);
    // Three waits of the provider's Retry-After (1 s).
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
  }, 90_000);

  it("the hourly job goes through every pending row, not only the oldest 50, at the configured rate", async () => {
    if (!resend || !keyed) throw new Error("needs the keyed Worker of the tests before");
    const before = resend.arrivals.length;
    await stack.db.query(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
       INSERT INTO outbox (id, recipient, subject, text, html, status, created_at)
       SELECT 'bulk-' || printf('%04d', i), 'bulk' || i || '@example.com', 'Bulk ' || i, 'Text', '<p>Text</p>', 'pending',
              strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 hours', '+' || i || ' seconds') FROM n`,
    );
    expect((await triggerScheduled(keyed)).status).toBe(200);
    await allSent(90_000);
    const arrivals = resend.arrivals.slice(before);
    expect(arrivals).toHaveLength(120);
    // 20 a second: 120 sends take at least 119 intervals of 50 ms (a little slack for timers and the network).
    const span = (arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0);
    report("120 pending rows, EMAIL_SEND_RATE_PER_SECOND=20", { "first to last send": `${span} ms` });
    expect(span).toBeGreaterThanOrEqual(119 * 50 * 0.9);
  }, 120_000);
});
