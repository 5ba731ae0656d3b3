/**
 * Hostile input against every public endpoint and form of the built Worker: a generated corpus (table)
 * plus seeded fast-check properties. Every request is refused the way its case says (its status; under
 * /api its error code, and the fields it names, in the one error shape; elsewhere an HTML page that
 * shows no payload unescaped), and nothing a refused request sent is stored.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../functions/auth/tokens.ts";
import { customerFixtures, customerRowCounts } from "../support/account-pages.ts";
import { errorCode, isErrorShape, report, Tally, withClients } from "../support/figures.ts";
import { rawRequest } from "../support/http.ts";
import { rowCounts } from "../support/integrity.ts";
import { quoteThroughDesk } from "../support/lifecycle.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { signInToWorker } from "../support/staff.ts";
import { TEST_LINK_SECRET, useStack } from "../support/worker.ts";
import { type AccountCorpusContext, accountCorpus } from "./account-corpus.ts";
import { buildCorpus, type Case, type CorpusContext } from "./corpus.ts";

/**
 * The corpus's size: a table that shrinks (a generator dropped, a loop cut short) is noticed. Change it
 * with the cases, in one place.
 */
const CORPUS_SIZE = 717;

const stack = useStack();
let ctx: CorpusContext;
/** My returns: the RMA's customer signed in (test/hostile/account-corpus.ts). */
let account: AccountCorpusContext & { serial: string };
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

/** An RMA quoted by staff and answered by its customer: its quote link has done its job. */
async function answeredQuote(): Promise<CorpusContext["answered"]> {
  const { number } = await issue("quoted@example.com");
  await quoteThroughDesk(stack.worker.url, await signInToWorker(stack.worker.url), number);
  const quoteToken = await signToken(TEST_LINK_SECRET, "quote", number);
  const res = await fetch(`${stack.worker.url}/api/quotes/${number}`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": "10.200.0.2" },
    body: JSON.stringify({ t: quoteToken, decision: "accept" }),
  });
  if (res.status !== 200) throw new Error(`quote answer: ${res.status} ${await res.text()}`);
  return { number, quoteToken };
}

/** An RMA closed 120 days ago, with links made 150 days ago: past the 90 days links work after the end. */
async function agedOut(): Promise<CorpusContext["expired"]> {
  const { requestId, rmaNumbers } = await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)));
  const number = rmaNumbers[0] ?? "";
  const day = 86_400_000;
  const closed = new Date(Date.now() - 120 * day).toISOString();
  await stack.db.query("UPDATE rmas SET status = 'closed', closed_at = ?, updated_at = ? WHERE rma_number = ?", [
    closed,
    closed,
    number,
  ]);
  const made = new Date(Date.now() - 150 * day);
  return {
    number,
    token: await signToken(TEST_LINK_SECRET, "rma", number, made),
    requestId,
    requestToken: await signToken(TEST_LINK_SECRET, "request", requestId, made),
  };
}

beforeAll(async () => {
  const [unit] = freshUnits(1);
  if (!unit) throw new Error("no unit");
  ctx = {
    origin: stack.worker.url,
    unit,
    rma: await issue("owner@example.com"),
    other: await issue("someone.else@example.com"),
    answered: await answeredQuote(),
    expired: await agedOut(),
  };
  const { customerCookie } = await customerFixtures(stack.db.url, ctx.rma.email, "");
  const [owned] = await stack.db.query<{ serial_number: string }>("SELECT serial_number FROM rmas WHERE rma_number = ?", [
    ctx.rma.number,
  ]);
  account = { origin: stack.worker.url, customerCookie, email: ctx.rma.email, serial: owned?.serial_number ?? "" };
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
  const { expected } = c;
  if (res.status !== expected.status) problems.push(`status ${res.status}, expected ${expected.status}`);
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
    if (code !== expected.code) problems.push(`code ${code}, expected ${expected.code}`);
    if (expected.fields) {
      const fields = Object.keys((body as { error?: { fields?: Record<string, string> } } | undefined)?.error?.fields ?? {});
      if (fields.sort().join() !== [...expected.fields].sort().join())
        problems.push(`fields ${fields.join(", ") || "none"}, expected ${expected.fields.join(", ")}`);
    }
  } else {
    if (expected.code !== undefined) problems.push(`a page has no error code to expect (${expected.code})`);
    if (!type.startsWith("text/html") && res.status !== 405) problems.push(`content type ${type}`);
    // Outside attribute values (where Astro escapes quotes, so `="..."` cannot hide one), a payload must be escaped.
    const markup = res.text.replace(/="[^"]*"/g, '=""');
    if (markup.includes("<script>window.__pwned") || markup.includes("<img src=x onerror"))
      problems.push("payload shown unescaped");
  }
  return { c, status: res.status, problems, code };
}

/**
 * What `GET /api/serials/{s}` must answer for any text, from the rule as the FAQ gives it (a serial is
 * letters and digits, with dashes inside, 4 to 33 of them; spaces and case do not count): `.` and `..`
 * are path segments, not serials (the URL resolves them away); a text that can be a serial is one the
 * registry does not know; anything else is malformed. A segment with a line break in it matches no route
 * at all (as the corpus's CRLF trick shows).
 */
function serialAnswer(s: string): Case["expected"] {
  if (s === "." || s === ".." || /[\r\n]/.test(s)) return { status: 404, code: "not_found" };
  const typed = s.trim().toUpperCase().replace(/\s+/g, "");
  return /^[A-Z0-9][A-Z0-9-]{2,30}[A-Z0-9]$/.test(typed)
    ? { status: 404, code: "unknown_serial" }
    : { status: 400, code: "malformed_serial" };
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
  it("refuses every case of the generated corpus as the case says, in the one error shape under /api, storing nothing", async () => {
    const corpus = [...buildCorpus(ctx), ...accountCorpus(account)];
    const before = await rowCounts(stack.db);
    const customerBefore = await customerRowCounts(stack.db);
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
    expect(corpus.length).toBe(CORPUS_SIZE);
    // Every case expects a refusal: a 4xx.
    expect(corpus.filter((c) => c.expected.status < 400 || c.expected.status > 499).map((c) => c.name)).toEqual([]);
    expect(failed.map((o) => `${o.c.target} — ${o.c.name}: ${o.problems.join("; ")}`)).toEqual([]);
    expect(after).toEqual(before);
    expect(statusAfter).toEqual(statusBefore);
    // No sign-in link, customer session or email from a refused request to My returns.
    expect(await customerRowCounts(stack.db)).toEqual(customerBefore);
  }, 240_000);

  it("refuses arbitrary JSON values as any endpoint's body (fast-check, seeded)", async () => {
    const before = await rowCounts(stack.db);
    const outcomes: Outcome[] = [];
    const endpoints = ["/api/rma-requests", "/api/rmas/lookup", `/api/rmas/${ctx.rma.number}/cancel`];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), fc.jsonValue({ maxDepth: 6 }), async (path, value) => {
        // Well-formed JSON that is not the endpoint's body: its fields are refused.
        const o = await send({
          target: "POST /api/rma-requests (JSON)",
          name: `${path} ${JSON.stringify(value).slice(0, 60)}`,
          method: "POST",
          path,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(value),
          expected: { status: 422, code: "validation_failed" },
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
          expected: serialAnswer(s),
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

  it("reads My returns' filters leniently: an unknown status, a long search or a forged cursor shows the list, never an error", async () => {
    const cookie = account.customerCookie;
    for (const query of [
      "status=DROP%20TABLE",
      `q=${"x".repeat(5000)}`,
      "q=%27%20OR%201%3D1%20--",
      "after=2026-01-01T00:00:00.000Z~%27%20OR%201%3D1",
      "after=garbage",
      "status=closed&status=authorized",
    ]) {
      const api = await fetch(`${stack.worker.url}/api/account/rmas?${query}`, { headers: { cookie } });
      expect([query, api.status]).toEqual([query, 200]);
      await api.arrayBuffer();
      const page = await fetch(`${stack.worker.url}/account?${query}`, { headers: { cookie } });
      expect([query, page.status]).toEqual([query, 200]);
      await page.arrayBuffer();
    }
    const own = (await (await fetch(`${stack.worker.url}/api/account/rmas?after=garbage`, { headers: { cookie } })).json()) as {
      groups: unknown[];
    };
    expect(own.groups).toHaveLength(1);
    expect((await fetch(`${stack.worker.url}/api/account/units/${account.serial}`, { headers: { cookie } })).status).toBe(200);
  });
});
