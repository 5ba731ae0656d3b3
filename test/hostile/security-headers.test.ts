/**
 * The security headers on every kind of response the built Worker gives: static files, pages rendered on
 * demand, API JSON, redirects, and errors (404, 403, 413, 415, 422, 503) from the API, the pages and
 * Astro itself. Each must carry a Content-Security-Policy whose scripts exclude 'unsafe-inline',
 * X-Content-Type-Options nosniff, a Referrer-Policy, and frame protection.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../db/sqld.ts";
import { report } from "../support/figures.ts";
import { type PageFixtures, pageFixtures, pageTargets, visitorHeaders } from "../support/pages.ts";
import { freshUnits, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

let f: PageFixtures;
const stack = useStack();
beforeAll(async () => {
  f = await pageFixtures(stack.worker.url, stack.db.url, freshUnits(2));
});

/** What is wrong with a response's security headers (nothing: an empty list). */
function headerProblems(h: Headers): string[] {
  const problems: string[] = [];
  const csp = h.get("content-security-policy");
  if (!csp) problems.push("no Content-Security-Policy");
  else {
    const directives = new Map(
      csp.split(";").map((d) => {
        const [name = "", ...values] = d.trim().split(/\s+/);
        return [name.toLowerCase(), values] as const;
      }),
    );
    const scripts = directives.get("script-src") ?? directives.get("default-src");
    if (!scripts) problems.push("CSP without script-src or default-src");
    else if (scripts.some((v) => ["'unsafe-inline'", "'unsafe-eval'", "*", "data:"].includes(v)))
      problems.push(`script-src ${scripts.join(" ")}`);
    if (!directives.has("frame-ancestors") && !h.get("x-frame-options")) problems.push("no frame protection");
  }
  if (h.get("x-content-type-options") !== "nosniff") problems.push("no X-Content-Type-Options: nosniff");
  const referrer = h.get("referrer-policy");
  if (!referrer || ["unsafe-url", "no-referrer-when-downgrade"].includes(referrer)) problems.push(`Referrer-Policy ${referrer}`);
  const frame = h.get("x-frame-options");
  if (frame && !["DENY", "SAMEORIGIN"].includes(frame.toUpperCase())) problems.push(`X-Frame-Options ${frame}`);
  return problems;
}

interface Probe {
  kind: string;
  name: string;
  path: string;
  init?: RequestInit;
  status: number;
}

function probes(): Probe[] {
  const asset = readdirSync(join(ROOT, "dist", "client", "_astro")).find((x) => x.endsWith(".js"));
  const form = { "content-type": "application/x-www-form-urlencoded", origin: stack.worker.url };
  const json = { "content-type": "application/json" };
  const pages: Probe[] = pageTargets()
    .filter((p) => p.path && !p.open)
    .map((p) => ({
      kind: { static: "static page", "on-demand": "page rendered on demand", staff: "staff page" }[p.kind],
      name: p.name,
      path: p.path?.(f) ?? "/",
      init: { headers: visitorHeaders(p, f) },
      status: p.status ?? 200,
    }));
  return [
    ...pages,
    { kind: "static file", name: "favicon", path: "/favicon.svg", status: 200 },
    { kind: "static file", name: "the form's script", path: `/_astro/${asset}`, status: 200 },
    { kind: "static file", name: "serial label image", path: "/images/serial-label.svg", status: 200 },
    { kind: "API JSON", name: "health", path: "/api/health", status: 200 },
    { kind: "API JSON", name: "serial check", path: "/api/serials/CE104521", status: 200 },
    {
      kind: "API JSON",
      name: "lookup",
      path: "/api/rmas/lookup",
      init: { method: "POST", headers: json, body: JSON.stringify({ rmaNumber: f.rmaNumber, email: f.email }) },
      status: 200,
    },
    {
      kind: "redirect",
      name: "status form found the RMA",
      path: "/status",
      init: { method: "POST", headers: form, body: new URLSearchParams({ rmaNumber: f.rmaNumber, email: f.email }).toString() },
      status: 303,
    },
    { kind: "API error", name: "unknown endpoint", path: "/api/nothing-here", status: 404 },
    {
      kind: "API error",
      name: "validation",
      path: "/api/rma-requests",
      init: { method: "POST", headers: json, body: "{}" },
      status: 422,
    },
    {
      kind: "API error",
      name: "cross-site form post",
      path: "/api/rma-requests",
      init: { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=1" },
      status: 403,
    },
    {
      kind: "API error",
      name: "body too large",
      path: "/api/rma-requests",
      init: { method: "POST", headers: json, body: "x".repeat(70_000) },
      status: 413,
    },
    {
      kind: "API error",
      name: "wrong content type",
      path: "/api/rmas/lookup",
      init: { method: "POST", headers: { "content-type": "text/xml" }, body: "<a/>" },
      status: 415,
    },
    { kind: "API error", name: "tampered link", path: `/api/rmas/${f.rmaNumber}?t=${"B".repeat(22)}`, status: 403 },
    { kind: "API error", name: "path Astro does not route", path: "/api/serials/%0A", status: 404 },
    {
      kind: "page error",
      name: "cross-site form post",
      path: "/status",
      init: { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=1" },
      status: 403,
    },
    {
      kind: "page error",
      name: "form sent as JSON",
      path: "/status",
      init: { method: "POST", headers: { ...json, origin: stack.worker.url }, body: "{}" },
      status: 415,
    },
    {
      kind: "page error",
      name: "form with errors",
      path: "/rma/new",
      init: { method: "POST", headers: form, body: "intent=submit" },
      status: 422,
    },
    {
      kind: "page error",
      name: "status form, no such RMA",
      path: "/status",
      init: {
        method: "POST",
        headers: form,
        body: new URLSearchParams({ rmaNumber: f.rmaNumber, email: "x@example.com" }).toString(),
      },
      status: 404,
    },
    {
      kind: "page error",
      name: "confirmation link not valid",
      path: `/rma/requests/${f.requestId}?t=${"C".repeat(22)}`,
      status: 404,
    },
  ];
}

async function check(p: Probe) {
  const res = await fetch(`${stack.worker.url}${p.path}`, { redirect: "manual", ...p.init });
  await res.arrayBuffer();
  return { ...p, got: res.status, problems: headerProblems(res.headers), csp: res.headers.get("content-security-policy") ?? "" };
}

describe("security headers on every kind of response", () => {
  it("are on static files, on-demand pages, API JSON, redirects and every error, including 503 while sqld is down", async () => {
    const results = [];
    for (const p of probes()) results.push(await check(p));
    await stack.db.kill();
    try {
      results.push(await check({ kind: "page error", name: "database down (request form)", path: "/rma/new", status: 503 }));
      results.push(await check({ kind: "page error", name: "database down (RMA page)", path: f.rmaLink, status: 503 }));
      results.push(await check({ kind: "API error", name: "database down", path: "/api/health", status: 503 }));
    } finally {
      await stack.db.restart();
    }
    const byKind = new Map<string, string[]>();
    for (const r of results)
      byKind.set(r.kind, [
        ...(byKind.get(r.kind) ?? []),
        `${r.name} ${r.got}${r.problems.length ? ` ✗ ${r.problems.join(", ")}` : " ✓"}`,
      ]);
    report(`security headers on ${results.length} responses`, {
      ...Object.fromEntries([...byKind].map(([k, v]) => [k, v.join("; ")])),
      "Content-Security-Policy": [...new Set(results.map((r) => r.csp))].join(" | "),
    });
    for (const r of results) {
      expect(r.got, `${r.kind}: ${r.name}`).toBe(r.status);
      expect(r.problems, `${r.kind}: ${r.name}`).toEqual([]);
    }
  }, 120_000);

  it("do not break the request form's script (served from the site's own files)", async () => {
    const res = await fetch(`${stack.worker.url}/rma/new`);
    const html = await res.text();
    expect(html).toMatch(/<script type="module" src="\/_astro\/[^"]+\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    // A POST to the form from this site is not refused by the cross-site check.
    const post = await fetch(`${stack.worker.url}/rma/new`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: stack.worker.url },
      body: new URLSearchParams({
        intent: "check",
        "units.0.serialNumber": requestBody(freshUnits(1)).units[0]?.serialNumber ?? "",
      }).toString(),
    });
    expect(post.status).toBe(200);
  });
});
