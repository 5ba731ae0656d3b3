/**
 * Signed links against the built Worker and sqld: a link keeps working while its RMA is open and for 90
 * days after it ends (or after the link was made, if later), then answers 410 saying how to get a fresh
 * one from the status page, which works; a wrong quote link counts toward the failed-link limit per
 * client address like a wrong RMA link, on the API and on the quote page.
 */
import { describe, expect, it } from "vitest";
import { signToken } from "../../functions/auth/tokens.ts";
import { FAILED_TOKEN_LIMIT } from "../../functions/services/rma/customer-access.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { TEST_LINK_SECRET, useStack } from "../support/worker.ts";

const stack = useStack();
const BAD = "A".repeat(22);
const get = (path: string, address: string) => fetch(`${stack.worker.url}${path}`, { headers: { "cf-connecting-ip": address } });

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

async function closedDaysAgo(rmaNumber: string, days: number): Promise<void> {
  await stack.db.query("UPDATE rmas SET status = 'closed', closed_at = ?, updated_at = ? WHERE rma_number = ?", [
    daysAgo(days).toISOString(),
    daysAgo(days).toISOString(),
    rmaNumber,
  ]);
}

describe("links age out", () => {
  it("an ended RMA's link stops 90 days after the end, saying how to get a fresh one; the status page's fresh link works", async () => {
    const { requestId, rmaNumbers } = await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)));
    const n = rmaNumbers[0] ?? "";
    const oldLink = await signToken(TEST_LINK_SECRET, "rma", n, daysAgo(120));
    // Open for 120 days: the link made on the first day still works.
    expect((await get(`/api/rmas/${n}?t=${oldLink}`, "192.0.2.150")).status).toBe(200);
    // Ended 89 days ago: still works.
    await closedDaysAgo(n, 89);
    expect((await get(`/api/rmas/${n}?t=${oldLink}`, "192.0.2.150")).status).toBe(200);
    // Ended 91 days ago: 410, on the API, the RMA page, the print page and the request's confirmation page.
    await closedDaysAgo(n, 91);
    const api = await get(`/api/rmas/${n}?t=${oldLink}`, "192.0.2.150");
    expect(api.status).toBe(410);
    const { error } = (await api.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("link_expired");
    expect(error.message).toMatch(/^This link has expired: the links in our emails stop working 90 days after the RMA ends\./);
    expect(error.message).toContain("status page (/status)");
    for (const path of [`/rma/${n}?t=${oldLink}`, `/rma/${n}/print?t=${oldLink}`]) {
      const page = await get(path, "192.0.2.150");
      expect(page.status, path).toBe(410);
      expect(await page.text(), path).toContain("This link has expired");
    }
    const requestLink = await signToken(TEST_LINK_SECRET, "request", requestId, daysAgo(120));
    const confirmation = await get(`/rma/requests/${requestId}?t=${requestLink}`, "192.0.2.150");
    expect(confirmation.status).toBe(410);
    expect(await confirmation.text()).toContain("This link has expired");
    // The status page gives a fresh link, which works for another 90 days.
    const looked = await fetch(`${stack.worker.url}/api/rmas/lookup`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.151" },
      body: JSON.stringify({ rmaNumber: n, email: "giulia@example.com" }),
    });
    expect(looked.status).toBe(200);
    const { link } = (await looked.json()) as { link: string };
    expect((await get(link, "192.0.2.151")).status).toBe(200);
    expect((await get(`/api/rmas/${n}?t=${new URL(link, stack.worker.url).searchParams.get("t")}`, "192.0.2.151")).status).toBe(
      200,
    );
    // An expired link is not a failed one: it does not count toward the failed-link limit.
    const [counted] = await stack.db.query("SELECT count FROM rate_limits WHERE key = 'token:ip:192.0.2.150'");
    expect(counted).toBeUndefined();
  });
});

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
