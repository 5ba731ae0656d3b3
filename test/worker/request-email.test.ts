/** An RMA request through the built Worker in workerd: the Resend SDK runs there too, against a fake endpoint. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkerServer } from "../../scripts/servers.ts";
import { startTestDatabase, type TestDatabase } from "../support/database.ts";
import { type FakeResend, startFakeResend } from "../support/fake-resend.ts";
import { freshUnits, requestBody } from "../support/requests.ts";
import { startBuiltWorker } from "../support/worker.ts";

let db: TestDatabase;
let resend: FakeResend;
let worker: WorkerServer;
beforeAll(async () => {
  db = await startTestDatabase();
  resend = await startFakeResend();
  worker = await startBuiltWorker(db.url, { RESEND_API_KEY: "re_worker_key", RESEND_BASE_URL: resend.url });
});
afterAll(async () => {
  await worker?.stop();
  await resend?.close();
  await db?.stop();
});

describe("the built Worker issuing RMAs", () => {
  it("answers 201 and sends the receipt through Resend after the response", async () => {
    const res = await fetch(`${worker.url}/api/rma-requests`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "worker-email-key-1" },
      body: JSON.stringify(requestBody(freshUnits(3))),
    });
    expect(res.status).toBe(201);
    const { rmas } = (await res.json()) as { rmas: { rmaNumber: string }[] };
    expect(rmas).toHaveLength(3);
    await expect.poll(() => resend.received.length, { timeout: 10_000 }).toBe(2);
    const receipt = resend.received.find((m) => m.body.to === "giulia@example.com");
    for (const r of rmas) expect(receipt?.body.text).toContain(r.rmaNumber);
    expect(receipt?.authorization).toBe("Bearer re_worker_key");
  });

  it("refuses bad input in the one error shape", async () => {
    const res = await fetch(`${worker.url}/api/rma-requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
  });
});
