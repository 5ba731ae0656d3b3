/**
 * A generated corpus of bad input for every public endpoint and form: each case is one raw HTTP request
 * that must be refused, and says how: its status, and under /api its error code and the fields the error
 * names. Built from a valid request by one mutation at a time (wrong types, missing and extra fields,
 * over-long text, control characters, SQL fragments, script payloads, path tricks), plus whole-body
 * attacks (1 MB, deep nesting, invalid UTF-8, wrong encodings). Each case changes only what its name says,
 * so it is refused for that reason alone: without the check it names, it would be accepted.
 */
import { requestBody } from "../support/requests.ts";

export type Target =
  | "POST /api/rma-requests (JSON)"
  | "POST /api/rma-requests (form)"
  | "POST /api/rma-requests (multipart)"
  | "POST /rma/new (page form, multipart)"
  | "GET /api/serials/{serial}"
  | "POST /api/rmas/lookup"
  | "GET /api/rmas/{n}?t="
  | "POST /api/rmas/{n}/cancel"
  | "POST /rma/new (page form)"
  | "POST /status (page form)"
  | "POST /rma/{n}?t= (page cancel form)"
  | "GET /rma/{n}, /print, /rma/requests/{id} (pages)"
  | "GET, POST /api/quotes/{n}"
  | "GET, POST /rma/{n}/quote (quote page)"
  | "POST /api/admin/password (one-time link)"
  // My returns (test/hostile/account-corpus.ts)
  | "POST /api/account/sign-in-link"
  | "POST /api/account/session"
  | "GET /api/account/rmas/{n}, /requests/{id}, /units/{serial}"
  | "POST /account, /account/sign-in (pages)";

/** How a case must be refused. */
export interface Expected {
  status: number;
  /** The error code (under /api; a page answers HTML). */
  code?: string;
  /** Exactly the fields the error names (under /api), when the case is about fields. */
  fields?: string[];
}

export interface Case {
  target: Target;
  name: string;
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  expected: Expected;
}

/** A field that is not valid as sent (missing, wrong type, too long, control characters, not allowed). */
const invalid = (...fields: string[]): Expected => ({
  status: 422,
  code: "validation_failed",
  ...(fields.length > 0 ? { fields } : {}),
});
/** Valid as text, refused by the checks of the unit (not a serial or model we have, a repeat). */
const refusedUnit = (...fields: string[]): Expected => ({ status: 422, code: "units_refused", fields });
/** A serial number field: up to 40 characters it is text the unit checks refuse; longer, the field itself. */
const serialField = (value: string): Expected =>
  value.length <= 40 ? refusedUnit("units.0.serialNumber") : invalid("units.0.serialNumber");
const NOT_JSON: Expected = { status: 400, code: "invalid_json", fields: ["body"] };
const NOT_UTF8: Expected = { status: 400, code: "invalid_encoding", fields: ["body"] };
const TOO_LARGE: Expected = { status: 413, code: "body_too_large" };
const WRONG_TYPE: Expected = { status: 415, code: "unsupported_media_type", fields: ["Content-Type"] };
const CROSS_SITE: Expected = { status: 403, code: "cross_site_forbidden" };
const BAD_KEY: Expected = { status: 400, code: "invalid_idempotency_key", fields: ["Idempotency-Key"] };
const BAD_LINK: Expected = { status: 403, code: "invalid_link" };
const NOT_FOUND: Expected = { status: 404, code: "not_found" };
const MALFORMED_NUMBER: Expected = { status: 422, code: "rma_number_malformed", fields: ["rmaNumber"] };

/**
 * Path tricks that do not reach the route at all: `..` resolves to the parent path (the URL standard),
 * and a segment with an encoded line break matches no route; the others reach it. workerd hands the
 * API an encoded `%2e%2e` as it came (no dev proxy re-parses the URL in front of it), so that one reaches
 * the route and is refused there as a malformed serial or RMA number.
 */
const leavesRoute = (trick: string) => trick === ".." || trick.includes("%0d%0a");

export interface CorpusContext {
  origin: string;
  /** A registered unit with no open RMA (the base of request bodies; every case must still be refused). */
  unit: { serialNumber: string; model: string };
  /** An RMA that may be cancelled, with its signed-link token and its customer's email. */
  rma: { number: string; token: string; email: string };
  /** Another customer's RMA, with its own token. */
  other: { number: string; token: string; email: string };
  /** An RMA whose quote the customer answered, with the quote link's token (now used up). */
  answered: { number: string; quoteToken: string };
  /** An RMA that ended more than 90 days ago, with RMA and request links made before it ended (aged out). */
  expired: { number: string; token: string; requestId: string; requestToken: string };
}

/** Payloads whose markers the page checks look for unescaped in the answer. */
/** Every single-line field of the request: a line break in any is refused (email headers, labels). */
const SINGLE_LINE = [
  "contact.name",
  "contact.company",
  "contact.email",
  "contact.phone",
  "contact.country",
  "returnAddress.street",
  "returnAddress.postalCode",
  "returnAddress.city",
  "returnAddress.country",
  "units.0.model",
  "units.0.serialNumber",
  "units.0.purchaseDate",
  "units.0.invoiceNumber",
] as const;

export const SCRIPT = "<script>window.__pwned=1</script>";
export const ONERROR = '<img src=x onerror="window.__pwned=1">';
export const SQL = ["' OR '1'='1", "'; DROP TABLE rmas; --", '" UNION SELECT password_hash FROM staff_users --', "1) OR 1=1 --"];
const CONTROL = ["\u0000", "\u0007bell", "\u001b[31mred", "a\u0008b", "\u007f"];
const MB = 1024 * 1024;

const WRONG_TYPES: [string, unknown][] = [
  ["a number", 42],
  ["true", true],
  ["null", null],
  ["a list", ["x"]],
  ["an object", { x: 1 }],
];

const REQUIRED = [
  "contact",
  "contact.name",
  "contact.email",
  "contact.phone",
  "contact.country",
  "returnAddress",
  "returnAddress.street",
  "returnAddress.postalCode",
  "returnAddress.city",
  "returnAddress.country",
  "units",
  "units.0.model",
  "units.0.serialNumber",
  "units.0.issueDescription",
  "acceptTerms",
];
const OPTIONAL = ["contact.company", "units.0.purchaseDate", "units.0.invoiceNumber"];

/** Limits from functions/domain/request-input.ts, each exceeded by one and by a lot. */
const MAX_LENGTH: Record<string, number> = {
  "contact.name": 100,
  "contact.company": 120,
  "contact.email": 254,
  "contact.phone": 40,
  "contact.country": 60,
  "returnAddress.street": 200,
  "returnAddress.postalCode": 20,
  "returnAddress.city": 100,
  "returnAddress.country": 60,
  "units.0.model": 60,
  "units.0.serialNumber": 40,
  "units.0.invoiceNumber": 60,
  "units.0.issueDescription": 4000,
};

type Json = Record<string, unknown>;

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function setPath(obj: Json, path: string, value: unknown): Json {
  const copy = clone(obj);
  const keys = path.split(".");
  let node: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** The form fields of a request body, as the page's form names them (`units.0.model`, `acceptTerms=on`). */
function toForm(body: Json): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown, prefix: string) => {
    if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, prefix ? `${prefix}.${k}` : k);
    else if (v !== undefined && v !== null) out[prefix] = v === true ? "on" : String(v);
  };
  walk(body, "");
  return out;
}

function asBody(b: Json | string | Buffer): string | Buffer {
  if (typeof b === "string") return b;
  if (Buffer.isBuffer(b)) return b as Buffer;
  return JSON.stringify(b);
}

const encodeForm = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** Bytes that are not UTF-8, spliced into an otherwise plausible body. */
const INVALID_UTF8: [string, Buffer][] = [
  ["a lone 0xFF byte", Buffer.from([0xff])],
  ["0xFE 0xFF", Buffer.from([0xfe, 0xff])],
  ["an overlong slash", Buffer.from([0xc0, 0xaf])],
  ["an encoded surrogate", Buffer.from([0xed, 0xa0, 0x80])],
  ["a truncated sequence", Buffer.from([0xe2, 0x82])],
];

const splice = (before: string, bad: Buffer, after: string) => Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]);

const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

/** RMA numbers and path segments that try to leave the route or confuse the parser. */
export function pathTricks(valid: string): string[] {
  return [
    "..",
    "..%2f..%2fadmin",
    "%2e%2e",
    "%2e%2e%2f%2e%2e%2fapi%2fhealth",
    "%252e%252e%252f",
    `${valid}%00`,
    `${valid}%2F..%2F..`,
    "%00",
    `${valid}..`,
    "..%5c..%5cwindows",
    "RMA-26-000000-A%0d%0aSet-Cookie:%20x=1",
    encodeURIComponent("ＲＭＡ－２６－０４８１７３－Ｋ"),
    encodeURIComponent(SCRIPT),
    encodeURIComponent(SQL[0] ?? ""),
    "A".repeat(2000),
  ];
}

export function buildCorpus(ctx: CorpusContext): Case[] {
  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);
  const base = requestBody([{ ...ctx.unit, line: 0, purchaseDate: "" }]) as unknown as Json;
  const json = { "content-type": "application/json" };
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const page = { ...form, origin: ctx.origin };

  // ── POST /api/rma-requests with JSON: every field missing, of the wrong type, too long, with control
  //    characters, SQL or script where they cannot be valid; extra fields; whole-body attacks.
  const requestCases: [string, Json | string | Buffer, Expected][] = [];
  for (const p of REQUIRED) requestCases.push([`${p} missing`, setPath(base, p, undefined), invalid(p)]);
  for (const p of [...REQUIRED, ...OPTIONAL]) {
    for (const [label, value] of WRONG_TYPES) {
      if (p === "units" && label === "a list") continue; // a list of strings: covered by units.0 below
      if (p === "acceptTerms" && value === true) continue; // the one valid value
      // An object in place of the contact or the address is refused field by field (its own are missing).
      const expected = (p === "contact" || p === "returnAddress") && label === "an object" ? invalid() : invalid(p);
      requestCases.push([`${p} is ${label}`, setPath(base, p, value), expected]);
    }
  }
  for (const [p, max] of Object.entries(MAX_LENGTH)) {
    requestCases.push([`${p} one character too long`, setPath(base, p, "x".repeat(max + 1)), invalid(p)]);
  }
  requestCases.push([
    "contact.name of 60 000 characters",
    setPath(base, "contact.name", "N".repeat(60_000)),
    invalid("contact.name"),
  ]);
  for (const [i, c] of CONTROL.entries()) {
    const p =
      ["contact.name", "contact.email", "units.0.issueDescription", "units.0.serialNumber", "returnAddress.city"][i] ?? "";
    const v = p === "units.0.issueDescription" ? `${"The camera stops streaming after ten minutes "}${c}` : `Anna${c}`;
    requestCases.push([`${p} with control character ${JSON.stringify(c)}`, setPath(base, p, v), invalid(p)]);
  }
  requestCases.push([
    "returnAddress.street over two lines",
    setPath(base, "returnAddress.street", "Via Roma 1\r\nSet-Cookie: x=1"),
    invalid("returnAddress.street"),
  ]);
  // Every single-line field refuses line breaks (they would end up in email headers and on labels).
  for (const p of SINGLE_LINE.filter((f) => f !== "returnAddress.street")) {
    requestCases.push([`${p} over two lines`, setPath(base, p, "Ottica Srl\r\nBcc: everyone@example.com"), invalid(p)]);
  }
  requestCases.push([
    'contact.company with control character "\\u0007"',
    setPath(base, "contact.company", "Ottica\u0007 Srl"),
    invalid("contact.company"),
  ]);
  for (const s of SQL) {
    const serial = `${ctx.unit.serialNumber}${s}`;
    requestCases.push([`serial number ${s}`, setPath(base, "units.0.serialNumber", serial), serialField(serial)]);
    requestCases.push([`email ${s}`, setPath(base, "contact.email", `a${s}@example.com`), invalid("contact.email")]);
  }
  requestCases.push(["phone with SQL", setPath(base, "contact.phone", "1; DROP TABLE rmas"), invalid("contact.phone")]);
  requestCases.push([
    "purchase date with SQL",
    setPath(base, "units.0.purchaseDate", "2024-01-01' --"),
    invalid("units.0.purchaseDate"),
  ]);
  requestCases.push([
    "model with SQL",
    setPath(base, "units.0.model", `${ctx.unit.model}' OR 1=1 --`),
    refusedUnit("units.0.model"),
  ]);
  for (const x of [SCRIPT, ONERROR]) {
    requestCases.push([`serial number ${x}`, setPath(base, "units.0.serialNumber", x), serialField(x)]);
    requestCases.push([`email ${x}`, setPath(base, "contact.email", x), invalid("contact.email")]);
    requestCases.push([`model ${x}`, setPath(base, "units.0.model", x), refusedUnit("units.0.model")]);
    requestCases.push([
      `name ${x} without the accepted terms`,
      setPath(setPath(base, "contact.name", x), "acceptTerms", undefined),
      invalid("acceptTerms"),
    ]);
  }
  for (const [label, value] of [
    ['"true" as text', "true"],
    ["1", 1],
    ["false", false],
  ] as [string, unknown][]) {
    requestCases.push([`acceptTerms ${label}`, setPath(base, "acceptTerms", value), invalid("acceptTerms")]);
  }
  requestCases.push(["units empty", setPath(base, "units", []), invalid("units")]);
  requestCases.push([
    "21 units",
    setPath(
      base,
      "units",
      Array.from({ length: 21 }, () => (base["units"] as Json[])[0]),
    ),
    invalid("units"),
  ]);
  requestCases.push([
    "the same serial twice",
    setPath(base, "units", [(base["units"] as Json[])[0], (base["units"] as Json[])[0]]),
    refusedUnit("units.1.serialNumber"),
  ]);
  requestCases.push([
    "a purchase date that is not a date",
    setPath(base, "units.0.purchaseDate", "2024-02-30"),
    invalid("units.0.purchaseDate"),
  ]);
  requestCases.push([
    "a description of 29 characters",
    setPath(base, "units.0.issueDescription", "x".repeat(29)),
    invalid("units.0.issueDescription"),
  ]);
  requestCases.push([
    "an unknown serial without invoice",
    setPath(base, "units.0.serialNumber", "ZZ999999"),
    // The serial is not in the registry, so its purchase date and invoice number are asked for.
    refusedUnit("units.0.serialNumber", "units.0.purchaseDate", "units.0.invoiceNumber"),
  ]);
  requestCases.push(["extra top-level field", { ...base, status: "authorized" }, invalid("status")]);
  requestCases.push(["extra contact field", setPath(base, "contact.role", "admin"), invalid("contact.role")]);
  requestCases.push(["extra unit field", setPath(base, "units.0.warrantyCovered", true), invalid("units.0.warrantyCovered")]);
  requestCases.push(["__proto__ key", `{"__proto__":{"admin":true},${JSON.stringify(base).slice(1)}`, invalid()]);
  for (const [label, text, expected] of [
    ["a list", "[]", invalid("body")],
    ["a string", '"request"', invalid("body")],
    ["a number", "42", invalid("body")],
    ["null", "null", invalid("body")],
    ["an empty object", "{}", invalid("contact", "returnAddress", "units", "acceptTerms")],
    ["empty", "", NOT_JSON],
    ["truncated", JSON.stringify(base).slice(0, 80), NOT_JSON],
    ["with a trailing comma", `${JSON.stringify(base).slice(0, -1)},}`, NOT_JSON],
    ["with single quotes", "{'contact': 1}", NOT_JSON],
    ["with NaN", '{"acceptTerms": NaN}', NOT_JSON],
    ["with a comment", "/* hi */ {}", NOT_JSON],
    ["with a NUL before it", `\u0000${JSON.stringify(base)}`, NOT_JSON],
    ["20 000 nested lists", deepArray(20_000), invalid("body")],
    ["10 000 nested objects", deepObject(10_000), invalid()],
    [
      "contact nested 5 000 deep",
      JSON.stringify(base)
        .replace('"contact":{', `"contact":${'{"a":'.repeat(5000)}{`)
        .replace(/}$/, "}".repeat(5001)),
      invalid(),
    ],
    ["1 MB description", JSON.stringify(setPath(base, "units.0.issueDescription", "d".repeat(MB))), TOO_LARGE],
    ["1 MB of nesting", deepArray(MB / 2), TOO_LARGE],
  ] as [string, string, Expected][]) {
    requestCases.push([`body ${label}`, text, expected]);
  }
  for (const [label, bad] of INVALID_UTF8) {
    const text = JSON.stringify(setPath(base, "contact.name", "@@BAD@@"));
    const [before, after] = text.split("@@BAD@@") as [string, string];
    requestCases.push([`name with ${label}`, splice(before, bad, after), NOT_UTF8]);
  }
  for (const [name, body, expected] of requestCases) {
    add({
      target: "POST /api/rma-requests (JSON)",
      name,
      method: "POST",
      path: "/api/rma-requests",
      headers: json,
      body: asBody(body),
      expected,
    });
  }
  for (const [label, type] of [
    ["text/plain", "text/plain"],
    ["application/xml", "application/xml"],
    // Without a boundary a multipart type cannot be read (with one, see the multipart cases below).
    ["multipart/form-data", "multipart/form-data"],
  ] as const) {
    add({
      target: "POST /api/rma-requests (JSON)",
      name: `sent as ${label}`,
      method: "POST",
      path: "/api/rma-requests",
      headers: { "content-type": type, origin: ctx.origin },
      body: JSON.stringify(base),
      expected: WRONG_TYPE,
    });
  }
  add({
    target: "POST /api/rma-requests (JSON)",
    name: "no content type and no Origin",
    method: "POST",
    path: "/api/rma-requests",
    headers: {},
    body: JSON.stringify(base),
    expected: CROSS_SITE,
  });
  for (const key of [
    "short",
    "k".repeat(101),
    "key with spaces",
    "'; DROP TABLE return_requests; --",
    SCRIPT,
    "key\u0001control",
  ]) {
    add({
      target: "POST /api/rma-requests (JSON)",
      name: `Idempotency-Key ${JSON.stringify(key.slice(0, 30))}`,
      method: "POST",
      path: "/api/rma-requests",
      headers: { ...json, "idempotency-key": key.replace(/[^\x20-\x7e]/g, "?") },
      body: JSON.stringify(base),
      expected: BAD_KEY,
    });
  }

  // ── The same endpoint and the request page, with the form's encoding.
  const baseForm = toForm(base);
  // The same expectation holds for the page (only its status: it answers with the form again, as HTML).
  const formCases: [string, string | Buffer, Expected][] = [];
  for (const p of REQUIRED.filter((x) => !["contact", "returnAddress", "units"].includes(x))) {
    const f = { ...baseForm };
    delete f[p];
    formCases.push([`${p} missing`, encodeForm(f), invalid(p)]);
  }
  for (const [p, max] of Object.entries(MAX_LENGTH))
    formCases.push([`${p} too long`, encodeForm({ ...baseForm, [p]: "y".repeat(max + 1) }), invalid(p)]);
  // A form field is where a line break arrives most easily: refused in every single-line field.
  for (const p of SINGLE_LINE) {
    formCases.push([
      `${p} over two lines`,
      encodeForm({ ...baseForm, [p]: `${baseForm[p] ?? "x"}\r\nBcc: everyone@example.com` }),
      invalid(p),
    ]);
  }
  for (const c of CONTROL)
    formCases.push([
      `name with ${JSON.stringify(c)}`,
      encodeForm({ ...baseForm, "contact.name": `Anna${c}` }),
      invalid("contact.name"),
    ]);
  for (const x of [SCRIPT, ONERROR, ...SQL]) {
    formCases.push([`serial ${x.slice(0, 24)}`, encodeForm({ ...baseForm, "units.0.serialNumber": x }), serialField(x)]);
    formCases.push([`email ${x.slice(0, 24)}`, encodeForm({ ...baseForm, "contact.email": x }), invalid("contact.email")]);
  }
  formCases.push(["acceptTerms no", encodeForm({ ...baseForm, acceptTerms: "no" }), invalid("acceptTerms")]);
  formCases.push([
    "units.100 only",
    encodeForm(Object.fromEntries(Object.entries(baseForm).map(([k, v]) => [k.replace("units.0.", "units.100."), v]))),
    invalid("units"),
  ]);
  formCases.push(["idempotencyKey with SQL", encodeForm({ ...baseForm, idempotencyKey: "'; DROP TABLE rmas --" }), BAD_KEY]);
  formCases.push(["1 MB", encodeForm({ ...baseForm, "units.0.issueDescription": "z".repeat(MB) }), TOO_LARGE]);
  // Read as a form, a JSON text is one odd field name and none of the form's.
  formCases.push(["a JSON body under the form's type", JSON.stringify(base), invalid()]);
  for (const [label, bad] of INVALID_UTF8.slice(0, 3)) {
    const text = encodeForm({ ...baseForm, "contact.name": "@@BAD@@" });
    const [before, after] = text.split("%40%40BAD%40%40") as [string, string];
    formCases.push([`name with ${label}`, splice(before, bad, after), NOT_UTF8]);
  }
  for (const [name, body, expected] of formCases) {
    add({
      target: "POST /api/rma-requests (form)",
      name,
      method: "POST",
      path: "/api/rma-requests",
      headers: page,
      body,
      expected,
    });
    add({
      target: "POST /rma/new (page form)",
      name,
      method: "POST",
      path: "/rma/new",
      headers: page,
      body,
      expected: { status: expected.status },
    });
  }
  add({
    target: "POST /api/rma-requests (form)",
    name: "no Origin",
    method: "POST",
    path: "/api/rma-requests",
    headers: form,
    body: encodeForm(baseForm),
    expected: CROSS_SITE,
  });
  for (const [label, headers, status] of [
    ["no Origin", form, 403],
    ["another site's Origin", { ...form, origin: "https://evil.example" }, 403],
    ["sent as JSON", { "content-type": "application/json", origin: ctx.origin }, 415],
    ["sent as text/plain", { "content-type": "text/plain", origin: ctx.origin }, 415],
  ] as [string, Record<string, string>, number][]) {
    add({
      target: "POST /rma/new (page form)",
      name: label,
      method: "POST",
      path: "/rma/new",
      headers,
      body: encodeForm(baseForm),
      expected: { status },
    });
  }

  // ── GET /api/serials/{serial}
  const malformedSerial: Expected = { status: 400, code: "malformed_serial" };
  for (const [s, expected] of [
    ["abc", malformedSerial],
    ["A".repeat(33), malformedSerial],
    ["-CE104521", malformedSerial],
    ["CE%20104%20521%20!", malformedSerial],
    ["ZZ999999", { status: 404, code: "unknown_serial" }],
    ...pathTricks(ctx.unit.serialNumber).map((t): [string, Expected] => [t, leavesRoute(t) ? NOT_FOUND : malformedSerial]),
    [encodeURIComponent(ONERROR), malformedSerial],
    [encodeURIComponent(SQL[1] ?? ""), malformedSerial],
    ["%E2%80%AE1254CE", malformedSerial],
    ["%C0%AF", malformedSerial],
  ] as [string, Expected][]) {
    add({
      target: "GET /api/serials/{serial}",
      name: s.slice(0, 40),
      method: "GET",
      path: `/api/serials/${s}`,
      headers: {},
      expected,
    });
  }

  // ── POST /api/rmas/lookup (each from its own client address: the lookup limit is per address)
  const lookup = { rmaNumber: ctx.rma.number, email: ctx.rma.email };
  // A wrong email and a wrong number get the same answer: no RMA of that number with that email.
  const noSuchRma: Expected = { status: 404, code: "not_found", fields: ["rmaNumber"] };
  const lookupCases: [string, Json | string | Buffer, Expected][] = [
    ["rmaNumber missing", { email: lookup.email }, invalid("rmaNumber")],
    ["email missing", { rmaNumber: lookup.rmaNumber }, invalid("email")],
    ["another customer's email", { ...lookup, email: ctx.other.email }, noSuchRma],
    ["the other RMA with this customer's email", { ...lookup, rmaNumber: ctx.other.number }, noSuchRma],
    [
      "a wrong check letter",
      { ...lookup, rmaNumber: lookup.rmaNumber.replace(/.$/, (c) => (c === "A" ? "B" : "A")) },
      { status: 422, code: "rma_number_mistyped", fields: ["rmaNumber"] },
    ],
    ["an extra field", { ...lookup, admin: true }, invalid("admin")],
    ["rmaNumber of 41 characters", { ...lookup, rmaNumber: "R".repeat(41) }, invalid("rmaNumber")],
    ["email of 255 characters", { ...lookup, email: `${"e".repeat(243)}@example.com` }, invalid("email")],
    ["email in capitals with spaces of another customer", { ...lookup, email: ` ${ctx.other.email.toUpperCase()} ` }, noSuchRma],
    ["body a list", "[]", invalid("body")],
    ["body 1 MB", JSON.stringify({ ...lookup, email: "m".repeat(MB) }), TOO_LARGE],
    ["body 20 000 nested lists", deepArray(20_000), invalid("body")],
    ["body not JSON", "rmaNumber=1", NOT_JSON],
    ["email with 0xFF", splice(`{"rmaNumber":"${lookup.rmaNumber}","email":"`, Buffer.from([0xff]), '"}'), NOT_UTF8],
  ];
  for (const [label, value] of WRONG_TYPES) {
    lookupCases.push([`rmaNumber is ${label}`, { ...lookup, rmaNumber: value }, invalid("rmaNumber")]);
    lookupCases.push([`email is ${label}`, { ...lookup, email: value }, invalid("email")]);
  }
  for (const x of [SCRIPT, ONERROR, ...SQL, ...CONTROL.map((c) => `RMA-26-0${c}`)]) {
    // Up to 40 characters a number is read and is not one; longer, the field itself is refused.
    lookupCases.push([
      `rmaNumber ${JSON.stringify(x.slice(0, 24))}`,
      { ...lookup, rmaNumber: x },
      x.length <= 40 ? MALFORMED_NUMBER : invalid("rmaNumber"),
    ]);
    lookupCases.push([`email ${JSON.stringify(x.slice(0, 24))}`, { ...lookup, email: `x${x}@example.com` }, noSuchRma]);
  }
  for (const [name, body, expected] of lookupCases) {
    add({
      target: "POST /api/rmas/lookup",
      name,
      method: "POST",
      path: "/api/rmas/lookup",
      headers: json,
      body: asBody(body),
      expected,
    });
  }

  // ── GET /api/rmas/{n}?t= and the customer's pages: tampered tokens, other customers' tokens, path tricks.
  const flip = (t: string) => (t[0] === "A" ? "B" : "A") + t.slice(1);
  const tokenCases: [string, string][] = [
    ["a tampered token", `${ctx.rma.number}?t=${flip(ctx.rma.token)}`],
    ["another RMA's token", `${ctx.rma.number}?t=${ctx.other.token}`],
    ["no token", ctx.rma.number],
    ["an empty token", `${ctx.rma.number}?t=`],
    ["a token cut short", `${ctx.rma.number}?t=${ctx.rma.token.slice(0, 21)}`],
    ["a token one character longer", `${ctx.rma.number}?t=${ctx.rma.token}A`],
    ["the token twice, tampered first", `${ctx.rma.number}?t=${flip(ctx.rma.token)}&t=${ctx.rma.token}`],
    ["a 10 000-character token", `${ctx.rma.number}?t=${"T".repeat(10_000)}`],
    ["a token with NUL", `${ctx.rma.number}?t=${ctx.rma.token}%00`],
    ["the number in lower case with its token", `${ctx.rma.number.toLowerCase()}?t=${ctx.rma.token}`],
    ["the number without dashes with its token", `${ctx.rma.number.replace(/-/g, "")}?t=${ctx.rma.token}`],
    ["a request token on an RMA", `${ctx.rma.number}?t=${ctx.rma.token.split("").reverse().join("")}`],
    ["a SQL token", `${ctx.rma.number}?t=${encodeURIComponent(SQL[0] ?? "")}`],
    ...pathTricks(ctx.rma.number).map((n): [string, string] => [`number ${n.slice(0, 30)}`, `${n}?t=${ctx.rma.token}`]),
  ];
  // `/rma/..` and `/rma/%2e%2e` are, by the URL standard, the home page `/`: not a trick for the page routes.
  const pageTokenCases = tokenCases.filter(([name]) => name !== "number .." && name !== "number %2e%2e");
  const trickOf = (name: string) => (name.startsWith("number ") ? name.slice("number ".length) : "");
  for (const [name, rest] of tokenCases) {
    add({
      target: "GET /api/rmas/{n}?t=",
      name,
      method: "GET",
      path: `/api/rmas/${rest}`,
      headers: {},
      expected: leavesRoute(trickOf(name)) ? NOT_FOUND : BAD_LINK,
    });
  }
  // A link that is not this RMA's own: the page says so (403), whatever was changed in it.
  for (const [name, rest] of pageTokenCases) {
    add({
      target: "GET /rma/{n}, /print, /rma/requests/{id} (pages)",
      name: `RMA page, ${name}`,
      method: "GET",
      path: `/rma/${rest}`,
      headers: {},
      expected: { status: 403 },
    });
    const [n, q] = rest.split("?");
    add({
      target: "GET /rma/{n}, /print, /rma/requests/{id} (pages)",
      name: `print page, ${name}`,
      method: "GET",
      path: `/rma/${n}/print${q === undefined ? "" : `?${q}`}`,
      headers: {},
      expected: { status: 403 },
    });
  }
  // No request of ours has these ids: not found, whatever the token.
  for (const [name, path] of [
    ["request page without a token", "/rma/requests/00000000-0000-4000-8000-000000000000"],
    ["request page with an RMA's token", `/rma/requests/00000000-0000-4000-8000-000000000000?t=${ctx.rma.token}`],
    ["request page with a path trick", `/rma/requests/..%2f..%2fadmin?t=${ctx.rma.token}`],
    ["request page with SQL", `/rma/requests/${encodeURIComponent(SQL[0] ?? "")}?t=x`],
  ]) {
    add({
      target: "GET /rma/{n}, /print, /rma/requests/{id} (pages)",
      name: name ?? "",
      method: "GET",
      path: path ?? "",
      headers: {},
      expected: { status: 404 },
    });
  }

  // ── POST /api/rmas/{n}/cancel and the RMA page's cancel form: bad reasons on a cancellable RMA must
  //    change nothing; other customers' emails and tampered tokens are refused.
  const cancelPath = `/api/rmas/${ctx.rma.number}/cancel`;
  const reason = "We found the fault was a loose cable, sorry.";
  const cancelCases: [string, Json | string | Buffer, Expected, string?][] = [
    ["reason missing", { email: ctx.rma.email }, invalid("reason")],
    ["reason too short", { email: ctx.rma.email, reason: "abc" }, invalid("reason")],
    ["reason of 1 001 characters", { email: ctx.rma.email, reason: "r".repeat(1001) }, invalid("reason")],
    ["reason with NUL", { email: ctx.rma.email, reason: `${reason}\u0000` }, invalid("reason")],
    ["reason with an escape sequence", { email: ctx.rma.email, reason: `\u001b[2J${reason}` }, invalid("reason")],
    ["reason is a number", { email: ctx.rma.email, reason: 12345 }, invalid("reason")],
    ["reason is a list", { email: ctx.rma.email, reason: [reason] }, invalid("reason")],
    ["neither email nor token", { reason }, invalid("email")],
    ["another customer's email", { email: ctx.other.email, reason }, noSuchRma],
    ["a tampered token", { t: flip(ctx.rma.token), reason }, BAD_LINK],
    ["another RMA's token", { t: ctx.other.token, reason }, BAD_LINK],
    ["a 65-character token", { t: "t".repeat(65), reason }, invalid("t")],
    ["an extra field", { email: ctx.rma.email, reason, status: "cancelled" }, invalid("status")],
    ["email of SQL", { email: SQL[0], reason }, noSuchRma],
    ["body 1 MB", JSON.stringify({ email: ctx.rma.email, reason: "c".repeat(MB) }), TOO_LARGE],
    ["body not JSON", "{reason:", NOT_JSON],
    ["body nested 20 000 deep", deepArray(20_000), invalid("body")],
    ["reason with 0xFF", splice(`{"email":"${ctx.rma.email}","reason":"${reason}`, Buffer.from([0xff]), '"}'), NOT_UTF8],
    ...pathTricks(ctx.rma.number).map((n): [string, Json, Expected, string] => [
      `number ${n.slice(0, 30)}`,
      { email: ctx.rma.email, reason },
      leavesRoute(n) ? NOT_FOUND : MALFORMED_NUMBER,
      n,
    ]),
    ["the other RMA with this customer's email", { email: ctx.rma.email, reason }, noSuchRma, ctx.other.number],
  ];
  for (const [name, body, expected, n] of cancelCases) {
    add({
      target: "POST /api/rmas/{n}/cancel",
      name,
      method: "POST",
      path: n ? `/api/rmas/${n}/cancel` : cancelPath,
      headers: json,
      body: asBody(body),
      expected,
    });
  }
  add({
    target: "POST /api/rmas/{n}/cancel",
    name: "as a cross-site form",
    method: "POST",
    path: cancelPath,
    headers: form,
    body: `email=${ctx.rma.email}&reason=${reason}`,
    expected: CROSS_SITE,
  });
  const pageCancel = `/rma/${ctx.rma.number}?t=${ctx.rma.token}`;
  const pageCancelCases: [string, string | Buffer, number, Record<string, string>?, string?][] = [
    ["reason missing", "", 422],
    ["reason too short", "reason=abc", 422],
    ["reason of 1 001 characters", `reason=${"r".repeat(1001)}`, 422],
    ["reason with NUL", `reason=${encodeURIComponent(`${reason}\u0000`)}`, 422],
    ["reason with a bell", `reason=${encodeURIComponent(`\u0007${reason}`)}`, 422],
    ["reason of 1 MB", `reason=${"q".repeat(MB)}`, 413],
    ["reason with 0xFF", splice("reason=", Buffer.from([0xff]), reason), 400],
    ["sent as JSON", JSON.stringify({ reason }), 415, { "content-type": "application/json", origin: ctx.origin }],
    ["without Origin", `reason=${encodeURIComponent(reason)}`, 403, form],
    ["from another site", `reason=${encodeURIComponent(reason)}`, 403, { ...form, origin: "https://evil.example" }],
    [
      "with a tampered token",
      `reason=${encodeURIComponent(reason)}`,
      403,
      page,
      `/rma/${ctx.rma.number}?t=${flip(ctx.rma.token)}`,
    ],
    [
      "with another RMA's token",
      `reason=${encodeURIComponent(reason)}`,
      403,
      page,
      `/rma/${ctx.rma.number}?t=${ctx.other.token}`,
    ],
    // `/rma/..` is the home page, which takes no POST (405); every other trick is a link not valid for it (403).
    ...pathTricks(ctx.rma.number).map((n): [string, string, number, Record<string, string>, string] => [
      `number ${n.slice(0, 30)}`,
      `reason=${encodeURIComponent(reason)}`,
      n === ".." || n === "%2e%2e" ? 405 : 403,
      page,
      `/rma/${n}?t=${ctx.rma.token}`,
    ]),
  ];
  for (const [name, body, status, headers, path] of pageCancelCases) {
    add({
      target: "POST /rma/{n}?t= (page cancel form)",
      name,
      method: "POST",
      path: path ?? pageCancel,
      headers: headers ?? page,
      body,
      expected: { status },
    });
  }

  // ── POST /status
  const statusCases: [string, string | Buffer, number, Record<string, string>?][] = [
    ["both missing", "", 422],
    ["email missing", `rmaNumber=${ctx.rma.number}`, 422],
    ["another customer's email", encodeForm({ rmaNumber: ctx.rma.number, email: ctx.other.email }), 404],
    [
      "a wrong check letter",
      encodeForm({ rmaNumber: ctx.rma.number.replace(/.$/, (c) => (c === "A" ? "B" : "A")), email: ctx.rma.email }),
      422,
    ],
    ["rmaNumber of 41 characters", encodeForm({ rmaNumber: "9".repeat(41), email: ctx.rma.email }), 422],
    ["email of 255 characters", encodeForm({ rmaNumber: ctx.rma.number, email: `${"e".repeat(243)}@example.com` }), 422],
    ["1 MB", encodeForm({ rmaNumber: ctx.rma.number, email: "m".repeat(MB) }), 413],
    ["email with 0xFF", splice(`rmaNumber=${ctx.rma.number}&email=`, Buffer.from([0xff]), "@example.com"), 400],
    [
      "sent as JSON",
      JSON.stringify({ rmaNumber: ctx.rma.number, email: ctx.rma.email }),
      415,
      { "content-type": "application/json", origin: ctx.origin },
    ],
    ["without Origin", encodeForm({ rmaNumber: ctx.rma.number, email: ctx.rma.email }), 403, form],
  ];
  // Anything in place of the number is not one (422); anything in place of the email is not this RMA's
  // (404, the answer a wrong email gets), unless it is longer than an email can be (422).
  for (const x of [SCRIPT, ONERROR, ...SQL, ...CONTROL, ...pathTricks(ctx.rma.number).map(decodeURIComponentSafe)]) {
    statusCases.push([`rmaNumber ${JSON.stringify(x.slice(0, 24))}`, encodeForm({ rmaNumber: x, email: ctx.rma.email }), 422]);
    statusCases.push([
      `email ${JSON.stringify(x.slice(0, 24))}`,
      encodeForm({ rmaNumber: ctx.rma.number, email: x }),
      x.length > 254 ? 422 : 404,
    ]);
  }
  for (const [name, body, status, headers] of statusCases) {
    add({
      target: "POST /status (page form)",
      name,
      method: "POST",
      path: "/status",
      headers: headers ?? page,
      body,
      expected: { status },
    });
  }
  // ── Links that have done their job or aged out: an answered quote's link (410, on the API and the page,
  //    to look at or to answer again) and links made for an RMA that ended more than 90 days ago (410).
  const answered = { number: ctx.answered.number, t: ctx.answered.quoteToken };
  const QUOTE_ANSWERED: Expected = { status: 410, code: "quote_answered" };
  for (const [name, method, path, body, expected] of [
    ["an answered quote's link", "GET", `/api/quotes/${answered.number}?t=${answered.t}`, undefined, QUOTE_ANSWERED],
    [
      "an answered quote's link, answering again (decline)",
      "POST",
      `/api/quotes/${answered.number}`,
      JSON.stringify({ t: answered.t, decision: "decline" }),
      QUOTE_ANSWERED,
    ],
    [
      "an answered quote's link, answering again (accept)",
      "POST",
      `/api/quotes/${answered.number}`,
      JSON.stringify({ t: answered.t, decision: "accept" }),
      QUOTE_ANSWERED,
    ],
  ] as const) {
    add({
      target: "GET, POST /api/quotes/{n}",
      name,
      method,
      path,
      headers: json,
      ...(body === undefined ? {} : { body }),
      expected,
    });
  }
  add({
    target: "GET, POST /rma/{n}/quote (quote page)",
    name: "an answered quote's link",
    method: "GET",
    path: `/rma/${answered.number}/quote?t=${answered.t}`,
    headers: {},
    expected: { status: 410 },
  });
  add({
    target: "GET, POST /rma/{n}/quote (quote page)",
    name: "an answered quote's link, answering again",
    method: "POST",
    path: `/rma/${answered.number}/quote`,
    headers: page,
    body: encodeForm({ t: answered.t, decision: "decline" }),
    expected: { status: 410 },
  });
  const { expired } = ctx;
  add({
    target: "GET /api/rmas/{n}?t=",
    name: "a link aged out (RMA ended over 90 days ago)",
    method: "GET",
    path: `/api/rmas/${expired.number}?t=${expired.token}`,
    headers: {},
    expected: { status: 410, code: "link_expired" },
  });
  for (const path of [
    `/rma/${expired.number}?t=${expired.token}`,
    `/rma/${expired.number}/print?t=${expired.token}`,
    `/rma/requests/${expired.requestId}?t=${expired.requestToken}`,
  ]) {
    add({
      target: "GET /rma/{n}, /print, /rma/requests/{id} (pages)",
      name: `a link aged out: ${path.replace(/\?.*/, "")}`,
      method: "GET",
      path,
      headers: {},
      expected: { status: 410 },
    });
  }
  add({
    target: "POST /rma/{n}?t= (page cancel form)",
    name: "with a link aged out",
    method: "POST",
    path: `/rma/${expired.number}?t=${expired.token}`,
    headers: page,
    body: `reason=${encodeURIComponent(reason)}`,
    expected: { status: 410 },
  });
  // ── POST /api/admin/password: the one public staff route (a one-time link's token and a new password).
  const staffJson = { ...json, origin: ctx.origin };
  const NO_LINK: Expected = { status: 403, code: "invalid_link" };
  const goodPassword = "copper lantern orbit 7";
  const linkCases: [string, Json | string | Buffer, Expected, Record<string, string>?][] = [
    ["token missing", { password: goodPassword }, NO_LINK],
    ["a forged token", { token: "A".repeat(43), password: goodPassword }, NO_LINK],
    ["a token one character short", { token: "A".repeat(42), password: goodPassword }, NO_LINK],
    ["a token of 10 000 characters", { token: "A".repeat(10_000), password: goodPassword }, NO_LINK],
    ["token is a number", { token: 12345, password: goodPassword }, NO_LINK],
    ...[...SQL, SCRIPT].map((x): [string, Json, Expected] => [
      `token ${JSON.stringify(x.slice(0, 24))}`,
      { token: x, password: goodPassword },
      NO_LINK,
    ]),
    ["body not JSON", "token=x", NOT_JSON],
    ["body 1 MB", JSON.stringify({ token: "A".repeat(43), password: "p".repeat(MB) }), TOO_LARGE],
    ["password with 0xFF", splice('{"token":"x","password":"', Buffer.from([0xff]), '"}'), NOT_UTF8],
    ["as a form", "token=x&password=y", WRONG_TYPE, { "content-type": "application/x-www-form-urlencoded", origin: ctx.origin }],
    [
      "from another site",
      { token: "A".repeat(43), password: goodPassword },
      CROSS_SITE,
      { ...json, origin: "https://elsewhere.example" },
    ],
  ];
  for (const [name, body, expected, headers] of linkCases) {
    add({
      target: "POST /api/admin/password (one-time link)",
      name,
      method: "POST",
      path: "/api/admin/password",
      headers: headers ?? staffJson,
      body: asBody(body),
      expected,
    });
  }
  cases.push(...multipartCases(ctx, base));
  return cases;
}

/** One part of a hand-made multipart body: a text field, or a file when it has a file name. */
interface Part {
  name: string;
  filename?: string;
  content: string | Buffer;
}

const BOUNDARY = "----corpus7MA4YWxkTrZu0gW";

function multipartBody(parts: Part[], close = true): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename === undefined ? "" : `; filename="${p.filename}"`}`;
    const type = p.filename === undefined ? "" : "Content-Type: application/octet-stream\r\n";
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content));
    chunks.push(Buffer.from("\r\n"));
  }
  if (close) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const PNG_BYTES = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
  Buffer.alloc(200, 7),
]);

/**
 * `POST /api/rma-requests` and the request page as `multipart/form-data` (the JSON in `request`, files in
 * `units.N.files`; the page posts its fields one by one): files refused by number or by content, parts of
 * no unit, a missing or malformed `request`, unexpected fields, a cut body, no Origin.
 */
function multipartCases(ctx: CorpusContext, base: Json): Case[] {
  const cases: Case[] = [];
  const headers = { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, origin: ctx.origin };
  const request: Part = { name: "request", content: JSON.stringify(base) };
  const file = (field: string, filename: string, content: Buffer | string): Part => ({ name: field, filename, content });
  const refusedFile = (field: string, code = "file_refused"): Expected => ({ status: 422, code, fields: [field] });
  const apiCases: [string, Part[], Expected, Record<string, string>?][] = [
    [
      "six files for one unit",
      [request, ...Array.from({ length: 6 }, (_, i) => file("units.0.files", `photo-${i}.png`, PNG_BYTES))],
      refusedFile("units.0.files", "too_many_files"),
    ],
    [
      "a renamed executable .jpg",
      [request, file("units.0.files", "photo.jpg", Buffer.concat([Buffer.from("MZ"), Buffer.alloc(300, 1)]))],
      refusedFile("units.0.files"),
    ],
    [
      "an ELF program as .pdf",
      [request, file("units.0.files", "manual.pdf", Buffer.concat([Buffer.from("\x7fELF", "latin1"), Buffer.alloc(300, 2)]))],
      refusedFile("units.0.files"),
    ],
    [
      "an HTML page as .txt",
      [request, file("units.0.files", "notes.txt", `<!DOCTYPE html><html>${SCRIPT}</html>`)],
      refusedFile("units.0.files"),
    ],
    [
      "an SVG with a script",
      [request, file("units.0.files", "x.svg", `<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"/>`)],
      refusedFile("units.0.files"),
    ],
    [
      "binary of no accepted type",
      [request, file("units.0.files", "dump.bin", Buffer.from([0, 1, 2, 3, 0xfe, 0xff, 0, 9]))],
      refusedFile("units.0.files"),
    ],
    ["an empty file", [request, file("units.0.files", "empty.png", Buffer.alloc(0))], refusedFile("units.0.files")],
    [
      "a file for unit 7 of a request of one unit",
      [request, file("units.7.files", "a.png", PNG_BYTES)],
      invalid("units.7.files"),
    ],
    ["a file for unit 99", [request, file("units.99.files", "a.png", PNG_BYTES)], invalid("units.99.files")],
    ["files in a part named files", [request, file("files", "a.png", PNG_BYTES)], invalid("files")],
    ["no request part", [file("units.0.files", "a.png", PNG_BYTES)], invalid("request")],
    [
      "request not JSON",
      [{ name: "request", content: "{contact:" }, file("units.0.files", "a.png", PNG_BYTES)],
      { status: 400, code: "invalid_json", fields: ["request"] },
    ],
    [
      "request with the email missing",
      [{ name: "request", content: JSON.stringify(setPath(base, "contact.email", undefined)) }],
      invalid("contact.email"),
    ],
    [
      "request with a script as serial",
      [{ name: "request", content: JSON.stringify(setPath(base, "units.0.serialNumber", SCRIPT)) }],
      serialField(SCRIPT),
    ],
    ["an unexpected field", [request, { name: "admin", content: "1" }], invalid("admin")],
    ["request sent as a file", [file("request", "request.json", JSON.stringify(base))], invalid("request")],
    ["Idempotency-Key with SQL", [request], BAD_KEY, { "idempotency-key": "'; DROP TABLE rmas --" }],
  ];
  for (const [name, parts, expected, extra] of apiCases) {
    cases.push({
      target: "POST /api/rma-requests (multipart)",
      name,
      method: "POST",
      path: "/api/rma-requests",
      headers: { ...headers, ...extra },
      body: multipartBody(parts),
      expected,
    });
  }
  cases.push({
    target: "POST /api/rma-requests (multipart)",
    name: "a body cut before its closing boundary",
    method: "POST",
    path: "/api/rma-requests",
    headers,
    body: multipartBody([request, file("units.0.files", "a.png", PNG_BYTES)], false).subarray(0, 600),
    expected: { status: 400, code: "invalid_multipart" },
  });
  cases.push({
    target: "POST /api/rma-requests (multipart)",
    name: "no Origin",
    method: "POST",
    path: "/api/rma-requests",
    headers: { "content-type": headers["content-type"] },
    body: multipartBody([request]),
    expected: CROSS_SITE,
  });
  // The page: its fields one by one, a unit's files after them; refused, the form comes back as HTML.
  const fields = Object.entries(toForm(base)).map(([name, content]): Part => ({ name, content }));
  const pageCases: [string, Part[], number][] = [
    [
      "a renamed executable .jpg",
      [...fields, file("units.0.files", "photo.jpg", Buffer.concat([Buffer.from("MZ"), Buffer.alloc(300, 1)]))],
      422,
    ],
    [
      "six files for one unit",
      [...fields, ...Array.from({ length: 6 }, (_, i) => file("units.0.files", `p${i}.png`, PNG_BYTES))],
      422,
    ],
    ["a file for unit 5 of one unit", [...fields, file("units.5.files", "a.png", PNG_BYTES)], 422],
    [
      `a file named ${SCRIPT}`,
      [...fields, file("units.0.files", `${SCRIPT}.exe`, Buffer.concat([Buffer.from("MZ"), Buffer.alloc(300, 1)]))],
      422,
    ],
  ];
  for (const [name, parts, status] of pageCases) {
    cases.push({
      target: "POST /rma/new (page form, multipart)",
      name,
      method: "POST",
      path: "/rma/new",
      headers,
      body: multipartBody(parts),
      expected: { status },
    });
  }
  return cases;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
