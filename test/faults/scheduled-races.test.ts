/**
 * The scheduled job racing itself and the requests, in the built Worker with email on: two runs at
 * once while customers re-request units whose RMA has just lapsed. Nothing is sent twice, nothing is
 * expired wrongly: authorised 29 days ago stays authorised (one reminder), 31 days ago is expired once
 * with one email, whoever records it.
 */
import { describe, expect, it } from "vitest";
import { report, Tally } from "../support/figures.ts";
import { authorizeDaysAgo } from "../support/lifecycle.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { mark, settled } from "../support/settled.ts";
import { triggerScheduled, useStack } from "../support/worker.ts";

const stack = useStack({ resendApiKey: "re_race_key", databaseProxy: true });

type Unit = ReturnType<typeof freshUnits>[number];

async function request(units: Unit[], tally?: Tally): Promise<{ status: number; rmas: { rmaNumber: string }[] }> {
  const res = await fetch(`${stack.worker.url}/api/rma-requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(requestBody(units)),
  });
  const body = (await res.json()) as { rmas?: { rmaNumber: string }[] };
  tally?.record(res.status, body);
  return { status: res.status, rmas: body.rmas ?? [] };
}

async function authorisedRmas(count: number, daysAgo: number): Promise<{ unit: Unit; rmaNumber: string }[]> {
  const out = [];
  for (const unit of freshUnits(count)) {
    const [rmaNumber = ""] = (await issueThroughWorker(stack.worker.url, requestBody([unit]))).rmaNumbers;
    await authorizeDaysAgo(stack.db.url, rmaNumber, daysAgo);
    out.push({ unit, rmaNumber });
  }
  return out;
}

const count = async (sql: string, args: string[]) => (await stack.db.query<{ n: number }>(sql, args))[0]?.n ?? -1;

describe("the scheduled job running twice at once, during requests", () => {
  it("sends nothing twice, keeps day-29 RMAs authorised with one reminder, and expires day-31 RMAs once with one email", async () => {
    // Each request sends its emails after answering, and so does each scheduled run: the test waits for
    // those deliveries and runs to finish (test/support/settled.ts), never for a while.
    const setUp = mark(stack.proxy);
    const day29 = await authorisedRmas(4, 29);
    const day31 = await authorisedRmas(6, 31);
    // The receipts of the set-up requests have gone out, so what follows is only the race.
    await settled(stack, setUp, { deliveries: 10 });
    expect(await count("SELECT count(*) n FROM outbox WHERE status <> 'sent'", [])).toBe(0);

    // Two scheduled runs at once, while half the day-31 customers ask again for the same unit (the request
    // finds the old RMA lapsed and records its expiry itself, racing the job) and others send new requests.
    const requests = new Tally();
    const race = mark(stack.proxy);
    const runs = await Promise.all([
      triggerScheduled(stack.worker),
      ...day31.slice(0, 3).map((r) => request([r.unit], requests)),
      triggerScheduled(stack.worker),
      ...freshUnits(4).map((u) => request([u], requests)),
    ]);
    await triggerScheduled(stack.worker);
    // Three runs, and one delivery for each of them and for each request answered.
    await settled(stack, race, { jobs: 3, deliveries: 3 + requests.count(201) });
    expect(await count("SELECT count(*) n FROM outbox WHERE status <> 'sent'", [])).toBe(0);
    const later = mark(stack.proxy);
    await Promise.all([triggerScheduled(stack.worker), triggerScheduled(stack.worker)]);
    await settled(stack, later, { jobs: 2, deliveries: 2 });

    const status = async (n: string) =>
      (await stack.db.query<{ status: string }>("SELECT status FROM rmas WHERE rma_number = ?", [n]))[0]?.status;
    const rows29 = await Promise.all(
      day29.map(async ({ rmaNumber: n }) => ({
        status: await status(n),
        reminders: await count("SELECT count(*) n FROM rma_events WHERE rma_number = ? AND kind = 'reminder'", [n]),
        emails: await count("SELECT count(*) n FROM outbox WHERE dedupe_key = ?", [`reminder:${n}`]),
        expiries: await count("SELECT count(*) n FROM rma_events WHERE rma_number = ? AND to_status = 'expired'", [n]),
      })),
    );
    const rows31 = await Promise.all(
      day31.map(async ({ rmaNumber: n, unit }) => ({
        status: await status(n),
        expiries: await count("SELECT count(*) n FROM rma_events WHERE rma_number = ? AND to_status = 'expired'", [n]),
        emails: await count("SELECT count(*) n FROM outbox WHERE dedupe_key = ?", [`expired:${n}`]),
        open: await count(
          "SELECT count(*) n FROM rmas WHERE serial_number = ? AND status NOT IN ('rejected','cancelled','expired','closed')",
          [unit.serialNumber],
        ),
      })),
    );
    const perKey = new Map<string, number>();
    for (const k of stack.resend.accepted) perKey.set(k, (perKey.get(k) ?? 0) + 1);
    const outboxRows = await count("SELECT count(*) n FROM outbox", []);
    const sentTwice = [...perKey.values()].filter((n) => n > 1).length;

    report("two scheduled runs at once, during 7 requests (3 of them for units whose RMA just lapsed)", {
      "scheduled runs": `${runs.filter((r) => r instanceof Response).length} at once + 1 + 2 more afterwards`,
      requests: requests.summary(),
      "authorised 29 days ago": rows29.map((r) => `${r.status}/${r.reminders} reminder/${r.emails} email`).join(", "),
      "authorised 31 days ago": rows31.map((r) => `${r.status}/${r.expiries} expiry/${r.emails} email`).join(", "),
      "outbox rows": outboxRows,
      "sends accepted by the provider": `${stack.resend.accepted.length} for ${perKey.size} distinct emails, ${sentTwice} sent twice`,
    });

    expect(requests.count(201)).toBe(7);
    for (const r of rows29) expect(r).toEqual({ status: "authorized", reminders: 1, emails: 1, expiries: 0 });
    for (const [i, r] of rows31.entries()) expect(r).toEqual({ status: "expired", expiries: 1, emails: 1, open: i < 3 ? 1 : 0 });
    expect(sentTwice).toBe(0);
    expect(stack.resend.accepted).toHaveLength(outboxRows);
  }, 120_000);
});
