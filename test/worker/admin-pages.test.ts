/** The admin pages in the built Worker (workerd) against sqld: sessions, cross-site form posts, the registry import. */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from "../../db/seed.ts";
import { ROOT } from "../../db/sqld.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

let cookie: string;

const stack = useStack();
beforeAll(async () => {
  const res = await post("/admin/login", { email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD, next: "/admin" });
  expect(res.status).toBe(303);
  const setCookie = res.headers.get("set-cookie") ?? "";
  expect(setCookie).toMatch(/^rma_staff=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/);
  cookie = setCookie.split(";")[0] ?? "";
});

function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${stack.worker.url}${path}`, {
    method: "POST",
    headers: { origin: stack.worker.url, "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
}
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.worker.url}${path}`, { headers, redirect: "manual" });

/** Every admin page in src/pages/admin, as a path to request. */
function adminPages(): string[] {
  const dir = join(ROOT, "src", "pages", "admin");
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(dir)
    .filter((f) => f.endsWith(".astro") && !f.endsWith("login.astro"))
    .map((f) =>
      `/admin/${relative(dir, f)
        .replace(/\.astro$/, "")
        .replace(/(^|\/)index$/, "")
        .replace("[number]", "RMA-26-000000-A")}`.replace(/\/$/, ""),
    );
}

async function newRma(): Promise<string> {
  return (await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)))).rmaNumbers[0] ?? "";
}

describe("admin pages without a session", () => {
  it("send every page to the sign-in page, remembering where it was going", async () => {
    const pages = adminPages();
    expect(pages).toEqual(
      expect.arrayContaining(["/admin", "/admin/registry", "/admin/outbox", "/admin/settings", "/admin/rma/RMA-26-000000-A"]),
    );
    for (const path of pages) {
      for (const headers of [{}, { cookie: `rma_staff=${"A".repeat(43)}` }]) {
        const res = await get(path, headers);
        expect(res.status, path).toBe(303);
        expect(res.headers.get("location"), path).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
      }
    }
  });

  it("refuse a form post without a session too, changing nothing", async () => {
    const n = await newRma();
    const res = await post(`/admin/rma/${n}`, { action: "authorize", version: "1" });
    expect(res.status).toBe(303);
    const [row] = await stack.db.query("SELECT status FROM rmas WHERE rma_number = ?", [n]);
    expect(row?.["status"]).toBe("requested");
  });

  it("never sends to another site after signing in", async () => {
    const res = await post("/admin/login", {
      email: DEMO_ADMIN_EMAIL,
      password: DEMO_ADMIN_PASSWORD,
      next: "https://evil.example/",
    });
    expect(res.headers.get("location")).toBe("/admin");
  });
});

describe("cross-site requests", () => {
  it("refuse a form posted to an admin page from another site, even with the staff cookie", async () => {
    const n = await newRma();
    const res = await post(`/admin/rma/${n}`, { action: "authorize", version: "1" }, { cookie, origin: "https://evil.example" });
    expect(res.status).toBe(403);
    const settings = await post("/admin/settings", { autoAuthorize: "on" }, { cookie, origin: "https://evil.example" });
    expect(settings.status).toBe(403);
    const [row] = await stack.db.query("SELECT status FROM rmas WHERE rma_number = ?", [n]);
    expect(row?.["status"]).toBe("requested");
    expect(await stack.db.query("SELECT * FROM settings")).toEqual([]);
  });

  it("refuse a JSON request to the staff API from another site", async () => {
    const n = await newRma();
    const res = await fetch(`${stack.worker.url}/api/admin/rmas/${n}/authorize`, {
      method: "POST",
      headers: { cookie, origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ version: 1 }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("cross_site_forbidden");
  });

  it("take the same form from the portal's own page", async () => {
    const n = await newRma();
    const res = await post(`/admin/rma/${n}`, { action: "authorize", version: "1" }, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/rma/${n}?done=authorized`);
    const [row] = await stack.db.query("SELECT status FROM rmas WHERE rma_number = ?", [n]);
    expect(row?.["status"]).toBe("authorized");
  });

  it("answer a stale version with the conflict message on the page", async () => {
    const n = await newRma();
    await post(`/admin/rma/${n}`, { action: "authorize", version: "1" }, { cookie });
    const res = await post(
      `/admin/rma/${n}`,
      { action: "cancel", version: "1", "cancel.reason": "Customer asked by email." },
      { cookie },
    );
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("was changed by someone else since you loaded it (it is now authorized)");
  });
});

describe("the registry page without JavaScript", () => {
  const csv = "serial_number,model,purchase_date\nPG000001,Vega V640,2026-01-10\nPG000002,Vega V640,2026-13-01\n";
  const count = async () => Number((await stack.db.query("SELECT count(*) n FROM products"))[0]?.["n"]);

  it("previews a pasted CSV, and cancelling writes nothing", async () => {
    const before = await count();
    const preview = await post("/admin/registry", { intent: "preview", csv }, { cookie });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain("nothing is written yet");
    expect(html).toMatch(/data-count="added"><strong>1<\/strong>/);
    expect(html).toMatch(/data-count="refused"><strong>1<\/strong>/);
    expect(html).toContain("Purchase date &quot;2026-13-01&quot; is not a date");
    const cancel = await post("/admin/registry", { intent: "cancel", csv, expectedAdded: "1", expectedChanged: "0" }, { cookie });
    expect(cancel.headers.get("location")).toBe("/admin/registry?done=import-cancelled");
    expect(await count()).toBe(before);
  });

  it("previews an uploaded file and imports it", async () => {
    const before = await count();
    const form = new FormData();
    form.set("intent", "preview");
    form.set("file", new Blob([csv], { type: "text/csv" }), "registry.csv");
    const preview = await fetch(`${stack.worker.url}/admin/registry`, {
      method: "POST",
      headers: { cookie, origin: stack.worker.url },
      body: form,
    });
    expect(await preview.text()).toContain("Import 1 row");
    const done = await post("/admin/registry", { intent: "commit", csv, expectedAdded: "1", expectedChanged: "0" }, { cookie });
    expect(done.headers.get("location")).toBe("/admin/registry?done=imported&added=1&changed=0");
    expect(await count()).toBe(before + 1);
    const page = await (await get("/admin/registry?done=imported&added=1&changed=0&q=PG", { cookie })).text();
    expect(page).toContain("Imported: 1 serial numbers added, 0 changed.");
    expect(page).toContain("PG000001");
  });
});

describe("the outbox page", () => {
  it("says plainly that no email provider is configured, and shows each email's text", async () => {
    const html = await (await get("/admin/outbox", { cookie })).text();
    expect(html).toContain("No email provider is configured (RESEND_API_KEY is not set)");
    expect(html).toContain("we have received your request");
  });
});
