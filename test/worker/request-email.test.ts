/** An RMA request through the built Worker in workerd: the Resend SDK runs there too, against a fake endpoint. */
import { describe, expect, it } from "vitest";
import { freshUnits, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack({ resendApiKey: "re_worker_key" });

describe("the built Worker issuing RMAs", () => {
  it("answers 201 and sends the receipt through Resend after the response", async () => {
    const res = await fetch(`${stack.worker.url}/api/rma-requests`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "worker-email-key-1" },
      body: JSON.stringify(requestBody(freshUnits(3))),
    });
    expect(res.status).toBe(201);
    const { rmas } = (await res.json()) as { rmas: { rmaNumber: string }[] };
    expect(rmas).toHaveLength(3);
    await expect.poll(() => stack.resend.received.length, { timeout: 10_000 }).toBe(2);
    const receipt = stack.resend.received.find((m) => m.body.to === "giulia@example.com");
    for (const r of rmas) expect(receipt?.body.text).toContain(r.rmaNumber);
    expect(receipt?.authorization).toBe("Bearer re_worker_key");
  });

  it("refuses bad input in the one error shape", async () => {
    const res = await fetch(`${stack.worker.url}/api/rma-requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
  });
});
