/**
 * The email provider failing under the built Worker: Resend's endpoint answering 500, then unreachable.
 * Requests still succeed, the emails wait in the outbox with their error, and the scheduled job sends
 * each of them exactly once when the endpoint answers again.
 */
import { describe, expect, it } from "vitest";
import { report, Tally } from "../support/figures.ts";
import { freshUnits, requestBody } from "../support/requests.ts";
import { mark, settled } from "../support/settled.ts";
import { triggerScheduled, useStack } from "../support/worker.ts";

const stack = useStack({ resendApiKey: "re_fault_key", databaseProxy: true });

interface OutboxRow {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

const outbox = () => stack.db.query<OutboxRow>("SELECT id, status, attempts, last_error FROM outbox ORDER BY created_at, id");

async function submit(count: number, tally: Tally): Promise<void> {
  const res = await fetch(`${stack.worker.url}/api/rma-requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(requestBody(freshUnits(count))),
  });
  tally.record(res.status, await res.json());
}

const summary = (rows: OutboxRow[]) => {
  const byStatus = new Map<string, number>();
  for (const r of rows) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  return [...byStatus].map(([s, n]) => `${s} × ${n}`).join(", ");
};

describe("the email provider failing", () => {
  it("keeps requests succeeding, keeps the emails with their error, and sends each exactly once when it answers again", async () => {
    const requests = new Tally();

    // Sending happens after the response: each step waits for the deliveries and scheduled runs it started
    // to finish (test/support/settled.ts), not for a while.
    // 1. Resend answers 500.
    stack.resend.mode = "fail";
    const start = mark(stack.proxy);
    await submit(2, requests);
    await submit(1, requests);
    await settled(stack, start, { deliveries: 2 });
    const afterFailure = await outbox();

    // 2. Resend unreachable: new requests, and the scheduled retry, find the port closed.
    await stack.resend.goDown();
    const down = mark(stack.proxy);
    await submit(1, requests);
    await settled(stack, down, { deliveries: 1 });
    const retry = mark(stack.proxy);
    await triggerScheduled(stack.worker);
    await settled(stack, retry, { jobs: 1, deliveries: 1 });
    const afterDown = await outbox();

    // 3. Resend answers again: the next scheduled run sends everything, and later runs send nothing more.
    stack.resend.mode = "ok";
    await stack.resend.comeBack();
    const back = mark(stack.proxy);
    await triggerScheduled(stack.worker);
    await settled(stack, back, { jobs: 1, deliveries: 1 });
    const afterBack = await outbox();
    const more = mark(stack.proxy);
    await Promise.all([triggerScheduled(stack.worker), triggerScheduled(stack.worker)]);
    await triggerScheduled(stack.worker);
    await settled(stack, more, { jobs: 3, deliveries: 3 });
    const final = await outbox();
    const perKey = new Map<string, number>();
    for (const k of stack.resend.accepted) perKey.set(k, (perKey.get(k) ?? 0) + 1);

    report("email provider answering 500, then unreachable, then back", {
      "requests sent": requests.summary(),
      "emails written to the outbox": final.length,
      "after the 500s": `${summary(afterFailure)}; errors: ${[...new Set(afterFailure.map((r) => r.last_error))].join(" | ")}`,
      "provider 500 answers": stack.resend.failures,
      "after the endpoint went away": `${summary(afterDown)}; errors: ${[...new Set(afterDown.map((r) => r.last_error))].join(" | ")}`,
      "after it came back (4 scheduled runs)": summary(final),
      "sends accepted by the provider": `${stack.resend.accepted.length} for ${perKey.size} distinct emails (most for one email: ${Math.max(...perKey.values())})`,
    });

    expect(requests.count(201)).toBe(3);
    expect(afterFailure).toHaveLength(4); // a receipt and a staff notice for each of the two requests
    expect(afterFailure.every((r) => r.status === "pending" && /provider down/.test(r.last_error ?? ""))).toBe(true);
    // A 5xx is "try later": it spends none of the row's attempts (issue 14); the error is kept.
    expect(afterFailure.map((r) => r.attempts)).toEqual([0, 0, 0, 0]);
    expect(afterDown).toHaveLength(6);
    expect(afterDown.every((r) => r.status === "pending" && r.last_error)).toBe(true);
    // An unreachable endpoint is not an answer from the provider: each try spends one attempt (the first four
    // rows met it once, in the scheduled retry; the last two also in their request's own delivery).
    expect(afterDown.map((r) => r.attempts)).toEqual([1, 1, 1, 1, 2, 2]);
    expect(afterBack.every((r) => r.status === "sent")).toBe(true);
    expect(afterDown.filter((r) => !/provider down/.test(r.last_error ?? ""))).toHaveLength(afterDown.length);
    expect(final).toHaveLength(6);
    expect(final.every((r) => r.status === "sent" && r.last_error === null)).toBe(true);
    expect(stack.resend.accepted).toHaveLength(6);
    expect([...perKey.keys()].sort()).toEqual(final.map((r) => `outbox-${r.id}`).sort());
    expect(stack.resend.received).toHaveLength(6);
  }, 90_000);
});
