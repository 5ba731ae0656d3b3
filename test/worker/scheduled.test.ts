/** The Cron Trigger's handler in the built Worker: reachable locally, and idempotent. */
import { describe, expect, it } from "vitest";
import { authorizeDaysAgo } from "../support/lifecycle.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { triggerScheduled, useStack } from "../support/worker.ts";

const stack = useStack();

const trigger = () => triggerScheduled(stack.worker);

describe("the scheduled handler", () => {
  it("records the expiry of an RMA authorised 31 days ago, once, however often it runs", async () => {
    const [rmaNumber = ""] = (await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)))).rmaNumbers;
    await authorizeDaysAgo(stack.db.url, rmaNumber, 31);
    const runs = await Promise.all([trigger(), trigger(), trigger()]);
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200]);
    const status = async () =>
      (await stack.db.query<{ status: string }>("SELECT status FROM rmas WHERE rma_number = ?", [rmaNumber]))[0]?.status;
    await expect.poll(status, { timeout: 10_000 }).toBe("expired");
    await trigger();
    await new Promise((r) => setTimeout(r, 500));
    const mails = await stack.db.query("SELECT status FROM outbox WHERE rma_number = ? AND dedupe_key = ?", [
      rmaNumber,
      `expired:${rmaNumber}`,
    ]);
    expect(mails).toEqual([{ status: "held" }]);
    expect(
      await stack.db.query("SELECT count(*) n FROM rma_events WHERE rma_number = ? AND to_status = 'expired'", [rmaNumber]),
    ).toEqual([{ n: 1 }]);
  });
});
