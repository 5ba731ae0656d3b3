/** Customers following their RMA: lookup, signed links, rate limits, cancellation by stage, 30-day expiry. */
import { beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client.ts";
import { signToken } from "../../functions/auth/tokens.ts";
import { validUntilFrom } from "../../functions/domain/expiry.ts";
import { formatRmaNumber, parseRmaNumber } from "../../functions/domain/rma-number.ts";
import type { RmaStatus } from "../../functions/domain/status.ts";
import { runScheduledJob } from "../../functions/services/jobs/scheduled.ts";
import { changeRma as moveRma } from "../../functions/services/rma/change.ts";
import { TEST_APP_LINK_SECRET, useApi } from "../support/app.ts";
import { freshUnits, requestBody } from "../support/requests.ts";
import type { ErrorBody } from "../support/staff.ts";

const stack = useApi();
let drizzle: Db;
const SECRET = TEST_APP_LINK_SECRET;
const links = { baseUrl: "http://portal.test", secret: SECRET };

beforeAll(() => {
  drizzle = createDb(stack.api.env);
});

type ViewBody = {
  rma: {
    rmaNumber: string;
    status: string;
    statusLabel: string;
    nextStep: string;
    shipBy: string | null;
    timeline: { title: string; status: string | null }[];
    otherUnits: { rmaNumber: string; status: string }[];
  };
  link: string;
};

let address = 0;
/** Each test speaks from its own client address, so rate limits do not leak between tests. */
const from = () => ({ "cf-connecting-ip": `10.0.0.${++address}` });

async function issue(units = 1): Promise<string[]> {
  const res = await stack.api.json("/api/rma-requests", requestBody(freshUnits(units)));
  expect(res.status).toBe(201);
  return ((await res.json()) as { rmas: { rmaNumber: string }[] }).rmas.map((r) => r.rmaNumber);
}

/** Walks an RMA along the lifecycle as staff would. */
async function walk(rmaNumber: string, path: RmaStatus[], at = new Date()) {
  let fromStatus: RmaStatus = "requested";
  for (const to of path) {
    await moveRma(drizzle, {
      rmaNumber,
      from: fromStatus,
      to,
      actor: "staff:test@alkeria.example",
      covered: true,
      ...(to === "authorized" ? { set: { validUntil: validUntilFrom(at) } } : {}),
      env: stack.api.env,
      now: at,
    });
    fromStatus = to;
  }
}

const lookup = (rmaNumber: string, email: string, headers = from()) =>
  stack.api.json("/api/rmas/lookup", { rmaNumber, email }, headers);
const cancel = (rmaNumber: string, body: Record<string, unknown>) =>
  stack.api.json(`/api/rmas/${rmaNumber}/cancel`, body, from());

describe("looking an RMA up", () => {
  it("finds it with the RMA number and the request's email, in any case, with the other units of the request", async () => {
    const [first, second] = await issue(2);
    const res = await lookup((first ?? "").toLowerCase().replace(/-/g, " "), "  GIULIA@example.com ");
    expect(res.status).toBe(200);
    const body = (await res.json()) as ViewBody;
    expect(body.rma).toMatchObject({ rmaNumber: first, status: "requested" });
    expect(body.rma.nextStep).toMatch(/do not ship/i);
    expect(body.rma.timeline.map((t) => t.status)).toEqual(["requested"]);
    expect(body.rma.otherUnits).toEqual([expect.objectContaining({ rmaNumber: second, status: "requested" })]);
    expect(body.link).toMatch(new RegExp(`^/rma/${first}\\?t=[\\w-]{22}$`));
  });

  it("gives the same answer for a wrong email and for a number that does not exist", async () => {
    const [n] = await issue();
    const wrongEmail = await lookup(n ?? "", "someone.else@example.com");
    const parsed = parseRmaNumber(n ?? "");
    const digits = parsed.ok ? parsed.rmaNumber.slice(7, 13) : "000000";
    const unknown = formatRmaNumber(2026, (Number(digits) + 1) % 1_000_000);
    const unknownNumber = await lookup(unknown, "giulia@example.com");
    expect(wrongEmail.status).toBe(404);
    expect(unknownNumber.status).toBe(404);
    expect(await wrongEmail.json()).toEqual(await unknownNumber.json());
  });

  it("catches a mistyped number by its check letter, before any lookup", async () => {
    const [n = ""] = await issue();
    const typo = `${n.slice(0, 7)}${n[8]}${n[7]}${n.slice(9)}`; // two digits swapped
    stack.api.trips.reset();
    // Neighbouring digits that are equal swap into the same number: then change the check letter instead.
    const otherLetter = n.endsWith("A") ? "B" : "A";
    const mistyped = typo === n ? `${n.slice(0, -1)}${otherLetter}` : typo;
    expect(mistyped).not.toBe(n);
    const res = await lookup(mistyped, "giulia@example.com");
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe("rma_number_mistyped");
    expect(error.fields?.["rmaNumber"]).toMatch(/mistyped/);
    expect(stack.api.trips.total).toBe(0);
  });

  it("is one database round trip, rate limit included", async () => {
    const [n = ""] = await issue();
    stack.api.trips.reset();
    expect((await lookup(n, "giulia@example.com")).status).toBe(200);
    expect(stack.api.trips.total).toBe(1);
  });

  it("is rate-limited per client address, with a clear 429", async () => {
    const headers = from();
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await lookup(formatRmaNumber(2026, i), "x@example.com", headers)).status);
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    const res = await lookup(formatRmaNumber(2026, 99), "x@example.com", headers);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/Too many attempts.*wait \d+ minute/);
    // Another address is not affected.
    expect((await lookup(formatRmaNumber(2026, 99), "x@example.com")).status).toBe(404);
  });
});

describe("signed links", () => {
  it("open the RMA with a valid token", async () => {
    const [n = ""] = await issue();
    const token = await signToken(SECRET, "rma", n);
    const res = await stack.api.request(`/api/rmas/${n}?t=${token}`, { headers: from() });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ViewBody).rma.rmaNumber).toBe(n);
  });

  it("refuse a tampered token, a token of another RMA and a token of another purpose", async () => {
    const [a = "", b = ""] = await issue(2);
    const token = await signToken(SECRET, "rma", a);
    const tampered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const [n, t] of [
      [a, tampered],
      [b, token],
      [a, await signToken(SECRET, "quote", a)],
      [a, await signToken("another-secret-0123456789", "rma", a)],
    ] as const) {
      const res = await stack.api.request(`/api/rmas/${n}?t=${t}`, { headers: from() });
      expect(res.status).toBe(403);
      expect(((await res.json()) as ErrorBody).error.code).toBe("invalid_link");
    }
  });

  it("rate-limit failed tokens per client address", async () => {
    const [n = ""] = await issue();
    const headers = from();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++)
      statuses.push((await stack.api.request(`/api/rmas/${n}?t=${"x".repeat(22)}`, { headers })).status);
    expect(statuses.slice(0, 20).every((s) => s === 403)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    // A valid link still opens: only failures are counted.
    const ok = await stack.api.request(`/api/rmas/${n}?t=${await signToken(SECRET, "rma", n)}`, { headers });
    expect(ok.status).toBe(200);
  });
});

describe("cancellation", () => {
  const outbox = (rmaNumber: string) =>
    stack.db.query<{ recipient: string; subject: string }>(
      "SELECT recipient, subject FROM outbox WHERE rma_number = ? ORDER BY created_at",
      [rmaNumber],
    );
  const events = (rmaNumber: string) =>
    stack.db.query<{ kind: string; to_status: string | null; note: string }>(
      "SELECT kind, to_status, note FROM rma_events WHERE rma_number = ? ORDER BY id",
      [rmaNumber],
    );

  it("cancels a requested RMA at once, with an event and emails to the customer and staff", async () => {
    const [n = ""] = await issue();
    const res = await cancel(n, { email: "giulia@example.com", reason: "Found a loose cable, it works now." });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "cancelled" });
    const [row] = await stack.db.query("SELECT status FROM rmas WHERE rma_number = ?", [n]);
    expect(row).toEqual({ status: "cancelled" });
    expect((await events(n)).at(-1)).toEqual({
      kind: "status",
      to_status: "cancelled",
      note: "Found a loose cable, it works now.",
    });
    expect((await outbox(n)).map((m) => m.recipient).sort()).toEqual(["desk@alkeria.example", "giulia@example.com"]);
  });

  it("cancels an authorised RMA at once, with the signed link's token", async () => {
    const [n = ""] = await issue();
    await walk(n, ["authorized"]);
    const res = await cancel(n, { t: await signToken(SECRET, "rma", n), reason: "We replaced the camera instead." });
    expect(((await res.json()) as { outcome: string }).outcome).toBe("cancelled");
  });

  it("records a cancellation request once the unit is received, and says it may not be possible", async () => {
    const [n = ""] = await issue();
    await walk(n, ["authorized", "received"]);
    const res = await cancel(n, { email: "giulia@example.com", reason: "The customer no longer needs it." });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { outcome: string; message: string };
    expect(body.outcome).toBe("requested");
    expect(body.message).toMatch(/may or may not be possible/);
    const [row] = await stack.db.query<{ status: string; cancellation_reason: string }>(
      "SELECT status, cancellation_reason FROM rmas WHERE rma_number = ?",
      [n],
    );
    expect(row).toEqual({ status: "received", cancellation_reason: "The customer no longer needs it." });
    expect((await events(n)).at(-1)?.kind).toBe("cancellation-requested");
    expect((await outbox(n)).map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Cancellation request received/),
      expect.stringMatching(/please decide/),
    ]);
    // Asking twice is answered, not recorded twice.
    const again = await cancel(n, { email: "giulia@example.com", reason: "Asking again." });
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error.code).toBe("cancellation_pending");
  });

  it("refuses once the unit has been shipped back, still recording the attempt", async () => {
    const [n = ""] = await issue();
    await walk(n, ["authorized", "received", "repairing", "returning", "shipped"]);
    const res = await cancel(n, { email: "giulia@example.com", reason: "Too late, I know." });
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe("cancellation_refused");
    expect(error.message).toMatch(/already been shipped back/);
    expect((await events(n)).at(-1)?.kind).toBe("cancellation-not-possible");
    expect((await outbox(n)).some((m) => m.subject.includes("cannot be cancelled"))).toBe(true);
  });

  it("refuses a closed RMA", async () => {
    const [n = ""] = await issue();
    await walk(n, ["authorized", "received", "repairing", "returning", "shipped", "closed"]);
    const res = await cancel(n, { email: "giulia@example.com", reason: "Please cancel." });
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/is closed/);
  });

  it("needs a reason and valid credentials", async () => {
    const [n = ""] = await issue();
    expect((await cancel(n, { email: "giulia@example.com", reason: "" })).status).toBe(422);
    expect((await cancel(n, { email: "mallory@example.com", reason: "I am not the customer." })).status).toBe(404);
    expect((await cancel(n, { t: "x".repeat(22), reason: "Forged token here." })).status).toBe(403);
    const [row] = await stack.db.query("SELECT status FROM rmas WHERE rma_number = ?", [n]);
    expect(row).toEqual({ status: "requested" });
  });
});

describe("expiry after 30 days from authorisation", () => {
  const day = (base: Date, n: number) => new Date(base.getTime() + n * 86_400_000);

  it("shows an authorised RMA as expired on day 31 before any job runs, and not on day 30", async () => {
    const [n = ""] = await issue();
    const authorizedAt = new Date(Date.now() - 31 * 86_400_000);
    await walk(n, ["authorized"], authorizedAt);
    const res = await lookup(n, "giulia@example.com");
    const view = ((await res.json()) as ViewBody).rma;
    expect(view.status).toBe("expired");
    expect(view.timeline.at(-1)?.status).toBe("expired");

    const [m = ""] = await issue();
    await walk(m, ["authorized"], new Date(Date.now() - 30 * 86_400_000));
    const fresh = ((await (await lookup(m, "giulia@example.com")).json()) as ViewBody).rma;
    expect(fresh.status).toBe("authorized");
    expect(fresh.shipBy).toBe(new Date().toISOString().slice(0, 10));
  });

  it("lets the scheduled job record the expiry on day 31, not on day 30, emailing the customer once", async () => {
    const [n = ""] = await issue();
    const authorizedAt = new Date("2026-03-02T09:00:00Z");
    await walk(n, ["authorized"], authorizedAt);
    await runScheduledJob(drizzle, stack.api.env, links, day(authorizedAt, 30));
    expect(await stack.db.query("SELECT status FROM rmas WHERE rma_number = ?", [n])).toEqual([{ status: "authorized" }]);

    const reports = await Promise.all([
      runScheduledJob(drizzle, stack.api.env, links, day(authorizedAt, 31)),
      runScheduledJob(drizzle, stack.api.env, links, day(authorizedAt, 31)),
    ]);
    expect(reports.reduce((s, r) => s + r.expired, 0)).toBeGreaterThanOrEqual(1);
    expect(await stack.db.query("SELECT status FROM rmas WHERE rma_number = ?", [n])).toEqual([{ status: "expired" }]);
    const mails = await stack.db.query<{ subject: string; text: string }>(
      "SELECT subject, text FROM outbox WHERE rma_number = ? AND subject LIKE '%expired%'",
      [n],
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toMatch(new RegExp(`/rma/new\\?again=${n}&t=`));
    const expiredEvents = await stack.db.query("SELECT actor FROM rma_events WHERE rma_number = ? AND to_status = 'expired'", [
      n,
    ]);
    expect(expiredEvents).toEqual([{ actor: "system" }]);
    await runScheduledJob(drizzle, stack.api.env, links, day(authorizedAt, 32));
    expect(await stack.db.query("SELECT count(*) n FROM outbox WHERE rma_number = ? AND subject LIKE '%expired%'", [n])).toEqual([
      { n: 1 },
    ]);
  });

  it("sends one reminder 7 days before the end, however often the job runs, without changing the RMA's version", async () => {
    const [n = ""] = await issue();
    const authorizedAt = new Date("2026-04-01T09:00:00Z");
    await walk(n, ["authorized"], authorizedAt);
    await runScheduledJob(drizzle, stack.api.env, links, day(authorizedAt, 23));
    const reminders = () =>
      stack.db.query<{ n: number }>("SELECT count(*) n FROM outbox WHERE rma_number = ? AND dedupe_key LIKE 'reminder:%'", [n]);
    expect(await reminders()).toEqual([{ n: 0 }]);
    const version = async () =>
      (await stack.db.query<{ version: number }>("SELECT version FROM rmas WHERE rma_number = ?", [n]))[0]?.version;
    const before = await version();
    await Promise.all([
      runScheduledJob(drizzle, stack.api.env, links, day(authorizedAt, 24)),
      runScheduledJob(drizzle, stack.api.env, links, day(authorizedAt, 24)),
    ]);
    await runScheduledJob(drizzle, stack.api.env, links, day(authorizedAt, 27));
    expect(await reminders()).toEqual([{ n: 1 }]);
    // A reminder is an event and an email, not a change: staff with the RMA's page open are not refused.
    expect(await version()).toBe(before);
    expect(await stack.db.query("SELECT count(*) n FROM rma_events WHERE rma_number = ? AND kind = 'reminder'", [n])).toEqual([
      { n: 1 },
    ]);
    const [mail] = await stack.db.query<{ text: string }>(
      "SELECT text FROM outbox WHERE rma_number = ? AND dedupe_key LIKE 'reminder:%'",
      [n],
    );
    expect(mail?.text).toContain("1 May 2026");
    expect(mail?.text).toMatch(/\/print\?t=/);
  });
});
