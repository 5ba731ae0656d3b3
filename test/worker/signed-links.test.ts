/**
 * Signed links against the built Worker and sqld: a wrong quote link counts toward the failed-link
 * limit per client address like a wrong RMA link, on the API and on the quote page.
 */
import { describe, expect, it } from "vitest";
import { FAILED_TOKEN_LIMIT } from "../../functions/services/rma/customer-access.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack();
const BAD = "A".repeat(22);
const get = (path: string, address: string) => fetch(`${stack.worker.url}${path}`, { headers: { "cf-connecting-ip": address } });

describe("wrong quote links", () => {
  it("count toward the failed-link limit with wrong RMA links: past it, 429 from that address only", async () => {
    const address = "198.51.100.90";
    const half = FAILED_TOKEN_LIMIT.limit / 2;
    const statuses: number[] = [];
    for (let i = 0; i < half; i++) statuses.push((await get(`/api/rmas/RMA-26-000000-A?t=${BAD}`, address)).status);
    for (let i = 0; i < half; i++) statuses.push((await get(`/api/quotes/RMA-26-000000-A?t=${BAD}`, address)).status);
    expect(statuses).toEqual(Array.from({ length: FAILED_TOKEN_LIMIT.limit }, () => 403));
    const api = await get(`/api/quotes/RMA-26-000000-A?t=${BAD}`, address);
    expect(api.status).toBe(429);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("too_many_requests");
    expect(Number(api.headers.get("retry-after"))).toBeGreaterThan(0);
    const page = await get(`/rma/RMA-26-000000-A/quote?t=${BAD}`, address);
    expect(page.status).toBe(429);
    const answer = await fetch(`${stack.worker.url}/api/quotes/RMA-26-000000-A`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": address },
      body: JSON.stringify({ t: BAD, decision: "accept" }),
    });
    expect(answer.status).toBe(429);
    expect((await get(`/api/quotes/RMA-26-000000-A?t=${BAD}`, "198.51.100.91")).status).toBe(403);
  });
});
