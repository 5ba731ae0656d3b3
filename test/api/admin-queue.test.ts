/** The staff queue through the API: counts, the lists of work to do, each filter, the search, and paging. */
import { beforeAll, describe, expect, it } from "vitest";
import { advance, type ErrorBody, QUOTE, requestRmas, TO_RECEIVED, useStaffApi } from "../support/staff.ts";

const stack = useStaffApi();

type Row = {
  rmaNumber: string;
  status: string;
  serialNumber: string;
  model: string;
  warrantyCovered: boolean;
  email: string;
  requestedAt: string;
};
type Queue = {
  counts: Record<string, number>;
  sections: { key: string; total: number; rows: Row[] }[];
  results: { rows: Row[]; total: number; page: number; pages: number };
  models: string[];
};

/** Who asked for what: three customers, in three different months. */
let vision: string[];
let optics: string[];
let bulk: string[];

beforeAll(async () => {
  vision = (await requestRmas(stack.api, 3, { covered: true, email: "Anna@Vision-Lab.de", company: "Vision Lab GmbH" }))
    .rmaNumbers;
  optics = (await requestRmas(stack.api, 2, { covered: false, email: "bob@optics.example", company: "Optics Srl" })).rmaNumbers;
  bulk = [
    ...(await requestRmas(stack.api, 20, { email: "buyer@factory.example", company: "Factory AG" })).rmaNumbers,
    ...(await requestRmas(stack.api, 20, { email: "buyer@factory.example", company: "Factory AG" })).rmaNumbers,
    ...(await requestRmas(stack.api, 15, { email: "buyer@factory.example", company: "Factory AG" })).rmaNumbers,
  ];
  await stack.db.query("UPDATE rmas SET requested_at = '2026-03-10T10:00:00.000Z' WHERE rma_number IN (?, ?, ?)", vision);
  await stack.db.query("UPDATE rmas SET requested_at = '2026-04-20T10:00:00.000Z' WHERE rma_number IN (?, ?)", optics);
  const [v0, v1, v2] = vision as [string, string, string];
  const [o0, o1] = optics as [string, string];
  await advance(stack.staff, v0, [["authorize"]]);
  await advance(stack.staff, v1, TO_RECEIVED);
  await advance(stack.staff, v2, [["authorize"]]);
  await advance(stack.staff, o0, [...TO_RECEIVED, ["quote", QUOTE]]);
  await advance(stack.staff, o1, [...TO_RECEIVED, ["quote", QUOTE], ["record-quote-answer", { decision: "decline" }]]);
  // v0 expires in 3 days; v2 expired yesterday, not yet recorded by the scheduled job.
  await stack.db.query("UPDATE rmas SET valid_until = ? WHERE rma_number = ?", [
    new Date(Date.now() + 3 * 86_400_000).toISOString(),
    v0,
  ]);
  await stack.db.query("UPDATE rmas SET valid_until = ? WHERE rma_number = ?", [
    new Date(Date.now() - 86_400_000).toISOString(),
    v2,
  ]);
  // A customer asked to cancel v1 after receipt.
  await stack.db.query("UPDATE rmas SET cancellation_requested_at = ? WHERE rma_number = ?", [new Date().toISOString(), v1]);
});

async function queue(query = ""): Promise<Queue> {
  const res = await stack.staff.get(`/api/admin/queue${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Queue;
}
const numbers = (q: Queue) => q.results.rows.map((r) => r.rmaNumber).sort();
const sorted = (list: string[]) => [...list].sort();

describe("the queue", () => {
  it("counts the RMAs in each status, an authorised one past its 30 days as expired", async () => {
    const { counts } = await queue();
    expect(counts).toMatchObject({ requested: 55, authorized: 1, expired: 1, received: 1, quoted: 1, returning: 1, closed: 0 });
  });

  it("lists the work to do: requests, diagnoses, quotes out, RMAs about to expire, cancellation requests, units to ship", async () => {
    const { sections } = await queue();
    const section = (key: string) => sections.find((s) => s.key === key);
    expect(section("requested")?.total).toBe(55);
    expect(section("requested")?.rows).toHaveLength(20);
    expect(section("diagnosis")?.rows.map((r) => r.rmaNumber)).toEqual([vision[1]]);
    expect(section("quotes")?.rows.map((r) => r.rmaNumber)).toEqual([optics[0]]);
    expect(section("expiring")?.rows.map((r) => r.rmaNumber)).toEqual([vision[0]]);
    expect(section("cancellations")?.rows.map((r) => r.rmaNumber)).toEqual([vision[1]]);
    expect(section("to-ship")?.rows.map((r) => r.rmaNumber)).toEqual([optics[1]]);
  });

  it("filters by status, showing an authorised RMA past its validity only as expired", async () => {
    expect(numbers(await queue("?status=quoted"))).toEqual([optics[0]]);
    expect(numbers(await queue("?status=authorized"))).toEqual([vision[0]]);
    const expired = await queue("?status=expired");
    expect(numbers(expired)).toEqual([vision[2]]);
    expect(expired.results.rows[0]?.status).toBe("expired");
  });

  it("filters by model", async () => {
    const [row] = await stack.db.query<{ model: string }>("SELECT model FROM rmas WHERE rma_number = ?", [optics[0] ?? ""]);
    const model = row?.model ?? "";
    const result = await queue(`?model=${encodeURIComponent(model)}`);
    expect(result.results.total).toBeGreaterThan(0);
    expect(result.results.rows.length).toBeGreaterThan(0);
    expect(result.results.rows.every((r) => r.model === model)).toBe(true);
    const [all] = await stack.db.query<{ n: number }>("SELECT count(*) n FROM rmas WHERE model = ?", [model]);
    expect(result.results.total).toBe(all?.n);
    expect(result.models).toContain(model);
  });

  it("filters by warranty, covered or not", async () => {
    const covered = await queue("?warranty=covered");
    const notCovered = await queue("?warranty=not-covered");
    expect(covered.results.total + notCovered.results.total).toBe(60);
    // Both lists hold RMAs (the vision units are covered, the optics ones not), so `every` checks something.
    expect(covered.results.rows.length).toBeGreaterThanOrEqual(3);
    expect(notCovered.results.rows.length).toBeGreaterThanOrEqual(2);
    expect(covered.results.rows.every((r) => r.warrantyCovered)).toBe(true);
    expect(notCovered.results.rows.every((r) => !r.warrantyCovered)).toBe(true);
    expect(numbers(await queue("?warranty=not-covered&status=quoted"))).toEqual([optics[0]]);
  });

  it("filters by the day the RMA was requested, both ends included", async () => {
    expect(numbers(await queue("?from=2026-03-10&to=2026-03-10"))).toEqual(sorted(vision));
    expect(numbers(await queue("?from=2026-03-01&to=2026-04-30"))).toEqual(sorted([...vision, ...optics]));
    expect(numbers(await queue("?from=2026-04-01&to=2026-04-20"))).toEqual(sorted(optics));
    expect((await queue("?to=2026-03-09")).results.total).toBe(0);
  });

  it("searches by RMA number, serial number, email or company, from their beginning and whatever the case", async () => {
    const target = optics[0] ?? "";
    expect(numbers(await queue(`?q=${target}`))).toEqual([target]);
    expect(numbers(await queue(`?q=${encodeURIComponent(target.toLowerCase().replace(/-/g, " "))}`))).toEqual([target]);
    const [row] = await stack.db.query<{ serial_number: string }>("SELECT serial_number FROM rmas WHERE rma_number = ?", [
      target,
    ]);
    expect(numbers(await queue(`?q=${row?.serial_number.toLowerCase()}`))).toEqual([target]);
    expect(numbers(await queue("?q=anna%40vision-lab.de"))).toEqual(sorted(vision));
    expect(numbers(await queue("?q=BOB@"))).toEqual(sorted(optics));
    expect(numbers(await queue("?q=vision%20lab"))).toEqual(sorted(vision));
    expect(numbers(await queue("?q=optics&status=returning"))).toEqual([optics[1]]);
    expect((await queue("?q=nobody-at-all")).results.total).toBe(0);
  });

  it("pages 50 at a time, newest first, each RMA once", async () => {
    const first = await queue("?q=factory");
    expect(first.results).toMatchObject({ total: 55, page: 1, pages: 2 });
    expect(first.results.rows).toHaveLength(50);
    const second = await queue("?q=factory&page=2");
    expect(second.results.rows).toHaveLength(5);
    expect(new Set([...numbers(first), ...numbers(second)])).toEqual(new Set(bulk));
    const all = await queue();
    expect(all.results.total).toBe(60);
    const times = all.results.rows.map((r) => r.requestedAt);
    expect(times).toHaveLength(50);
    for (const t of times) expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(times).toEqual([...times].sort().reverse());
  });

  it("refuses filters it cannot use, naming them", async () => {
    const res = await stack.staff.get("/api/admin/queue?status=lost&from=yesterday&warranty=maybe&page=0");
    const { error } = (await res.json()) as ErrorBody;
    expect(res.status).toBe(422);
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(["from", "page", "status", "warranty"]);
  });

  it("finds a parcel's RMA by number or by serial, with its effective status and what to do", async () => {
    const expired = vision[2] ?? "";
    const res = await stack.staff.get(`/api/admin/lookup?q=${expired}`);
    const found = (await res.json()) as { matches: { rmaNumber: string; status: string; advice: string }[] };
    expect(found.matches).toEqual([expect.objectContaining({ rmaNumber: expired, status: "expired" })]);
    expect(found.matches[0]?.advice).toMatch(/customer needs a new RMA/);
    const [row] = await stack.db.query<{ serial_number: string }>("SELECT serial_number FROM rmas WHERE rma_number = ?", [
      vision[0] ?? "",
    ]);
    const bySerial = (await (await stack.staff.get(`/api/admin/lookup?q=${row?.serial_number}`)).json()) as typeof found & {
      registry: { serialNumber: string } | null;
    };
    expect(bySerial.matches.map((m) => [m.rmaNumber, m.status])).toEqual([[vision[0], "authorized"]]);
    expect(bySerial.registry?.serialNumber).toBe(row?.serial_number);
    const typo = (await (await stack.staff.get(`/api/admin/lookup?q=RMA-26-123456-A`)).json()) as {
      matches: unknown[];
      problem: string;
    };
    expect(typo.matches).toEqual([]);
    expect(typo.problem).toMatch(/last letter does not match/);
  });
});
