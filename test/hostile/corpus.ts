/**
 * A generated corpus of bad input for every public endpoint and form: each case is one raw HTTP request
 * that must be refused with a 4xx. Built from a valid request by one mutation at a time (wrong types,
 * missing and extra fields, over-long text, control characters, SQL fragments, script payloads, path
 * tricks), plus whole-body attacks (1 MB, deep nesting, invalid UTF-8, wrong encodings).
 */
import { requestBody } from "../support/requests.ts";

export type Target =
  | "POST /api/rma-requests (JSON)"
  | "POST /api/rma-requests (form)"
  | "GET /api/serials/{serial}"
  | "POST /api/rmas/lookup"
  | "GET /api/rmas/{n}?t="
  | "POST /api/rmas/{n}/cancel"
  | "POST /rma/new (page form)"
  | "POST /status (page form)"
  | "POST /rma/{n}?t= (page cancel form)"
  | "GET /rma/{n}, /print, /rma/requests/{id} (pages)";

export interface Case {
  target: Target;
  name: string;
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface CorpusContext {
  origin: string;
  /** A registered unit with no open RMA (the base of request bodies; every case must still be refused). */
  unit: { serialNumber: string; model: string };
  /** An RMA that may be cancelled, with its signed-link token and its customer's email. */
  rma: { number: string; token: string; email: string };
  /** Another customer's RMA, with its own token. */
  other: { number: string; token: string; email: string };
}

/** Payloads whose markers the page checks look for unescaped in the answer. */
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
  const requestCases: [string, Json | string | Buffer][] = [];
  for (const p of REQUIRED) requestCases.push([`${p} missing`, setPath(base, p, undefined)]);
  for (const p of [...REQUIRED, ...OPTIONAL]) {
    for (const [label, value] of WRONG_TYPES) {
      if (p === "units" && label === "a list") continue; // a list of strings: covered by units.0 below
      if (p === "acceptTerms" && value === true) continue; // the one valid value
      requestCases.push([`${p} is ${label}`, setPath(base, p, value)]);
    }
  }
  for (const [p, max] of Object.entries(MAX_LENGTH)) {
    requestCases.push([`${p} one character too long`, setPath(base, p, "x".repeat(max + 1))]);
  }
  requestCases.push(["contact.name of 60 000 characters", setPath(base, "contact.name", "N".repeat(60_000))]);
  for (const [i, c] of CONTROL.entries()) {
    const p =
      ["contact.name", "contact.email", "units.0.issueDescription", "units.0.serialNumber", "returnAddress.city"][i] ?? "";
    const v = p === "units.0.issueDescription" ? `${"The camera stops streaming after ten minutes "}${c}` : `Anna${c}`;
    requestCases.push([`${p} with control character ${JSON.stringify(c)}`, setPath(base, p, v)]);
  }
  requestCases.push([
    "returnAddress.street over two lines",
    setPath(base, "returnAddress.street", "Via Roma 1\r\nSet-Cookie: x=1"),
  ]);
  for (const s of SQL) {
    requestCases.push([`serial number ${s}`, setPath(base, "units.0.serialNumber", `${ctx.unit.serialNumber}${s}`)]);
    requestCases.push([`email ${s}`, setPath(base, "contact.email", `a${s}@example.com`)]);
  }
  requestCases.push(["phone with SQL", setPath(base, "contact.phone", "1; DROP TABLE rmas")]);
  requestCases.push(["purchase date with SQL", setPath(base, "units.0.purchaseDate", "2024-01-01' --")]);
  requestCases.push(["model with SQL", setPath(base, "units.0.model", `${ctx.unit.model}' OR 1=1 --`)]);
  for (const x of [SCRIPT, ONERROR]) {
    requestCases.push([`serial number ${x}`, setPath(base, "units.0.serialNumber", x)]);
    requestCases.push([`email ${x}`, setPath(base, "contact.email", x)]);
    requestCases.push([`model ${x}`, setPath(base, "units.0.model", x)]);
    requestCases.push([
      `name ${x} without the accepted terms`,
      setPath(setPath(base, "contact.name", x), "acceptTerms", undefined),
    ]);
  }
  for (const [label, value] of [
    ['"true" as text', "true"],
    ["1", 1],
    ["false", false],
  ] as [string, unknown][]) {
    requestCases.push([`acceptTerms ${label}`, setPath(base, "acceptTerms", value)]);
  }
  requestCases.push(["units empty", setPath(base, "units", [])]);
  requestCases.push([
    "21 units",
    setPath(
      base,
      "units",
      Array.from({ length: 21 }, () => (base["units"] as Json[])[0]),
    ),
  ]);
  requestCases.push([
    "the same serial twice",
    setPath(base, "units", [(base["units"] as Json[])[0], (base["units"] as Json[])[0]]),
  ]);
  requestCases.push(["a purchase date that is not a date", setPath(base, "units.0.purchaseDate", "2024-02-30")]);
  requestCases.push(["a description of 29 characters", setPath(base, "units.0.issueDescription", "x".repeat(29))]);
  requestCases.push(["an unknown serial without invoice", setPath(base, "units.0.serialNumber", "ZZ999999")]);
  requestCases.push(["extra top-level field", { ...base, status: "authorized" }]);
  requestCases.push(["extra contact field", setPath(base, "contact.role", "admin")]);
  requestCases.push(["extra unit field", setPath(base, "units.0.warrantyCovered", true)]);
  requestCases.push(["__proto__ key", `{"__proto__":{"admin":true},${JSON.stringify(base).slice(1)}`]);
  for (const [label, text] of [
    ["a list", "[]"],
    ["a string", '"request"'],
    ["a number", "42"],
    ["null", "null"],
    ["an empty object", "{}"],
    ["empty", ""],
    ["truncated", JSON.stringify(base).slice(0, 80)],
    ["with a trailing comma", `${JSON.stringify(base).slice(0, -1)},}`],
    ["with single quotes", "{'contact': 1}"],
    ["with NaN", '{"acceptTerms": NaN}'],
    ["with a comment", "/* hi */ {}"],
    ["with a NUL before it", `\u0000${JSON.stringify(base)}`],
    ["20 000 nested lists", deepArray(20_000)],
    ["10 000 nested objects", deepObject(10_000)],
    [
      "contact nested 5 000 deep",
      JSON.stringify(base)
        .replace('"contact":{', `"contact":${'{"a":'.repeat(5000)}{`)
        .replace(/}$/, "}".repeat(5001)),
    ],
    ["1 MB description", JSON.stringify(setPath(base, "units.0.issueDescription", "d".repeat(MB)))],
    ["1 MB of nesting", deepArray(MB / 2)],
  ] as [string, string][]) {
    requestCases.push([`body ${label}`, text]);
  }
  for (const [label, bad] of INVALID_UTF8) {
    const text = JSON.stringify(setPath(base, "contact.name", "@@BAD@@"));
    const [before, after] = text.split("@@BAD@@") as [string, string];
    requestCases.push([`name with ${label}`, splice(before, bad, after)]);
  }
  for (const [name, body] of requestCases) {
    add({
      target: "POST /api/rma-requests (JSON)",
      name,
      method: "POST",
      path: "/api/rma-requests",
      headers: json,
      body: asBody(body),
    });
  }
  for (const [label, type] of [
    ["text/plain", "text/plain"],
    ["application/xml", "application/xml"],
    ["multipart/form-data", "multipart/form-data; boundary=x"],
  ] as const) {
    add({
      target: "POST /api/rma-requests (JSON)",
      name: `sent as ${label}`,
      method: "POST",
      path: "/api/rma-requests",
      headers: { "content-type": type, origin: ctx.origin },
      body: JSON.stringify(base),
    });
  }
  add({
    target: "POST /api/rma-requests (JSON)",
    name: "no content type and no Origin",
    method: "POST",
    path: "/api/rma-requests",
    headers: {},
    body: JSON.stringify(base),
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
      body: JSON.stringify(setPath(base, "acceptTerms", undefined)),
    });
  }

  // ── The same endpoint and the request page, with the form's encoding.
  const baseForm = toForm(base);
  const formCases: [string, string | Buffer][] = [];
  for (const p of REQUIRED.filter((x) => !["contact", "returnAddress", "units"].includes(x))) {
    const f = { ...baseForm };
    delete f[p];
    formCases.push([`${p} missing`, encodeForm(f)]);
  }
  for (const [p, max] of Object.entries(MAX_LENGTH))
    formCases.push([`${p} too long`, encodeForm({ ...baseForm, [p]: "y".repeat(max + 1) })]);
  for (const c of CONTROL)
    formCases.push([`name with ${JSON.stringify(c)}`, encodeForm({ ...baseForm, "contact.name": `Anna${c}` })]);
  for (const x of [SCRIPT, ONERROR, ...SQL]) {
    formCases.push([`serial ${x.slice(0, 24)}`, encodeForm({ ...baseForm, "units.0.serialNumber": x })]);
    formCases.push([`email ${x.slice(0, 24)}`, encodeForm({ ...baseForm, "contact.email": x })]);
  }
  formCases.push(["acceptTerms no", encodeForm({ ...baseForm, acceptTerms: "no" })]);
  formCases.push([
    "units.100 only",
    encodeForm(Object.fromEntries(Object.entries(baseForm).map(([k, v]) => [k.replace("units.0.", "units.100."), v]))),
  ]);
  formCases.push([
    "idempotencyKey with SQL",
    encodeForm({ ...baseForm, acceptTerms: "", idempotencyKey: "'; DROP TABLE rmas --" }),
  ]);
  formCases.push(["1 MB", encodeForm({ ...baseForm, "units.0.issueDescription": "z".repeat(MB) })]);
  formCases.push(["a JSON body under the form's type", JSON.stringify(base)]);
  for (const [label, bad] of INVALID_UTF8.slice(0, 3)) {
    const text = encodeForm({ ...baseForm, "contact.name": "@@BAD@@" });
    const [before, after] = text.split("%40%40BAD%40%40") as [string, string];
    formCases.push([`name with ${label}`, splice(before, bad, after)]);
  }
  for (const [name, body] of formCases) {
    add({ target: "POST /api/rma-requests (form)", name, method: "POST", path: "/api/rma-requests", headers: page, body });
    add({ target: "POST /rma/new (page form)", name, method: "POST", path: "/rma/new", headers: page, body });
  }
  add({
    target: "POST /api/rma-requests (form)",
    name: "no Origin",
    method: "POST",
    path: "/api/rma-requests",
    headers: form,
    body: encodeForm({ ...baseForm, acceptTerms: "" }),
  });
  for (const [label, headers] of [
    ["no Origin", form],
    ["another site's Origin", { ...form, origin: "https://evil.example" }],
    ["sent as JSON", { "content-type": "application/json", origin: ctx.origin }],
    ["sent as text/plain", { "content-type": "text/plain", origin: ctx.origin }],
  ] as [string, Record<string, string>][]) {
    add({
      target: "POST /rma/new (page form)",
      name: label,
      method: "POST",
      path: "/rma/new",
      headers,
      body: encodeForm(baseForm),
    });
  }

  // ── GET /api/serials/{serial}
  for (const s of [
    "abc",
    "A".repeat(33),
    "-CE104521",
    "CE%20104%20521%20!",
    "ZZ999999",
    ...pathTricks(ctx.unit.serialNumber),
    encodeURIComponent(ONERROR),
    encodeURIComponent(SQL[1] ?? ""),
    "%E2%80%AE1254CE",
    "%C0%AF",
  ]) {
    add({ target: "GET /api/serials/{serial}", name: s.slice(0, 40), method: "GET", path: `/api/serials/${s}`, headers: {} });
  }

  // ── POST /api/rmas/lookup (each from its own client address: the lookup limit is per address)
  const lookup = { rmaNumber: ctx.rma.number, email: ctx.rma.email };
  const lookupCases: [string, Json | string | Buffer][] = [
    ["rmaNumber missing", { email: lookup.email }],
    ["email missing", { rmaNumber: lookup.rmaNumber }],
    ["another customer's email", { ...lookup, email: ctx.other.email }],
    ["the other RMA with this customer's email", { ...lookup, rmaNumber: ctx.other.number }],
    ["a wrong check letter", { ...lookup, rmaNumber: lookup.rmaNumber.replace(/.$/, (c) => (c === "A" ? "B" : "A")) }],
    ["an extra field", { ...lookup, admin: true }],
    ["rmaNumber of 41 characters", { ...lookup, rmaNumber: "R".repeat(41) }],
    ["email of 255 characters", { ...lookup, email: `${"e".repeat(243)}@example.com` }],
    ["email in capitals with spaces of another customer", { ...lookup, email: ` ${ctx.other.email.toUpperCase()} ` }],
    ["body a list", "[]"],
    ["body 1 MB", JSON.stringify({ ...lookup, email: "m".repeat(MB) })],
    ["body 20 000 nested lists", deepArray(20_000)],
    ["body not JSON", "rmaNumber=1"],
    ["email with 0xFF", splice(`{"rmaNumber":"${lookup.rmaNumber}","email":"`, Buffer.from([0xff]), '"}')],
  ];
  for (const [label, value] of WRONG_TYPES) {
    lookupCases.push([`rmaNumber is ${label}`, { ...lookup, rmaNumber: value }]);
    lookupCases.push([`email is ${label}`, { ...lookup, email: value }]);
  }
  for (const x of [SCRIPT, ONERROR, ...SQL, ...CONTROL.map((c) => `RMA-26-0${c}`)]) {
    lookupCases.push([`rmaNumber ${JSON.stringify(x.slice(0, 24))}`, { ...lookup, rmaNumber: x }]);
    lookupCases.push([`email ${JSON.stringify(x.slice(0, 24))}`, { ...lookup, email: `x${x}@example.com` }]);
  }
  for (const [name, body] of lookupCases) {
    add({
      target: "POST /api/rmas/lookup",
      name,
      method: "POST",
      path: "/api/rmas/lookup",
      headers: json,
      body: asBody(body),
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
  for (const [name, rest] of tokenCases) {
    add({ target: "GET /api/rmas/{n}?t=", name, method: "GET", path: `/api/rmas/${rest}`, headers: {} });
  }
  for (const [name, rest] of pageTokenCases) {
    add({
      target: "GET /rma/{n}, /print, /rma/requests/{id} (pages)",
      name: `RMA page, ${name}`,
      method: "GET",
      path: `/rma/${rest}`,
      headers: {},
    });
    const [n, q] = rest.split("?");
    add({
      target: "GET /rma/{n}, /print, /rma/requests/{id} (pages)",
      name: `print page, ${name}`,
      method: "GET",
      path: `/rma/${n}/print${q === undefined ? "" : `?${q}`}`,
      headers: {},
    });
  }
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
    });
  }

  // ── POST /api/rmas/{n}/cancel and the RMA page's cancel form: bad reasons on a cancellable RMA must
  //    change nothing; other customers' emails and tampered tokens are refused.
  const cancelPath = `/api/rmas/${ctx.rma.number}/cancel`;
  const reason = "We found the fault was a loose cable, sorry.";
  const cancelCases: [string, Json | string | Buffer, string?][] = [
    ["reason missing", { email: ctx.rma.email }],
    ["reason too short", { email: ctx.rma.email, reason: "abc" }],
    ["reason of 1 001 characters", { email: ctx.rma.email, reason: "r".repeat(1001) }],
    ["reason with NUL", { email: ctx.rma.email, reason: `${reason}\u0000` }],
    ["reason with an escape sequence", { email: ctx.rma.email, reason: `\u001b[2J${reason}` }],
    ["reason is a number", { email: ctx.rma.email, reason: 12345 }],
    ["reason is a list", { email: ctx.rma.email, reason: [reason] }],
    ["neither email nor token", { reason }],
    ["another customer's email", { email: ctx.other.email, reason }],
    ["a tampered token", { t: flip(ctx.rma.token), reason }],
    ["another RMA's token", { t: ctx.other.token, reason }],
    ["a 65-character token", { t: "t".repeat(65), reason }],
    ["an extra field", { email: ctx.rma.email, reason, status: "cancelled" }],
    ["email of SQL", { email: SQL[0], reason }],
    ["body 1 MB", JSON.stringify({ email: ctx.rma.email, reason: "c".repeat(MB) })],
    ["body not JSON", "{reason:"],
    ["body nested 20 000 deep", deepArray(20_000)],
    ["reason with 0xFF", splice(`{"email":"${ctx.rma.email}","reason":"${reason}`, Buffer.from([0xff]), '"}')],
    ...pathTricks(ctx.rma.number).map((n): [string, Json, string] => [
      `number ${n.slice(0, 30)}`,
      { email: ctx.rma.email, reason },
      n,
    ]),
    ["the other RMA with this customer's email", { email: ctx.rma.email, reason }, ctx.other.number],
  ];
  for (const [name, body, n] of cancelCases) {
    add({
      target: "POST /api/rmas/{n}/cancel",
      name,
      method: "POST",
      path: n ? `/api/rmas/${n}/cancel` : cancelPath,
      headers: json,
      body: asBody(body),
    });
  }
  add({
    target: "POST /api/rmas/{n}/cancel",
    name: "as a cross-site form",
    method: "POST",
    path: cancelPath,
    headers: form,
    body: `email=${ctx.rma.email}&reason=${reason}`,
  });
  const pageCancel = `/rma/${ctx.rma.number}?t=${ctx.rma.token}`;
  const pageCancelCases: [string, string | Buffer, Record<string, string>?, string?][] = [
    ["reason missing", ""],
    ["reason too short", "reason=abc"],
    ["reason of 1 001 characters", `reason=${"r".repeat(1001)}`],
    ["reason with NUL", `reason=${encodeURIComponent(`${reason}\u0000`)}`],
    ["reason with a bell", `reason=${encodeURIComponent(`\u0007${reason}`)}`],
    ["reason of 1 MB", `reason=${"q".repeat(MB)}`],
    ["reason with 0xFF", splice("reason=", Buffer.from([0xff]), reason)],
    ["sent as JSON", JSON.stringify({ reason }), { "content-type": "application/json", origin: ctx.origin }],
    ["without Origin", `reason=${encodeURIComponent(reason)}`, form],
    ["from another site", `reason=${encodeURIComponent(reason)}`, { ...form, origin: "https://evil.example" }],
    ["with a tampered token", `reason=${encodeURIComponent(reason)}`, page, `/rma/${ctx.rma.number}?t=${flip(ctx.rma.token)}`],
    ["with another RMA's token", `reason=${encodeURIComponent(reason)}`, page, `/rma/${ctx.rma.number}?t=${ctx.other.token}`],
    ...pathTricks(ctx.rma.number).map((n): [string, string, Record<string, string>, string] => [
      `number ${n.slice(0, 30)}`,
      `reason=${encodeURIComponent(reason)}`,
      page,
      `/rma/${n}?t=${ctx.rma.token}`,
    ]),
  ];
  for (const [name, body, headers, path] of pageCancelCases) {
    add({
      target: "POST /rma/{n}?t= (page cancel form)",
      name,
      method: "POST",
      path: path ?? pageCancel,
      headers: headers ?? page,
      body,
    });
  }

  // ── POST /status
  const statusCases: [string, string | Buffer, Record<string, string>?][] = [
    ["both missing", ""],
    ["email missing", `rmaNumber=${ctx.rma.number}`],
    ["another customer's email", encodeForm({ rmaNumber: ctx.rma.number, email: ctx.other.email })],
    [
      "a wrong check letter",
      encodeForm({ rmaNumber: ctx.rma.number.replace(/.$/, (c) => (c === "A" ? "B" : "A")), email: ctx.rma.email }),
    ],
    ["rmaNumber of 41 characters", encodeForm({ rmaNumber: "9".repeat(41), email: ctx.rma.email })],
    ["email of 255 characters", encodeForm({ rmaNumber: ctx.rma.number, email: `${"e".repeat(243)}@example.com` })],
    ["1 MB", encodeForm({ rmaNumber: ctx.rma.number, email: "m".repeat(MB) })],
    ["email with 0xFF", splice(`rmaNumber=${ctx.rma.number}&email=`, Buffer.from([0xff]), "@example.com")],
    [
      "sent as JSON",
      JSON.stringify({ rmaNumber: ctx.rma.number, email: ctx.rma.email }),
      { "content-type": "application/json", origin: ctx.origin },
    ],
    ["without Origin", encodeForm({ rmaNumber: ctx.rma.number, email: ctx.rma.email }), form],
  ];
  for (const x of [SCRIPT, ONERROR, ...SQL, ...CONTROL, ...pathTricks(ctx.rma.number).map(decodeURIComponentSafe)]) {
    statusCases.push([`rmaNumber ${JSON.stringify(x.slice(0, 24))}`, encodeForm({ rmaNumber: x, email: ctx.rma.email })]);
    statusCases.push([`email ${JSON.stringify(x.slice(0, 24))}`, encodeForm({ rmaNumber: ctx.rma.number, email: x })]);
  }
  for (const [name, body, headers] of statusCases) {
    add({ target: "POST /status (page form)", name, method: "POST", path: "/status", headers: headers ?? page, body });
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
