/**
 * Nobody in where they do not belong, against the built Worker: every admin page and staff API route
 * without a session, with a forged cookie and with an expired one; cross-site writes with a valid one;
 * and 50 staff members recording the same parcel at once.
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { isErrorShape, report, Tally } from "../support/figures.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { signInToWorker } from "../support/staff.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack();
let cookie: string;
let rmaNumber: string;

const PAGES = ["/admin", "/admin/rma/RMA-26-000000-A", "/admin/registry", "/admin/outbox", "/admin/settings"];
const API: [string, string, unknown?][] = [
  ["GET", "/api/admin/session"],
  ["DELETE", "/api/admin/session"],
  ["GET", "/api/admin/queue"],
  ["GET", "/api/admin/lookup?q=CE"],
  ["GET", "/api/admin/registry?q=CE"],
  ["POST", "/api/admin/registry/preview", { csv: "serial_number,model,purchase_date\nXX000001,Celera C1920,2025-01-01" }],
  ["POST", "/api/admin/registry/import", { csv: "serial_number,model,purchase_date\nXX000001,Celera C1920,2025-01-01" }],
  ["GET", "/api/admin/outbox"],
  ["POST", "/api/admin/outbox/retry", {}],
  ["GET", "/api/admin/settings"],
  ["PUT", "/api/admin/settings", { autoAuthorize: true }],
  ["GET", "/api/admin/rmas/RMA-26-000000-A"],
  ["POST", "/api/admin/rmas/RMA-26-000000-A/authorize", { version: 1 }],
  ["GET", "/api/admin/no-such-route"],
];

const signIn = () => signInToWorker(stack.worker.url);

beforeAll(async () => {
  cookie = await signIn();
  rmaNumber = (await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)))).rmaNumbers[0] ?? "";
});

/** A session that was real once and has since run out (8 hours without activity). */
async function expiredCookie(): Promise<string> {
  const c = await signIn();
  const token = c.slice("rma_staff=".length);
  const hash = createHash("sha256").update(token).digest("hex");
  await stack.db.query("UPDATE staff_sessions SET expires_at = '2000-01-01T00:00:00.000Z' WHERE token_hash = ?", [hash]);
  return c;
}

describe("the staff desk refuses whoever has no valid session", () => {
  it("on every page, every API route, with no cookie, a forged one and an expired one", async () => {
    const credentials: Record<string, string> = {
      none: "",
      forged: `rma_staff=${"A".repeat(43)}`,
      malformed: "rma_staff=../../etc/passwd",
      expired: await expiredCookie(),
    };
    const tally = new Tally();
    for (const [kind, c] of Object.entries(credentials)) {
      for (const path of PAGES) {
        const res = await fetch(`${stack.worker.url}${path}`, { headers: c ? { cookie: c } : {}, redirect: "manual" });
        tally.record(res.status);
        expect([302, 303], `${kind} ${path}`).toContain(res.status);
        expect(res.headers.get("location"), `${kind} ${path}`).toMatch(/^\/admin\/login/);
      }
      for (const [method, path, body] of API) {
        const res = await fetch(`${stack.worker.url}${path}`, {
          method,
          headers: {
            origin: stack.worker.url,
            ...(c ? { cookie: c } : {}),
            ...(body ? { "content-type": "application/json" } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        const json = await res.json();
        tally.record(res.status, json);
        expect(res.status, `${kind} ${method} ${path}`).toBe(401);
        expect(isErrorShape(json), `${kind} ${method} ${path}`).toBe(true);
      }
    }
    report("staff desk without a valid session", { answers: tally.summary() });
    expect(await stack.db.query("SELECT count(*) n FROM products WHERE serial_number = 'XX000001'")).toEqual([{ n: 0 }]);
    expect(await stack.db.query("SELECT count(*) n FROM settings")).toEqual([{ n: 0 }]);
  });

  it("refuses writes from another site even with a valid session", async () => {
    const tally = new Tally();
    for (const origin of ["https://evil.example", "null", ""]) {
      for (const [method, path, body] of API.filter(([m]) => m !== "GET")) {
        const res = await fetch(`${stack.worker.url}${path}`, {
          method,
          headers: { cookie, ...(origin ? { origin } : {}), ...(body ? { "content-type": "application/json" } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        const json = await res.json();
        tally.record(res.status, json);
        expect(res.status, `${origin || "no origin"} ${method} ${path}`).toBe(403);
        expect(isErrorShape(json)).toBe(true);
      }
      const page = await fetch(`${stack.worker.url}/admin/settings`, {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...(origin ? { origin } : {}) },
        body: "autoAuthorize=on",
        redirect: "manual",
      });
      tally.record(page.status);
      expect(page.status, `page form from ${origin || "no origin"}`).toBe(403);
    }
    report("cross-site writes with a valid session", { answers: tally.summary() });
    expect(await stack.db.query("SELECT count(*) n FROM settings")).toEqual([{ n: 0 }]);
  });

  it("answers a staff page's form that is not a form (JSON, oversized, invalid UTF-8) with a 4xx page, changing nothing", async () => {
    const post = (type: string, body: BodyInit) =>
      fetch(`${stack.worker.url}/admin/settings`, {
        method: "POST",
        headers: { cookie, origin: stack.worker.url, "content-type": type },
        body,
        redirect: "manual",
      });
    const answers = {
      json: (await post("application/json", JSON.stringify({ autoAuthorize: "on" }))).status,
      oversized: (await post("application/x-www-form-urlencoded", `autoAuthorize=on&pad=${"x".repeat(70_000)}`)).status,
      invalidUtf8: (await post("application/x-www-form-urlencoded", new Uint8Array([0x61, 0x3d, 0xff, 0xfe]))).status,
    };
    expect(answers).toEqual({ json: 415, oversized: 413, invalidUtf8: 400 });
    expect(await stack.db.query("SELECT count(*) n FROM settings")).toEqual([{ n: 0 }]);
  });
});

describe("staff acting on one RMA at once", () => {
  it("lets one of 50 simultaneous authorisations win; the others get a clear conflict", async () => {
    const [{ version } = { version: 0 }] = await stack.db.query<{ version: number }>(
      "SELECT version FROM rmas WHERE rma_number = ?",
      [rmaNumber],
    );
    const tally = new Tally();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${stack.worker.url}/api/admin/rmas/${rmaNumber}/authorize`, {
          method: "POST",
          headers: { cookie, origin: stack.worker.url, "content-type": "application/json" },
          body: JSON.stringify({ version }),
        }),
      ),
    );
    const bodies = await Promise.all(answers.map((r) => r.json()));
    for (const [i, r] of answers.entries()) tally.record(r.status, bodies[i]);
    const events = await stack.db.query<{ n: number }>(
      "SELECT count(*) n FROM rma_events WHERE rma_number = ? AND to_status = 'authorized'",
      [rmaNumber],
    );
    const mails = await stack.db.query<{ n: number }>(
      "SELECT count(*) n FROM outbox WHERE rma_number = ? AND subject LIKE 'RMA authorised%'",
      [rmaNumber],
    );
    report("50 simultaneous authorisations of one RMA", {
      answers: tally.summary(),
      "events written": events[0]?.n ?? 0,
      "emails written": mails[0]?.n ?? 0,
    });
    expect(tally.count(200)).toBe(1);
    expect(tally.count(409)).toBe(49);
    for (const body of bodies.filter((b) => isErrorShape(b))) {
      expect((body as { error: { message: string } }).error.message).toMatch(/changed by someone else|is now authori/);
    }
    expect(events[0]?.n).toBe(1);
    expect(mails[0]?.n).toBe(1);
  });

  it("records one receipt when 50 staff record the same parcel at once", async () => {
    const [{ version } = { version: 0 }] = await stack.db.query<{ version: number }>(
      "SELECT version FROM rmas WHERE rma_number = ?",
      [rmaNumber],
    );
    const tally = new Tally();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${stack.worker.url}/api/admin/rmas/${rmaNumber}/receive`, {
          method: "POST",
          headers: { cookie, origin: stack.worker.url, "content-type": "application/json" },
          body: JSON.stringify({ version, condition: `Parcel intact, scan ${i}` }),
        }),
      ),
    );
    const bodies = await Promise.all(answers.map((r) => r.json()));
    for (const [i, r] of answers.entries()) tally.record(r.status, bodies[i]);
    const events = await stack.db.query<{ n: number }>(
      "SELECT count(*) n FROM rma_events WHERE rma_number = ? AND to_status = 'received'",
      [rmaNumber],
    );
    report("50 simultaneous receipts of one parcel", { answers: tally.summary(), "receipt events": events[0]?.n ?? 0 });
    expect(tally.count(200)).toBe(1);
    expect(tally.count(409)).toBe(49);
    expect(events[0]?.n).toBe(1);
  });
});
