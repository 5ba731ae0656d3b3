/**
 * Database round trips per request for each customer endpoint, counted by the proxy in front of sqld
 * that a second Worker talks to. Work the Worker does after answering (waitUntil) is waited for.
 */
import { signToken } from "../functions/auth/tokens.ts";
import type { CountingProxy, Trips } from "./proxy.ts";
import type { IssueBodies } from "./workload.ts";

export interface RoundTripRow extends Trips {
  endpoint: string;
  request: string;
  status: number;
}

interface Probe {
  endpoint: string;
  method: "GET" | "POST";
  path: string;
  body?: string;
  form?: Record<string, string>;
  /** The status a customer gets on this path (the row says so when another one came back). */
  expect: number;
}

export async function countRoundTrips(opts: {
  workerUrl: string;
  proxy: CountingProxy;
  bodies: IssueBodies;
  secret: string;
  registeredSerial: string;
}): Promise<RoundTripRow[]> {
  const { workerUrl, proxy, bodies, secret } = opts;
  const rows: RoundTripRow[] = [];
  let ip = 0;
  const send = async (p: Probe) => {
    proxy.reset();
    const headers: Record<string, string> = { "cf-connecting-ip": `192.0.2.${++ip}` };
    let body: string | undefined = p.body;
    if (p.body !== undefined) headers["content-type"] = "application/json";
    if (p.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers["origin"] = workerUrl;
      body = new URLSearchParams(p.form).toString();
    }
    const res = await fetch(workerUrl + p.path, { method: p.method, headers, redirect: "manual", ...(body ? { body } : {}) });
    const text = await res.text();
    await proxy.settle();
    const request = `${p.method} ${p.path.replace(/t=[\w-]+/, "t=…").replace(/\/[0-9a-f-]{36}/, "/{id}")}`;
    rows.push({ endpoint: p.endpoint, request, status: res.status, ...proxy.counts() });
    if (res.status !== p.expect) console.error(`  round trips: ${p.endpoint} answered ${res.status}: ${text.slice(0, 200)}`);
    return text;
  };

  await send({ endpoint: "serial check", method: "GET", path: `/api/serials/${opts.registeredSerial}`, expect: 200 });
  const oneRequest = bodies.request(1);
  const contact = oneRequest.email;
  const one = JSON.parse(
    await send({
      endpoint: "issue, 1 unit (purchase date stated, as the form sends)",
      method: "POST",
      path: "/api/rma-requests",
      body: oneRequest.body,
      expect: 201,
    }),
  ) as { requestId: string; rmas: { rmaNumber: string }[] };
  const ten = JSON.parse(
    await send({
      endpoint: "issue, 10 units (purchase dates stated)",
      method: "POST",
      path: "/api/rma-requests",
      body: bodies.body(10),
      expect: 201,
    }),
  ) as { requestId: string; rmas: { rmaNumber: string }[] };
  for (const units of [1, 10]) {
    await send({
      endpoint: `issue, ${units} unit${units > 1 ? "s" : ""}, no purchase dates (registry read first)`,
      method: "POST",
      path: "/api/rma-requests",
      body: bodies.body(units, false),
      expect: 201,
    });
  }
  const first = one.rmas[0];
  const other = ten.rmas[0];
  if (!first || !other) throw new Error("round trips: issuing failed, see above");
  const refused = JSON.parse(bodies.body(1, false)) as { units: { serialNumber: string }[] };
  (refused.units[0] as { serialNumber: string }).serialNumber = oneRequest.serials[0] as string;
  await send({
    endpoint: "issue refused (serial has an open RMA), no purchase dates",
    method: "POST",
    path: "/api/rma-requests",
    body: JSON.stringify(refused),
    expect: 422,
  });
  // The same with the purchase date stated: the write is tried, refused by the unique index, then the
  // read finds which RMA is open, for the message.
  await send({
    endpoint: "issue refused (serial has an open RMA), purchase date stated",
    method: "POST",
    path: "/api/rma-requests",
    body: oneRequest.body,
    expect: 422,
  });
  const lookupBody = (n: string, e: string) => JSON.stringify({ rmaNumber: n, email: e });
  const t = (n: string) => signToken(secret, "rma", n);

  await send({
    endpoint: "lookup (number + email)",
    method: "POST",
    path: "/api/rmas/lookup",
    body: lookupBody(first.rmaNumber, contact),
    expect: 200,
  });
  await send({
    endpoint: "lookup, wrong email (404)",
    method: "POST",
    path: "/api/rmas/lookup",
    body: lookupBody(first.rmaNumber, "someone@else.example"),
    expect: 404,
  });
  await send({
    endpoint: "RMA by signed link (API)",
    method: "GET",
    path: `/api/rmas/${first.rmaNumber}?t=${await t(first.rmaNumber)}`,
    expect: 200,
  });
  await send({ endpoint: "RMA page", method: "GET", path: `/rma/${first.rmaNumber}?t=${await t(first.rmaNumber)}`, expect: 200 });
  await send({
    endpoint: "printable RMA form",
    method: "GET",
    path: `/rma/${first.rmaNumber}/print?t=${await t(first.rmaNumber)}`,
    expect: 200,
  });
  await send({
    endpoint: "request confirmation page",
    method: "GET",
    path: `/rma/requests/${one.requestId}?t=${await signToken(secret, "request", one.requestId)}`,
    expect: 200,
  });
  await send({ endpoint: "request form page", method: "GET", path: "/rma/new", expect: 200 });
  await send({
    endpoint: "status form (lookup, then redirect)",
    method: "POST",
    path: "/status",
    form: { rmaNumber: first.rmaNumber, email: contact },
    expect: 303,
  });
  await send({
    endpoint: "cancel with email",
    method: "POST",
    path: `/api/rmas/${first.rmaNumber}/cancel`,
    body: JSON.stringify({ email: contact, reason: "Found the fault: it was the cable." }),
    expect: 200,
  });
  await send({
    endpoint: "cancel with signed link",
    method: "POST",
    path: `/api/rmas/${other.rmaNumber}/cancel`,
    body: JSON.stringify({ t: await t(other.rmaNumber), reason: "Found the fault: it was the cable." }),
    expect: 200,
  });
  return rows;
}
