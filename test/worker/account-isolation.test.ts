/**
 * A customer session opens its own address's RMAs and nothing else: never the staff desk (pages or API),
 * never another address's RMA, request or unit — by number, by id, by serial, by search — and a staff
 * session is no customer session either.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from "../../db/seed.ts";
import { getPage, postJson, signInAs, siteOf } from "../support/account.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack();
const site = siteOf(stack);

let alice: { requestId: string; rmaNumbers: string[]; serials: string[]; cookie: string };
let bob: { requestId: string; rmaNumbers: string[]; serials: string[] };

async function customer(email: string) {
  const units = freshUnits(2);
  const body = requestBody(units);
  const issued = await issueThroughWorker(stack.worker.url, { ...body, contact: { ...body.contact, email } });
  return { ...issued, serials: units.map((u) => u.serialNumber) };
}

beforeAll(async () => {
  alice = { ...(await customer("alice@example.com")), cookie: "" };
  bob = await customer("bob@example.com");
  alice.cookie = await signInAs(site, stack.db, "alice@example.com");
});

const api = (path: string, cookie = alice.cookie) => getPage(site, `/api/account${path}`, { cookie });

describe("a customer session", () => {
  it("opens its own RMAs, request and units", async () => {
    const list = (await (await api("/rmas")).json()) as { groups: { requestId: string; units: { rmaNumber: string }[] }[] };
    expect(list.groups.map((g) => g.requestId)).toEqual([alice.requestId]);
    expect((await api(`/rmas/${alice.rmaNumbers[0]}`)).status).toBe(200);
    expect((await api(`/requests/${alice.requestId}`)).status).toBe(200);
    expect((await api(`/units/${alice.serials[0]}`)).status).toBe(200);
    expect((await getPage(site, `/account/units/${alice.serials[0]}`, { cookie: alice.cookie })).status).toBe(200);
  });

  it("never opens another address's RMA by number, request by id or unit by serial: 404 as for one that does not exist", async () => {
    for (const path of [`/rmas/${bob.rmaNumbers[0]}`, `/requests/${bob.requestId}`, `/units/${bob.serials[0]}`]) {
      const res = await api(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(JSON.stringify(await res.json())).not.toContain("bob");
    }
    const page = await getPage(site, `/account/units/${bob.serials[0]}`, { cookie: alice.cookie });
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain("You have no RMA for this serial number.");
    expect(html).not.toContain(bob.rmaNumbers[0]);
  });

  it("finds nothing of another address by search (RMA number or serial), page or API", async () => {
    for (const q of [bob.rmaNumbers[0] ?? "", bob.serials[0] ?? ""]) {
      const res = (await (await api(`/rmas?q=${encodeURIComponent(q)}`)).json()) as { groups: unknown[] };
      expect(res.groups).toEqual([]);
      const html = await (await getPage(site, `/account?q=${encodeURIComponent(q)}`, { cookie: alice.cookie })).text();
      expect(html).toContain("No RMA matches these filters.");
      // (The search box shows what was typed; no row of the list shows Bob's RMA.)
      expect(html).not.toContain(`>${bob.rmaNumbers[0]}</a>`);
      expect(html).not.toContain("<tbody");
    }
    // Her own RMA by the same search is found.
    const own = (await (await api(`/rmas?q=${alice.rmaNumbers[1]}`)).json()) as { groups: { units: { rmaNumber: string }[] }[] };
    expect(own.groups.flatMap((g) => g.units.map((u) => u.rmaNumber))).toEqual([alice.rmaNumbers[1]]);
  });

  it("never opens the staff desk: pages send to the staff sign-in, the staff API answers 401", async () => {
    const staffToken = alice.cookie.split("=")[1] ?? "";
    for (const cookie of [alice.cookie, `rma_staff=${staffToken}`]) {
      const desk = await getPage(site, "/admin", { cookie });
      expect(desk.status).toBe(303);
      expect(desk.headers.get("location")).toMatch(/^\/admin\/login/);
      expect((await getPage(site, "/api/admin/queue", { cookie })).status).toBe(401);
    }
  });

  it("is not made from a staff session: a staff cookie, or its token in the customer cookie, opens no list", async () => {
    const login = await postJson(site, "/api/admin/session", { email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    const staffCookie = /rma_staff=[^;]+/.exec(login.headers.get("set-cookie") ?? "")?.[0] ?? "";
    expect(staffCookie).not.toBe("");
    const staffToken = staffCookie.split("=")[1] ?? "";
    for (const cookie of [staffCookie, `rma_customer=${staffToken}`]) {
      expect((await api("/rmas", cookie)).status).toBe(401);
      expect(await (await getPage(site, "/account", { cookie })).text()).toContain("Email me a sign-in link");
    }
  });

  it("without a session, the unit page sends to /account and the API answers 401 in the one error shape", async () => {
    const page = await getPage(site, `/it/account/units/${alice.serials[0]}`);
    expect([page.status, page.headers.get("location")]).toEqual([303, "/it/account"]);
    const res = await getPage(site, "/api/account/rmas");
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_signed_in");
  });

  it("answers 404 for a language the portal does not have", async () => {
    expect((await getPage(site, "/fr/account")).status).toBe(404);
    expect((await getPage(site, "/en/account")).status).toBe(404);
    expect((await getPage(site, "/de/account")).status).toBe(200);
  });
});
