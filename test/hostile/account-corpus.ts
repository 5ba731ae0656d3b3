/**
 * The shared corpus's cases for "My returns" (test/hostile/bad-input.test.ts sends them with the rest):
 * the sign-in link and session endpoints with every field of the wrong type, too long, with control
 * characters, SQL or script, whole-body attacks and other sites' requests; the signed-in reads with path
 * tricks (another customer's or no RMA, request or unit answers 404 alike); and the pages' forms.
 * Each case carries the portal's Origin (the account's unsafe methods are refused from other sites) and
 * the signed-in customer's cookie, so it is refused for what its name says and nothing else.
 */
import type { Case, Expected } from "./corpus.ts";

export interface AccountCorpusContext {
  origin: string;
  /** `rma_customer=…` of a signed-in customer. */
  customerCookie: string;
  /** That customer's email address. */
  email: string;
}

const MB = 1024 * 1024;
const VALIDATION = (field: string): Expected => ({ status: 422, code: "validation_failed", fields: [field] });
const CROSS_SITE: Expected = { status: 403, code: "cross_site_forbidden" };
const INVALID_LINK: Expected = { status: 403, code: "invalid_link" };
const NOT_FOUND: Expected = { status: 404, code: "not_found" };

export function accountCorpus(ctx: AccountCorpusContext): Case[] {
  const out: Case[] = [];
  const json = (value: unknown) => JSON.stringify(value);
  const signedIn = { origin: ctx.origin, cookie: ctx.customerCookie };
  const JSON_TYPE = { "content-type": "application/json", ...signedIn };
  const FORM_TYPE = { "content-type": "application/x-www-form-urlencoded", ...signedIn };
  const EMAIL = ctx.email;

  const link = (name: string, body: string | Buffer, expected: Expected, headers: Record<string, string> = JSON_TYPE) =>
    out.push({
      target: "POST /api/account/sign-in-link",
      name,
      method: "POST",
      path: "/api/account/sign-in-link",
      headers,
      body,
      expected,
    });
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
  link("malformed JSON", '{"email":', { status: 400, code: "invalid_json" });
  link("invalid UTF-8", Buffer.from([0x7b, 0x22, 0x65, 0xff, 0xfe, 0x22, 0x7d]), { status: 400, code: "invalid_encoding" });
  link("1 MB", json({ email: "a".repeat(MB) }), { status: 413, code: "body_too_large" });
  link("deep nesting", `${"[".repeat(5000)}${"]".repeat(5000)}`, { status: 422, code: "validation_failed" });
  link("a form body from another site", "email=a%40b.co", CROSS_SITE, { ...FORM_TYPE, origin: "https://evil.example" });
  link("another site's Origin", json({ email: EMAIL }), CROSS_SITE, { ...JSON_TYPE, origin: "https://evil.example" });
  link(
    "text/plain from the portal",
    json({ email: EMAIL }),
    { status: 415, code: "unsupported_media_type" },
    {
      ...signedIn,
      "content-type": "text/plain",
    },
  );
  link("text/plain from nowhere (no Origin)", json({ email: EMAIL }), CROSS_SITE, {
    "content-type": "text/plain",
    cookie: ctx.customerCookie,
  });

  const session = (name: string, body: string, expected: Expected) =>
    out.push({
      target: "POST /api/account/session",
      name,
      method: "POST",
      path: "/api/account/session",
      headers: JSON_TYPE,
      body,
      expected,
    });
  for (const [what, v] of [
    ["a number", 42],
    ["null", null],
    ["a list", ["x"]],
  ] as const)
    session(`token is ${what}`, json({ token: v }), VALIDATION("token"));
  session("no token", json({}), VALIDATION("token"));
  session("201 characters", json({ token: "a".repeat(201) }), VALIDATION("token"));
  session("an extra field", json({ token: "a".repeat(43), email: EMAIL }), VALIDATION("email"));
  session("SQL", json({ token: "' OR 1=1 --" }), INVALID_LINK);
  session("a token of the right shape", json({ token: "A".repeat(43) }), INVALID_LINK);
  session("control characters", json({ token: `${"A".repeat(42)}\u0000` }), INVALID_LINK);

  for (const trick of ["%2e%2e", "..%2f..%2fadmin", "%27%20OR%201%3D1", "%3Cscript%3E", "RMA-26-000000-A", "x".repeat(300)])
    for (const what of ["rmas", "units", "requests"])
      out.push({
        target: "GET /api/account/rmas/{n}, /requests/{id}, /units/{serial}",
        name: `${what}/${trick.slice(0, 20)}`,
        method: "GET",
        path: `/api/account/${what}/${trick}`,
        headers: signedIn,
        expected: NOT_FOUND,
      });

  const page = (name: string, path: string, body: string, status: number, headers: Record<string, string> = FORM_TYPE) =>
    out.push({
      target: "POST /account, /account/sign-in (pages)",
      name: `${path}: ${name}`,
      method: "POST",
      path,
      headers,
      body,
      expected: { status },
    });
  page("not an email", "/account", "email=not-an-address", 422);
  page("no field", "/account", "", 422);
  page("a header in the email", "/account", `email=${encodeURIComponent(`${EMAIL}\r\nBcc: x@example.com`)}`, 422);
  page("1 MB", "/account", `email=${"a".repeat(MB)}`, 413);
  page("JSON", "/account", json({ email: EMAIL }), 415, JSON_TYPE);
  page("another site's form", "/account", `email=${EMAIL}`, 403, { ...FORM_TYPE, origin: "https://evil.example" });
  page("a wrong token", "/account/sign-in", "token=AAAA", 403);
  page("no token", "/it/account/sign-in", "", 403);
  page("SQL in the token", "/de/account/sign-in", `token=${encodeURIComponent("' OR 1=1 --")}`, 403);
  return out;
}
