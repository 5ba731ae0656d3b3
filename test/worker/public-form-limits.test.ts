/**
 * The public form cannot be used to spam or to squat serials, against the built Worker and sqld: request
 * limits per client address and per email address (counted in the request's own write batch, so issuing
 * stays one round trip), the serial check limited per address, and the open-RMA refusal telling nobody
 * but the requester's email address which RMA it is.
 */
import { describe, expect, it } from "vitest";
import { report, Tally } from "../support/figures.ts";
import { freshUnits, requestBody, requestForm, statedBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const PER_ADDRESS = 10;
const PER_EMAIL = 5;
const SERIAL_CHECKS = 20;
const stack = useStack({
  databaseProxy: true,
  vars: {
    REQUESTS_PER_ADDRESS_PER_HOUR: String(PER_ADDRESS),
    REQUESTS_PER_EMAIL_PER_DAY: String(PER_EMAIL),
    SERIAL_CHECKS_PER_ADDRESS_PER_HOUR: String(SERIAL_CHECKS),
  },
});

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

function post(body: unknown, address: string): Promise<Response> {
  return fetch(`${stack.worker.url}/api/rma-requests`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": address },
    body: JSON.stringify(body),
  });
}

const withEmail = (email: string) => ({
  contact: { name: "Giulia Bianchi", company: "Ottica Srl", email, phone: "+39 050 123 4567", country: "Italy" },
});

async function countRows(sql: string, args: string[] = []): Promise<number> {
  return Number((await stack.db.query<{ n: number }>(sql, args))[0]?.n ?? 0);
}

describe("requests per client address", () => {
  it(`accepts ${PER_ADDRESS} an hour from one address in one round trip each, then 429 storing and mailing nothing`, async () => {
    const address = "203.0.113.50";
    const tally = new Tally();
    for (let i = 0; i < PER_ADDRESS; i++) {
      stack.proxy.reset();
      const res = await post(statedBody(freshUnits(1), withEmail(`office${i}@example.com`)), address);
      tally.record(res.status, await res.json());
      expect(res.status).toBe(201);
      // The limits ride in the request's one write batch (emails are sent after the answer, not counted here).
      await stack.proxy.settle(100);
    }
    const requestsBefore = await countRows("SELECT count(*) n FROM return_requests");
    const emailsBefore = await countRows("SELECT count(*) n FROM outbox");
    const units = freshUnits(1);
    const refused = await post(statedBody(units, withEmail("someone-new@example.com")), address);
    const body = (await refused.json()) as ErrorBody;
    tally.record(refused.status, body);
    report("requests from one address", { answers: tally.summary() });
    expect(refused.status).toBe(429);
    expect(body.error.code).toBe("too_many_requests");
    expect(body.error.message).toMatch(/^Too many return requests from your connection: at most 10 an hour\./);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await countRows("SELECT count(*) n FROM return_requests")).toBe(requestsBefore);
    expect(await countRows("SELECT count(*) n FROM outbox")).toBe(emailsBefore);
    expect(await countRows("SELECT count(*) n FROM rmas WHERE serial_number = ?", [units[0]?.serialNumber ?? ""])).toBe(0);
    // Another address is not affected.
    expect((await post(statedBody(units, withEmail("someone-new@example.com")), "203.0.113.51")).status).toBe(201);
  });

  it("keeps issuing one database round trip with the limits on", async () => {
    stack.proxy.reset();
    const res = await post(statedBody(freshUnits(2), withEmail("one-trip@example.com")), "203.0.113.60");
    expect(res.status).toBe(201);
    const trips = stack.proxy.counts();
    expect(trips.trips).toBe(1);
    expect(trips.writeTrips).toBe(1);
  });
});

describe("requests per email address", () => {
  it(`accepts ${PER_EMAIL} a day for one email address from any address, then 429; the count is case-blind`, async () => {
    for (let i = 0; i < PER_EMAIL; i++) {
      const email = i % 2 ? "Victim@Example.com" : "victim@example.com";
      expect((await post(requestBody(freshUnits(1), withEmail(email)), `198.51.100.${i + 1}`)).status).toBe(201);
    }
    const refused = await post(requestBody(freshUnits(1), withEmail("VICTIM@example.com")), "198.51.100.99");
    const body = (await refused.json()) as ErrorBody;
    expect(refused.status).toBe(429);
    expect(body.error.code).toBe("too_many_requests");
    expect(body.error.message).toMatch(/^Too many return requests for this email address today: at most 5 a day\./);
    expect(await countRows("SELECT count(*) n FROM outbox WHERE lower(recipient) = 'victim@example.com'")).toBe(PER_EMAIL);
  });

  it("a replay of an accepted request (same Idempotency-Key) is not refused by the limit", async () => {
    const key = crypto.randomUUID();
    const send = () =>
      fetch(`${stack.worker.url}/api/rma-requests`, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.200", "idempotency-key": key },
        body: JSON.stringify(body),
      });
    const body = statedBody(freshUnits(1), withEmail("replayer@example.com"));
    expect((await send()).status).toBe(201);
    for (let i = 0; i < PER_EMAIL + 2; i++) {
      const again = await send();
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
    }
  });
});

describe("without TURNSTILE_SECRET_KEY", () => {
  it("the form shows no Turnstile widget and the limits alone protect it", async () => {
    const res = await fetch(`${stack.worker.url}/rma/new`);
    const html = await res.text();
    expect(html).not.toContain("cf-turnstile");
    expect(html).not.toContain("challenges.cloudflare.com");
    expect(res.headers.get("content-security-policy")).not.toContain("challenges.cloudflare.com");
  });
});

describe("the serial check", () => {
  it(`answers ${SERIAL_CHECKS} checks an hour per address, then 429; other addresses still check`, async () => {
    const check = (address: string) =>
      fetch(`${stack.worker.url}/api/serials/CE104521`, { headers: { "cf-connecting-ip": address } });
    const statuses = await Promise.all(
      Array.from({ length: SERIAL_CHECKS + 5 }, () => check("192.0.2.33").then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(SERIAL_CHECKS);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const refused = (await (await check("192.0.2.33")).json()) as ErrorBody;
    expect(refused.error.code).toBe("too_many_requests");
    expect(refused.error.message).toMatch(/^Too many serial number checks from your connection\./);
    expect((await check("192.0.2.34")).status).toBe(200);
  });

  it("counts the form's no-JavaScript check button under the same limit, one check per serial, in the registry read's round trip", async () => {
    const address = "192.0.2.40";
    const api = () => fetch(`${stack.worker.url}/api/serials/CE104521`, { headers: { "cf-connecting-ip": address } });
    const button = (...serials: string[]) =>
      fetch(`${stack.worker.url}/rma/new`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: stack.worker.url, "cf-connecting-ip": address },
        body: new URLSearchParams([
          ["intent", "check"],
          ...serials.map((serial, i) => [`units.${i}.serialNumber`, serial]),
        ]).toString(),
      });
    for (let i = 0; i < SERIAL_CHECKS - 3; i++) expect((await api()).status).toBe(200);
    // Two serials (one registered, one not) and the same one typed twice: two checks, read in one round trip.
    stack.proxy.reset();
    const checked = await button("CE104521", "ZZ-99999", "ce104521");
    const page = await checked.text();
    expect(checked.status).toBe(200);
    expect(page).not.toContain("Too many serial number checks");
    await stack.proxy.settle(100);
    // The page's trips are as before the limit: the registry read (now with its counters, the one write)
    // and the page's list of models.
    expect(stack.proxy.counts()).toMatchObject({ trips: 2, writeTrips: 1 });
    // One check left: the API takes it, then the button is refused as the API is, and the API stays refused.
    expect((await api()).status).toBe(200);
    const refused = await button("CE104521");
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain("Too many serial number checks from your connection. Please wait");
    expect((await api()).status).toBe(429);
    const counted = await stack.db.query<{ count: number }>("SELECT count FROM rate_limits WHERE key = ?", [
      `serial-check:ip:${address}`,
    ]);
    expect(counted[0]?.count).toBe(SERIAL_CHECKS + 2);
    // Another address still checks with the button.
    const other = await fetch(`${stack.worker.url}/rma/new`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: stack.worker.url,
        "cf-connecting-ip": "192.0.2.41",
      },
      body: "intent=check&units.0.serialNumber=CE104521",
    });
    expect(other.status).toBe(200);
  });
});

describe("a serial with an open RMA", () => {
  it("is refused without naming the RMA, the requester or their email, unless the same email address asks", async () => {
    const units = freshUnits(1);
    const first = await post(requestBody(units, withEmail("owner@example.com")), "192.0.2.70");
    expect(first.status).toBe(201);
    const { rmas } = (await first.json()) as { rmas: { rmaNumber: string }[] };
    const rmaNumber = rmas[0]?.rmaNumber ?? "";
    for (const body of [
      requestBody(units, withEmail("squatter@example.net")),
      statedBody(units, withEmail("squatter@example.net")),
    ]) {
      const res = await post(body, "192.0.2.71");
      const text = await res.text();
      expect(res.status).toBe(422);
      expect(text).not.toContain(rmaNumber);
      expect(text).not.toContain(rmaNumber.slice(0, 12));
      expect(text).not.toContain("owner@example.com");
      const message = (JSON.parse(text) as ErrorBody).error.fields?.["units.0.serialNumber"] ?? "";
      expect(message).toMatch(/already has an open RMA, requested with another email address\./);
      expect(message).toMatch(/follow it from the link in our email/);
      expect(message).toMatch(/If the unit is yours and you did not request it, write to rma@alkeria\.example/);
    }
    // The form page says the same.
    const page = await fetch(`${stack.worker.url}/rma/new`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: stack.worker.url,
        "cf-connecting-ip": "192.0.2.72",
      },
      body: requestForm(units, {
        "contact.name": "Squatter",
        "contact.email": "squatter@example.net",
        "contact.phone": "+39 050 000 0001",
        "returnAddress.street": "Via Roma 2",
        "units.0.issueDescription": "It does not start any more after the last firmware update, whatever we try.",
      }),
    });
    const html = await page.text();
    expect(html).toContain("requested with another email address");
    expect(html).not.toContain(rmaNumber);
    // The same email address is told which RMA to follow.
    const same = await post(requestBody(units, withEmail("OWNER@example.com")), "192.0.2.73");
    const mine = (await same.json()) as ErrorBody;
    expect(mine.error.fields?.["units.0.serialNumber"]).toContain(`already has an open RMA, ${rmaNumber}.`);
  });
});
