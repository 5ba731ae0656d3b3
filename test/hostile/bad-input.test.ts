/**
 * Hostile input against every public endpoint and form of the built Worker: a generated corpus (table)
 * plus seeded fast-check properties. Every request gets a 4xx — in the one error shape under /api, an
 * HTML page elsewhere that shows no payload unescaped — and nothing a refused request sent is stored.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { errorCode, isErrorShape, report, Tally, withClients } from "../support/figures.ts";
import { rawRequest } from "../support/http.ts";
import { rowCounts } from "../support/integrity.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";
import { buildCorpus, type Case, type CorpusContext } from "./corpus.ts";

const stack = useStack();
let ctx: CorpusContext;
let clientNumber = 0;

async function issue(email: string): Promise<{ number: string; token: string; email: string }> {
  const body = requestBody(freshUnits(1));
  body.contact.email = email;
  const number = (await issueThroughWorker(stack.worker.url, body)).rmaNumbers[0] ?? "";
  const looked = await fetch(`${stack.worker.url}/api/rmas/lookup`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": "10.200.0.1" },
    body: JSON.stringify({ rmaNumber: number, email }),
  });
  const { link } = (await looked.json()) as { link: string };
  return { number, token: new URL(link, stack.worker.url).searchParams.get("t") ?? "", email };
}

beforeAll(async () => {
  const [unit] = freshUnits(1);
  if (!unit) throw new Error("no unit");
  ctx = {
    origin: stack.worker.url,
    unit,
    rma: await issue("owner@example.com"),
    other: await issue("someone.else@example.com"),
  };
});

interface Outcome {
  c: Case;
  status: number;
  problems: string[];
  code?: string | undefined;
}

/** Sends one case (from a client address of its own: lookups are rate-limited per address) and judges the answer. */
async function send(c: Case): Promise<Outcome> {
  const address = `10.${100 + ((clientNumber >> 16) & 63)}.${(clientNumber >> 8) & 255}.${clientNumber & 255}`;
  clientNumber++;
  const res = await rawRequest(stack.worker.url, c.method, c.path, {
    headers: { ...c.headers, "cf-connecting-ip": address },
    ...(c.body === undefined ? {} : { body: c.body }),
  });
  const problems: string[] = [];
  let code: string | undefined;
  if (res.status < 400 || res.status >= 500) problems.push(`status ${res.status}`);
  const type = res.headers["content-type"] ?? "";
  if (c.path.startsWith("/api/")) {
    let body: unknown;
    try {
      body = res.json();
    } catch {
      problems.push(`not JSON (${type}): ${res.text.slice(0, 80)}`);
    }
    if (body !== undefined && !isErrorShape(body)) problems.push(`not the one error shape: ${res.text.slice(0, 120)}`);
    code = errorCode(body);
  } else {
    if (!type.startsWith("text/html") && res.status !== 405) problems.push(`content type ${type}`);
    // Outside attribute values (where Astro escapes quotes, so `="..."` cannot hide one), a payload must be escaped.
    const markup = res.text.replace(/="[^"]*"/g, '=""');
    if (markup.includes("<script>window.__pwned") || markup.includes("<img src=x onerror"))
      problems.push("payload shown unescaped");
  }
  return { c, status: res.status, problems, code };
}

function byTarget(outcomes: Outcome[]): Record<string, string> {
  const tallies = new Map<string, Tally>();
  for (const o of outcomes) {
    const t = tallies.get(o.c.target) ?? new Tally();
    t.record(o.status);
    tallies.set(o.c.target, t);
  }
  return Object.fromEntries([...tallies].map(([target, t]) => [target, t.summary()]));
}

describe("hostile input to every public endpoint and form", () => {
  it("refuses every case of the generated corpus with a 4xx, in the one error shape under /api, storing nothing", async () => {
    const corpus = buildCorpus(ctx);
    const before = await rowCounts(stack.db);
    const statusBefore = await stack.db.query("SELECT rma_number, status, version FROM rmas ORDER BY rma_number");
    const outcomes = await withClients(corpus, 6, send);
    const after = await rowCounts(stack.db);
    const statusAfter = await stack.db.query("SELECT rma_number, status, version FROM rmas ORDER BY rma_number");
    const failed = outcomes.filter((o) => o.problems.length > 0);
    const all = new Tally();
    for (const o of outcomes) all.record(o.status, o.code ? { error: { code: o.code } } : undefined);
    const statusCodes = [...new Set(outcomes.map((o) => o.status))].sort();
    report(`generated corpus: ${corpus.length} bad requests`, {
      ...byTarget(outcomes),
      "all answers": all.summary(),
      "5xx answers": outcomes.filter((o) => o.status >= 500).length,
      "status codes seen": statusCodes.join(", "),
      "rows before": JSON.stringify(before),
      "rows after": JSON.stringify(after),
      "RMAs changed": JSON.stringify(statusBefore) === JSON.stringify(statusAfter) ? "none" : "SOME",
      "cases failing":
        failed.length === 0 ? "none" : failed.map((o) => `${o.c.target} — ${o.c.name}: ${o.problems.join("; ")}`).join("\n     "),
    });
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(failed.map((o) => `${o.c.target} — ${o.c.name}: ${o.problems.join("; ")}`)).toEqual([]);
    expect(after).toEqual(before);
    expect(statusAfter).toEqual(statusBefore);
  }, 240_000);

  it("refuses arbitrary JSON values as any endpoint's body (fast-check, seeded)", async () => {
    const before = await rowCounts(stack.db);
    const outcomes: Outcome[] = [];
    const endpoints = ["/api/rma-requests", "/api/rmas/lookup", `/api/rmas/${ctx.rma.number}/cancel`];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), fc.jsonValue({ maxDepth: 6 }), async (path, value) => {
        const o = await send({
          target: "POST /api/rma-requests (JSON)",
          name: `${path} ${JSON.stringify(value).slice(0, 60)}`,
          method: "POST",
          path,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(value),
        });
        outcomes.push(o);
        expect(o.problems).toEqual([]);
      }),
      { seed: 20261125, numRuns: 120 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", minLength: 1, maxLength: 60 }), async (s) => {
        const o = await send({
          target: "GET /api/serials/{serial}",
          name: JSON.stringify(s),
          method: "GET",
          path: `/api/serials/${encodeURIComponent(s)}`,
          headers: {},
        });
        outcomes.push(o);
        expect(o.problems).toEqual([]);
      }),
      { seed: 20261125, numRuns: 80 },
    );
    const t = new Tally();
    for (const o of outcomes) t.record(o.status, o.code ? { error: { code: o.code } } : undefined);
    report("fast-check properties (seed 20261125)", {
      "arbitrary JSON bodies and serials sent": outcomes.length,
      answers: t.summary(),
    });
    expect(await rowCounts(stack.db)).toEqual(before);
  }, 240_000);
});
