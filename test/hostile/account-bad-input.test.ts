/**
 * Bad input to "My returns", through the built Worker: every case is one raw request that must be
 * refused in the one error shape under /api (status, code and the field it names) or with the right
 * status on the pages, and none may store anything, mail anything, open a session or answer 500.
 * (The lead may fold these into test/hostile/corpus.ts at merge.)
 */
import { beforeAll, describe, expect, it } from "vitest";
import { signInAs } from "../support/account.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack();
const site = {
  get url() {
    return stack.worker.url;
  },
};
const EMAIL = "hostile@example.com";
let cookie = "";
let serial = "";

beforeAll(async () => {
  const units = freshUnits(1);
  serial = units[0]?.serialNumber ?? "";
  const body = requestBody(units);
  await issueThroughWorker(stack.worker.url, { ...body, contact: { ...body.contact, email: EMAIL } });
  cookie = await signInAs(site, stack.db, EMAIL, "192.0.2.200");
});

interface Case {
  name: string;
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  expected: { status: number; code?: string; fields?: string[] };
}

const json = (value: unknown) => JSON.stringify(value);
const JSON_TYPE = { "content-type": "application/json" };
const FORM_TYPE = { "content-type": "application/x-www-form-urlencoded" };
const MB = 1024 * 1024;
const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
const VALIDATION = (field: string) => ({ status: 422, code: "validation_failed", fields: [field] });

function cases(): Case[] {
  const out: Case[] = [];
  const link = (name: string, body: string | Buffer, expected: Case["expected"], headers: Record<string, string> = JSON_TYPE) =>
    out.push({ name: `sign-in-link: ${name}`, method: "POST", path: "/api/account/sign-in-link", headers, body, expected });
  for (const [what, v] of [
    ["a number", 42],
    ["true", true],
    ["null", null],
    ["a list", ["a@b.co"]],
    ["an object", { a: 1 }],
  ] as const)
    link(`email is ${what}`, json({ email: v }), VALIDATION("email"));
  link("no email", json({}), VALIDATION("email"));
  link("an extra field", json({ email: EMAIL, admin: true }), VALIDATION("admin"));
  link("locale is a number", json({ email: EMAIL, locale: 42 }), VALIDATION("locale"));
  link("a header in the email", json({ email: `${EMAIL}\r\nBcc: victim@example.com` }), VALIDATION("email"));
  for (const c of ["\u0000", "\u0007", "\u001b[31m", "\u007f"])
    link(`control character ${json(c)}`, json({ email: `a${c}@example.com` }), VALIDATION("email"));
  link("255 characters", json({ email: `${"a".repeat(243)}@example.com` }), VALIDATION("email"));
  link("a script", json({ email: "<script>alert(1)</script>@example.com" }), VALIDATION("email"));
  link("SQL", json({ email: "' OR '1'='1" }), VALIDATION("email"));
  link("malformed JSON", '{"email":', { status: 400 });
  link("invalid UTF-8", Buffer.from([0x7b, 0x22, 0x65, 0xff, 0xfe, 0x22, 0x7d]), { status: 400 });
  link("1 MB", json({ email: "a".repeat(MB) }), { status: 413 });
  link("deep nesting", deep, { status: 422 });
  link(
    "a form body",
    "email=a%40b.co",
    { status: 403, code: "cross_site_forbidden" },
    { ...FORM_TYPE, origin: "https://evil.example" },
  );
  link(
    "another site's Origin",
    json({ email: EMAIL }),
    { status: 403, code: "cross_site_forbidden" },
    { ...JSON_TYPE, origin: "https://evil.example" },
  );
  link("text/plain from the portal", json({ email: EMAIL }), { status: 415 }, { "content-type": "text/plain" });
  link(
    "text/plain from nowhere (no Origin)",
    json({ email: EMAIL }),
    { status: 403, code: "cross_site_forbidden" },
    {
      "content-type": "text/plain",
      origin: "",
    },
  );

  const session = (name: string, body: string, expected: Case["expected"]) =>
    out.push({ name: `session: ${name}`, method: "POST", path: "/api/account/session", headers: JSON_TYPE, body, expected });
  for (const [what, v] of [
    ["a number", 42],
    ["null", null],
    ["a list", ["x"]],
  ] as const)
    session(`token is ${what}`, json({ token: v }), VALIDATION("token"));
  session("no token", json({}), VALIDATION("token"));
  session("201 characters", json({ token: "a".repeat(201) }), VALIDATION("token"));
  session("an extra field", json({ token: "a".repeat(43), email: EMAIL }), VALIDATION("email"));
  session("SQL", json({ token: "' OR 1=1 --" }), { status: 403, code: "invalid_link" });
  session("a token of the right shape", json({ token: "A".repeat(43) }), { status: 403, code: "invalid_link" });
  session("control characters", json({ token: `${"A".repeat(42)}\u0000` }), { status: 403, code: "invalid_link" });

  for (const trick of ["%2e%2e", "..%2f..%2fadmin", "%27%20OR%201%3D1", "%3Cscript%3E", "RMA-26-000000-A", "x".repeat(300)]) {
    out.push({
      name: `rmas/${trick.slice(0, 20)}`,
      method: "GET",
      path: `/api/account/rmas/${trick}`,
      expected: { status: 404, code: "not_found" },
    });
    out.push({
      name: `units/${trick.slice(0, 20)}`,
      method: "GET",
      path: `/api/account/units/${trick}`,
      expected: { status: 404, code: "not_found" },
    });
    out.push({
      name: `requests/${trick.slice(0, 20)}`,
      method: "GET",
      path: `/api/account/requests/${trick}`,
      expected: { status: 404, code: "not_found" },
    });
  }

  const page = (
    name: string,
    path: string,
    body: string,
    expected: Case["expected"],
    headers: Record<string, string> = FORM_TYPE,
  ) => out.push({ name: `page ${path}: ${name}`, method: "POST", path, headers, body, expected });
  page("not an email", "/account", "email=not-an-address", { status: 422 });
  page("no field", "/account", "", { status: 422 });
  page("a header in the email", "/account", `email=${encodeURIComponent(`${EMAIL}\r\nBcc: x@example.com`)}`, { status: 422 });
  page("1 MB", "/account", `email=${"a".repeat(MB)}`, { status: 413 });
  page("JSON", "/account", json({ email: EMAIL }), { status: 415 }, JSON_TYPE);
  page("another site's form", "/account", `email=${EMAIL}`, { status: 403 }, { ...FORM_TYPE, origin: "https://evil.example" });
  page("a wrong token", "/account/sign-in", "token=AAAA", { status: 403 });
  page("no token", "/it/account/sign-in", "", { status: 403 });
  page("SQL in the token", "/de/account/sign-in", `token=${encodeURIComponent("' OR 1=1 --")}`, { status: 403 });
  return out;
}

describe("bad input to My returns", () => {
  it("refuses every case as it says, stores and mails nothing, opens no session, never answers 500", async () => {
    const before = await stack.db.query<{ t: number; s: number; o: number }>(
      "SELECT (SELECT count(*) FROM customer_sign_in_tokens) t, (SELECT count(*) FROM customer_sessions) s, (SELECT count(*) FROM outbox) o",
    );
    const wrong: string[] = [];
    const all = cases();
    for (const [i, c] of all.entries()) {
      const headers: Record<string, string> = {
        origin: site.url,
        cookie,
        // Each case from its own address: the failed-link limit is not what is tested here.
        "cf-connecting-ip": `198.18.${Math.floor(i / 250)}.${i % 250}`,
        ...c.headers,
      };
      if (headers["origin"] === "") delete headers["origin"];
      const res = await fetch(`${site.url}${c.path}`, {
        method: c.method,
        headers,
        ...(c.body === undefined ? {} : { body: typeof c.body === "string" ? c.body : new Uint8Array(c.body) }),
        redirect: "manual",
      });
      const text = await res.text();
      const got: Case["expected"] = { status: res.status };
      if (c.path.startsWith("/api/")) {
        const body = JSON.parse(text) as { error?: { code: string; message: string; fields?: Record<string, string> } };
        if (!body.error?.message) wrong.push(`${c.name}: no error message in ${text.slice(0, 100)}`);
        if (c.expected.code) got.code = body.error?.code ?? "";
        if (c.expected.fields) got.fields = Object.keys(body.error?.fields ?? {});
      }
      if (JSON.stringify(got) !== JSON.stringify(c.expected))
        wrong.push(`${c.name}: ${JSON.stringify(got)} instead of ${JSON.stringify(c.expected)}`);
      if (res.headers.get("set-cookie")?.includes("rma_customer=") && !res.headers.get("set-cookie")?.includes("Max-Age=0"))
        wrong.push(`${c.name}: set a customer cookie`);
      if (text.includes("<script>alert(1)</script>")) wrong.push(`${c.name}: echoed a script unescaped`);
    }
    expect(wrong).toEqual([]);
    expect(all.length).toBe(60);
    const after = await stack.db.query<{ t: number; s: number; o: number }>(
      "SELECT (SELECT count(*) FROM customer_sign_in_tokens) t, (SELECT count(*) FROM customer_sessions) s, (SELECT count(*) FROM outbox) o",
    );
    expect(after).toEqual(before);
  });

  it("reads the list's filters leniently: an unknown status, a long search or a forged cursor shows the list, never an error", async () => {
    for (const query of [
      "status=DROP%20TABLE",
      `q=${"x".repeat(5000)}`,
      "q=%27%20OR%201%3D1%20--",
      "after=2026-01-01T00:00:00.000Z~%27%20OR%201%3D1",
      "after=garbage",
      "status=closed&status=authorized",
    ]) {
      const api = await fetch(`${site.url}/api/account/rmas?${query}`, { headers: { cookie } });
      expect([query, api.status]).toEqual([query, 200]);
      const page = await fetch(`${site.url}/account?${query}`, { headers: { cookie } });
      expect([query, page.status]).toEqual([query, 200]);
    }
    const own = (await (await fetch(`${site.url}/api/account/rmas?after=garbage`, { headers: { cookie } })).json()) as {
      groups: unknown[];
    };
    expect(own.groups).toHaveLength(1);
    expect((await fetch(`${site.url}/api/account/units/${serial}`, { headers: { cookie } })).status).toBe(200);
  });
});
