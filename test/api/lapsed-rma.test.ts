/**
 * A new request for a unit whose authorised RMA has lapsed: the request records the expiry itself (the
 * unit cannot have two open RMAs), with the same one email the scheduled job would send, and when the job
 * records it between the request's read and its write, nothing is recorded or sent twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/client.ts";
import { createApp } from "../../functions/app.ts";
import { runScheduledJob } from "../../functions/services/jobs/scheduled.ts";
import { testEnv } from "../support/app.ts";
import { startTestDatabase, type TestDatabase } from "../support/database.ts";
import { authorizeDaysAgo } from "../support/lifecycle.ts";
import { freshUnits, requestBody } from "../support/requests.ts";

let db: TestDatabase;
let beforeWrite: (() => Promise<void>) | null = null;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  db = await startTestDatabase();
  // Runs the hook once, just before the request's write batch reaches sqld: a deterministic interleaving.
  app = createApp({
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const body = input instanceof Request ? await input.clone().text() : "";
      if (beforeWrite && body.includes('insert into \\"return_requests\\"')) {
        const hook = beforeWrite;
        beforeWrite = null;
        await hook();
      }
      return fetch(input, init);
    }) as typeof fetch,
  });
});
afterAll(() => db?.stop());

const env = () => testEnv(db.url);
const post = (body: unknown) =>
  app.request(
    "/api/rma-requests",
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
    env(),
  );

async function lapsedRma() {
  const [unit] = freshUnits(1);
  if (!unit) throw new Error("no unit");
  const res = await post(requestBody([unit]));
  const { rmas } = (await res.json()) as { rmas: { rmaNumber: string }[] };
  const rmaNumber = rmas[0]?.rmaNumber ?? "";
  await authorizeDaysAgo(db.url, rmaNumber, 31);
  return { unit, rmaNumber };
}

const recorded = async (rmaNumber: string) => ({
  status: (await db.query<{ status: string }>("SELECT status FROM rmas WHERE rma_number = ?", [rmaNumber]))[0]?.status,
  expiries: (
    await db.query<{ n: number }>("SELECT count(*) n FROM rma_events WHERE rma_number = ? AND to_status = 'expired'", [rmaNumber])
  )[0]?.n,
  emails: (await db.query<{ n: number }>("SELECT count(*) n FROM outbox WHERE dedupe_key = ?", [`expired:${rmaNumber}`]))[0]?.n,
});

describe("a new request for a unit whose RMA has lapsed", () => {
  it("issues the new RMA and records the old one's expiry once, with the customer's one expiry email", async () => {
    const { unit, rmaNumber } = await lapsedRma();
    const res = await post(requestBody([unit]));
    expect(res.status).toBe(201);
    expect(await recorded(rmaNumber)).toEqual({ status: "expired", expiries: 1, emails: 1 });
    const [mail] = await db.query<{ recipient: string; subject: string }>(
      "SELECT recipient, subject FROM outbox WHERE dedupe_key = ?",
      [`expired:${rmaNumber}`],
    );
    expect(mail).toEqual({ recipient: "giulia@example.com", subject: `RMA ${rmaNumber} has expired: a new request is needed` });
  });

  it("records nothing twice when the scheduled job expires it between the request's read and its write", async () => {
    const { unit, rmaNumber } = await lapsedRma();
    beforeWrite = async () => {
      const report = await runScheduledJob(createDb(env()), env(), {
        baseUrl: "http://portal.test",
        secret: env().LINK_SECRET ?? "",
      });
      expect(report.expired).toBeGreaterThanOrEqual(1);
    };
    const res = await post(requestBody([unit]));
    expect(beforeWrite).toBeNull();
    expect(res.status).toBe(201);
    expect(await recorded(rmaNumber)).toEqual({ status: "expired", expiries: 1, emails: 1 });
  });
});
