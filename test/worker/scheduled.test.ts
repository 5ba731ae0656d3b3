/** The Cron Trigger's handler in the built Worker: reachable locally, and idempotent. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkerServer } from "../../scripts/servers.ts";
import { startTestDatabase, type TestDatabase } from "../support/database.ts";
import { authorizeDaysAgo } from "../support/lifecycle.ts";
import { freshUnits, requestBody } from "../support/requests.ts";
import { startBuiltWorker } from "../support/worker.ts";

let db: TestDatabase;
let worker: WorkerServer;
beforeAll(async () => {
  db = await startTestDatabase();
  worker = await startBuiltWorker(db.url);
});
afterAll(async () => {
  await worker?.stop();
  await db?.stop();
});

const trigger = () => fetch(`${worker.url}/cdn-cgi/handler/scheduled?cron=17+*+*+*+*`);

describe("the scheduled handler", () => {
  it("records the expiry of an RMA authorised 31 days ago, once, however often it runs", async () => {
    const res = await fetch(`${worker.url}/api/rma-requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(requestBody(freshUnits(1))),
    });
    const [{ rmaNumber } = { rmaNumber: "" }] = ((await res.json()) as { rmas: { rmaNumber: string }[] }).rmas;
    await authorizeDaysAgo(db.url, rmaNumber, 31);
    const runs = await Promise.all([trigger(), trigger(), trigger()]);
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200]);
    const status = async () =>
      (await db.query<{ status: string }>("SELECT status FROM rmas WHERE rma_number = ?", [rmaNumber]))[0]?.status;
    await expect.poll(status, { timeout: 10_000 }).toBe("expired");
    await trigger();
    await new Promise((r) => setTimeout(r, 500));
    const mails = await db.query("SELECT status FROM outbox WHERE rma_number = ? AND dedupe_key = ?", [
      rmaNumber,
      `expired:${rmaNumber}`,
    ]);
    expect(mails).toEqual([{ status: "held" }]);
    expect(
      await db.query("SELECT count(*) n FROM rma_events WHERE rma_number = ? AND to_status = 'expired'", [rmaNumber]),
    ).toEqual([{ n: 1 }]);
  });
});
