/** Email through the real Resend SDK to a fake Resend endpoint on loopback, and the outbox when it fails. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/client.ts";
import { deliverOutbox } from "../../functions/email/outbox.ts";
import { useApi } from "../support/app.ts";
import { type FakeResend, startFakeResend } from "../support/fake-resend.ts";
import { freshUnits, requestBody } from "../support/requests.ts";

let resend: FakeResend;
beforeAll(async () => {
  resend = await startFakeResend();
});
afterAll(() => resend?.close());
const stack = useApi(() => ({
  RESEND_API_KEY: "re_test_123",
  RESEND_BASE_URL: resend.url,
  EMAIL_FROM: "RMA <rma@alkeria.example>",
}));

describe("email", () => {
  it("sends the receipt and the staff notification through Resend when a key is set", async () => {
    resend.mode = "ok";
    const before = resend.received.length;
    const res = await stack.api.json("/api/rma-requests", requestBody(freshUnits(2)));
    expect(res.status).toBe(201);
    const { requestId, rmas } = (await res.json()) as { requestId: string; rmas: { rmaNumber: string }[] };
    const sent = resend.received.slice(before);
    expect(sent.map((m) => m.body.to).sort()).toEqual(["desk@alkeria.example", "giulia@example.com"]);
    expect(sent[0]?.authorization).toBe("Bearer re_test_123");
    const receipt = sent.find((m) => m.body.to === "giulia@example.com");
    expect(receipt?.body.from).toBe("RMA <rma@alkeria.example>");
    for (const r of rmas) {
      expect(receipt?.body.subject).toContain(r.rmaNumber);
      expect(receipt?.body.text).toContain(r.rmaNumber);
      expect(receipt?.body.html).toContain(r.rmaNumber);
    }
    const rows = await stack.db.query<{ status: string; attempts: number; provider_id: string }>(
      "SELECT status, attempts, provider_id FROM outbox WHERE request_id = ?",
      [requestId],
    );
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["sent", 1],
      ["sent", 1],
    ]);
  });

  it("still issues the RMAs when the provider fails, keeps the email with its error, and sends it once on retry", async () => {
    resend.mode = "fail";
    const before = resend.received.length;
    const res = await stack.api.json("/api/rma-requests", requestBody(freshUnits(1)));
    expect(res.status).toBe(201);
    const { requestId } = (await res.json()) as { requestId: string };
    const failed = await stack.db.query<{ id: string; status: string; attempts: number; last_error: string }>(
      "SELECT id, status, attempts, last_error FROM outbox WHERE request_id = ?",
      [requestId],
    );
    expect(failed).toHaveLength(2);
    for (const row of failed) {
      expect(row.status).toBe("pending");
      // A 5xx is "try later": kept with its error, no attempt spent (issue 14).
      expect(row.attempts).toBe(0);
      expect(row.last_error).toMatch(/provider down|Internal server error/);
    }
    expect(resend.received.length).toBe(before);

    resend.mode = "ok";
    const drizzle = createDb(stack.api.env);
    // Two senders at once (the scheduled job twice): each email goes out exactly once.
    const reports = await Promise.all([deliverOutbox(drizzle, stack.api.env), deliverOutbox(drizzle, stack.api.env)]);
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(2);
    expect(resend.received.length).toBe(before + 2);
    const after = await stack.db.query<{ status: string; last_error: string | null }>(
      "SELECT status, last_error FROM outbox WHERE request_id = ?",
      [requestId],
    );
    expect(after).toEqual([
      { status: "sent", last_error: null },
      { status: "sent", last_error: null },
    ]);
    expect((await deliverOutbox(drizzle, stack.api.env)).attempted).toBe(0);
  });
});
