/** RMA numbering and idempotency under concurrent requests, against a real sqld. */
import { describe, expect, it } from "vitest";
import { useApi } from "../support/app.ts";
import { freshUnits, requestBody } from "../support/requests.ts";

const stack = useApi();

type Created = { requestId: string; rmas: { rmaNumber: string; serialNumber: string }[] };

describe("concurrent requests", () => {
  it("keeps RMA numbers unique across 100 requests sent at once", async () => {
    const units = freshUnits(100);
    const responses = await Promise.all(units.map((u) => stack.api.json("/api/rma-requests", requestBody([u]))));
    const statuses = responses.map((r) => r.status);
    console.log(`100 concurrent requests: ${statuses.filter((s) => s === 201).length} × 201`);
    expect(statuses.every((s) => s === 201)).toBe(true);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Created[];
    const numbers = bodies.flatMap((b) => b.rmas.map((r) => r.rmaNumber));
    expect(new Set(numbers).size).toBe(100);
    const [row] = await stack.db.query<{ n: number; d: number }>("SELECT count(*) n, count(DISTINCT rma_number) d FROM rmas");
    expect(row).toEqual({ n: 100, d: 100 });
  });

  it("answers 50 repeats with one Idempotency-Key with one request and the same answer", async () => {
    const body = requestBody(freshUnits(2));
    const key = "idem-key-concurrent-0001";
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => stack.api.json("/api/rma-requests", body, { "Idempotency-Key": key })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    const texts = new Set(await Promise.all(responses.map((r) => r.text())));
    expect(texts.size).toBe(1);
    const [row] = await stack.db.query<{ n: number }>("SELECT count(*) n FROM return_requests WHERE idempotency_key = ?", [key]);
    expect(row?.n).toBe(1);
    const [rmas] = await stack.db.query<{ n: number }>(
      "SELECT count(*) n FROM rmas WHERE request_id = (SELECT id FROM return_requests WHERE idempotency_key = ?)",
      [key],
    );
    expect(rmas?.n).toBe(2);
  });

  it("refuses a reused Idempotency-Key with a different body", async () => {
    const key = "idem-key-reused-0002";
    const first = await stack.api.json("/api/rma-requests", requestBody(freshUnits(1)), { "Idempotency-Key": key });
    expect(first.status).toBe(201);
    const second = await stack.api.json("/api/rma-requests", requestBody(freshUnits(1)), { "Idempotency-Key": key });
    expect(second.status).toBe(422);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe("idempotency_key_reused");
  });

  it("gives one open RMA when 30 requests for the same serial arrive at once", async () => {
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => stack.api.json("/api/rma-requests", requestBody([unit]))),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(29);
    const refused = await Promise.all(responses.filter((r) => r.status === 422).map((r) => r.json()));
    for (const r of refused as { error: { fields: Record<string, string> } }[]) {
      expect(r.error.fields["units.0.serialNumber"]).toMatch(/already has an open RMA, RMA-/);
    }
    const [row] = await stack.db.query<{ n: number }>("SELECT count(*) n FROM rmas WHERE serial_number = ?", [unit.serialNumber]);
    expect(row?.n).toBe(1);
  });
});
