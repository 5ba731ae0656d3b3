/** The Cron Trigger's handler in the built Worker: reachable locally, and idempotent. */
import { describe, expect, it } from "vitest";
import { createDb } from "../../db/client.ts";
import { linkContext } from "../../functions/links.ts";
import { runScheduledJob } from "../../functions/services/jobs/scheduled.ts";
import { testEnv } from "../support/app.ts";
import { pipelineSql } from "../support/db-proxy.ts";
import { authorizeDaysAgo } from "../support/lifecycle.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { JOB_END, mark, settled } from "../support/settled.ts";
import { triggerScheduled, useStack } from "../support/worker.ts";

const stack = useStack({ databaseProxy: true });

const trigger = () => triggerScheduled(stack.worker);

describe("the scheduled handler", () => {
  it("ends every run with the statement the tests take as its end (the job's last database call)", async () => {
    const calls: string[][] = [];
    const recording = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      calls.push(pipelineSql(await request.clone().text()));
      return fetch(request);
    }) as typeof fetch;
    // With email on (an address where nothing answers), so the delivery step runs too.
    const env = testEnv(stack.db.url, { RESEND_API_KEY: "re_unreachable", RESEND_BASE_URL: "http://127.0.0.1:9" });
    await runScheduledJob(createDb(env, { fetch: recording }), env, linkContext(env));
    expect(calls.flat().filter((s) => JOB_END.test(s))).toHaveLength(1);
    expect(calls.at(-1)?.some((s) => JOB_END.test(s))).toBe(true);
  });

  it("records the expiry of an RMA authorised 31 days ago, once, however often it runs", async () => {
    const [rmaNumber = ""] = (await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)))).rmaNumbers;
    await authorizeDaysAgo(stack.db.url, rmaNumber, 31);
    const before = mark(stack.proxy);
    const runs = await Promise.all([trigger(), trigger(), trigger()]);
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200]);
    // Each run has finished (no email is sent here: without RESEND_API_KEY nothing is delivered).
    await settled(stack, before, { jobs: 3 });
    const status = async () =>
      (await stack.db.query<{ status: string }>("SELECT status FROM rmas WHERE rma_number = ?", [rmaNumber]))[0]?.status;
    expect(await status()).toBe("expired");
    const again = mark(stack.proxy);
    await trigger();
    await settled(stack, again, { jobs: 1 });
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
