/**
 * Completion signals for the work the built Worker does after it has answered (the Cron Trigger's job,
 * the emails a request sends once answered), read from the database proxy the Worker talks through
 * (`useStack({ databaseProxy: true })`) and from the outbox itself: no fixed sleep stands in for "it has
 * finished", so a late duplicate cannot slip in after the test has looked.
 */
import { expect } from "vitest";
import type { TestDatabase } from "./database.ts";
import type { CountingProxy } from "./db-proxy.ts";

/**
 * The statement each scheduled run ends with: forgetting old rate-limit counters, the job's last step
 * (functions/services/scheduled-job.ts; test/worker/scheduled.test.ts checks that it stays the last).
 */
export const JOB_END = /^delete from "rate_limits" where "rate_limits"\."window_start" < \?$/;

/** The statement each delivery of the outbox begins with: its claim of the rows it will send (functions/email/outbox.ts). */
export const OUTBOX_CLAIM = /^update "outbox" set "claimed_until" = \?/;

/** Where the Worker's work stood at one moment: the scheduled runs ended and the deliveries begun so far. */
export interface WorkMark {
  jobs: number;
  claims: number;
}

export function mark(proxy: CountingProxy): WorkMark {
  return { jobs: proxy.answered(JOB_END), claims: proxy.answered(OUTBOX_CLAIM) };
}

/**
 * Waits until, since `since`, `jobs` scheduled runs have ended and `deliveries` outbox deliveries have made
 * their claim, and then until no outbox row is claimed any more: every delivery has recorded the outcome
 * of each email it took. (With RESEND_API_KEY set, each request answered with emails makes one delivery,
 * and so does each scheduled run; without it there are none.) Fails after `timeoutMs`.
 */
export async function settled(
  stack: { proxy: CountingProxy; db: TestDatabase },
  since: WorkMark,
  expected: { jobs?: number; deliveries?: number },
  timeoutMs = 30_000,
): Promise<void> {
  const want = { jobs: since.jobs + (expected.jobs ?? 0), claims: since.claims + (expected.deliveries ?? 0) };
  await expect
    .poll(() => mark(stack.proxy), { timeout: timeoutMs, interval: 50, message: "the Worker's work after answering" })
    .toEqual(want);
  const claimed = async () =>
    (await stack.db.query<{ n: number }>("SELECT count(*) n FROM outbox WHERE claimed_until IS NOT NULL"))[0]?.n;
  await expect.poll(claimed, { timeout: timeoutMs, interval: 50, message: "outbox rows still claimed" }).toBe(0);
}
