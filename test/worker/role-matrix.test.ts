/**
 * The role × route matrix through the built Worker (workerd) against sqld: every admin page and every
 * `/api/admin` route, for every role, is either allowed (anything but 403) or refused with 403
 * `forbidden` and a message naming the role, as functions/domain/roles.ts says. Routes that would change
 * something are sent with nothing to change (an RMA that does not exist, an account id that does not
 * exist), so the matrix tests the gate, not the actions.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/client.ts";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from "../../db/seed.ts";
import { addStaffUser } from "../../db/staff.ts";
import { can, type Permission, ROLES, type Role } from "../../functions/domain/roles.ts";
import { STAFF_ACTIONS } from "../../functions/domain/staff-input.ts";
import { t } from "../../functions/i18n/index.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack();
const PASSWORD = "matrix test passphrase";
const cookies = {} as Record<Role, string>;
const NO_RMA = "RMA-26-000000-A";
const NO_ACCOUNT = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  const client = createDb({ DATABASE_URL: stack.db.url }).$client;
  for (const role of ROLES) {
    const email = role === "admin" ? DEMO_ADMIN_EMAIL : `${role}@alkeria.example`;
    if (role !== "admin") await addStaffUser(client, email, PASSWORD, { role });
    const res = await fetch(`${stack.worker.url}/api/admin/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: stack.worker.url },
      body: JSON.stringify({ email, password: role === "admin" ? DEMO_ADMIN_PASSWORD : PASSWORD }),
    });
    const cookie = /rma_staff=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0];
    if (res.status !== 200 || !cookie) throw new Error(`sign-in of ${role}: ${res.status}`);
    cookies[role] = cookie;
  }
});

type Route = [method: string, path: string, needs: Permission, body?: unknown];

const API_ROUTES: Route[] = [
  ["GET", "/api/admin/queue", "desk.read"],
  ["GET", "/api/admin/queue?assigned=me", "desk.read"],
  ["GET", `/api/admin/rmas/${NO_RMA}`, "desk.read"],
  ["GET", `/api/admin/rmas/${NO_RMA}/notes`, "desk.read"],
  ["POST", `/api/admin/rmas/${NO_RMA}/notes`, "rma.note", { body: "x" }],
  ["PUT", `/api/admin/rmas/${NO_RMA}/assignee`, "rma.assign", { assignee: null }],
  ["GET", "/api/admin/lookup?q=RMA-26", "desk.read"],
  ["GET", "/api/admin/registry", "desk.read"],
  ["POST", "/api/admin/registry/preview", "registry.import", { csv: "serial_number,model,purchase_date" }],
  ["POST", "/api/admin/registry/import", "registry.import", { csv: "serial_number,model,purchase_date" }],
  ["GET", "/api/admin/outbox", "outbox.read"],
  ["POST", "/api/admin/outbox/retry", "outbox.retry", { ids: [NO_ACCOUNT] }],
  ["GET", "/api/admin/settings", "settings.manage"],
  ["PUT", "/api/admin/settings", "settings.manage", { autoAuthorize: false }],
  ["GET", "/api/admin/staff", "staff.manage"],
  ["POST", "/api/admin/staff", "staff.manage", { email: "not an address", role: "desk" }],
  ["PUT", `/api/admin/staff/${NO_ACCOUNT}/role`, "staff.manage", { role: "desk" }],
  ["POST", `/api/admin/staff/${NO_ACCOUNT}/disable`, "staff.manage"],
  ["POST", `/api/admin/staff/${NO_ACCOUNT}/enable`, "staff.manage"],
  ["POST", `/api/admin/staff/${NO_ACCOUNT}/reset`, "staff.manage"],
  ["GET", "/api/admin/audit", "audit.read"],
  ["GET", "/api/admin/account", "account.own"],
  ["PUT", "/api/admin/account/password", "account.own", { currentPassword: "wrong", newPassword: "x" }],
  ["PUT", "/api/admin/account/locale", "account.own", { locale: "en" }],
  ["DELETE", "/api/admin/account/sessions/0000000000000000", "account.own"],
  ["GET", "/api/admin/session", "account.own"],
  ["GET", `/api/admin/rmas/${NO_RMA}/history`, "desk.read"],
  ["POST", `/api/admin/rmas/${NO_RMA}/messages`, "rma.message", { body: "x" }],
  ["GET", "/api/admin/insight/categories", "reports.read"],
  ["POST", "/api/admin/insight/categories", "failure-codes.manage", { code: "" }],
  ["PATCH", "/api/admin/insight/categories/none", "failure-codes.manage", { active: false }],
  ["GET", "/api/admin/insight/settings", "reports.read"],
  ["PUT", "/api/admin/insight/settings", "settings.manage", {}],
  ["PUT", `/api/admin/insight/rmas/${NO_RMA}/diagnosis`, "rma:confirm-warranty", {}],
  ["GET", "/api/admin/insight/overdue", "reports.read"],
  ["GET", "/api/admin/insight/dashboard", "reports.read"],
  ...STAFF_ACTIONS.map((a): Route => ["POST", `/api/admin/rmas/${NO_RMA}/${a}`, `rma:${a}`, { version: 1 }]),
];

const PAGES: [path: string, needs: Permission][] = [
  ["/admin", "desk.read"],
  [`/admin/rma/${NO_RMA}`, "desk.read"],
  ["/admin/registry", "desk.read"],
  ["/admin/outbox", "outbox.read"],
  ["/admin/settings", "settings.manage"],
  ["/admin/staff", "staff.manage"],
  ["/admin/audit", "audit.read"],
  ["/admin/account", "account.own"],
  ["/admin/dashboard", "reports.read"],
  ["/admin/quality", "failure-codes.manage"],
  ["/admin/rmas.csv", "reports.read"],
];

function send(role: Role, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${stack.worker.url}${path}`, {
    method,
    redirect: "manual",
    headers: {
      cookie: cookies[role],
      origin: stack.worker.url,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe("the role × route matrix", () => {
  it("covers every staff action and every role", () => {
    expect(API_ROUTES.length).toBe(36 + STAFF_ACTIONS.length);
    expect(ROLES).toEqual(["admin", "desk", "technician", "viewer"]);
  });

  for (const role of ROLES) {
    it(`answers ${role}: each /api/admin route allowed, or 403 forbidden`, async () => {
      const outcome: string[] = [];
      for (const [method, path, needs, body] of API_ROUTES) {
        const res = await send(role, method, path, body);
        const text = await res.text();
        if (can(role, needs)) {
          if (res.status === 403 || res.status === 401) outcome.push(`${method} ${path}: ${res.status} ${text}`);
        } else if (
          res.status !== 403 ||
          !text.includes('"code":"forbidden"') ||
          !text.includes(`Your role, ${t("en", `team.roles.${role}`)},`)
        ) {
          outcome.push(`${method} ${path}: expected 403 forbidden, got ${res.status} ${text.slice(0, 200)}`);
        }
      }
      expect(outcome).toEqual([]);
    });

    it(`answers ${role}: each admin page 200 (404 for the unknown RMA), or 403`, async () => {
      const outcome: string[] = [];
      for (const [path, needs] of PAGES) {
        const res = await send(role, "GET", path);
        const html = await res.text();
        const allowed = path.startsWith("/admin/rma/") ? 404 : 200;
        const expected = can(role, needs) ? allowed : 403;
        if (res.status !== expected) outcome.push(`${path}: expected ${expected}, got ${res.status}`);
        if (expected === 403 && !/may not open this page/.test(html)) outcome.push(`${path}: 403 without its message`);
      }
      expect(outcome).toEqual([]);
    });
  }

  it("refuses a forced action of the RMA page's form with 403 and changes nothing", async () => {
    const n = (await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)))).rmaNumbers[0] ?? "";
    const res = await fetch(`${stack.worker.url}/admin/rma/${n}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: cookies.technician, origin: stack.worker.url, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ action: "authorize", version: "1" }).toString(),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Your role, Technician, may not do this: authorize.");
    const [row] = await stack.db.query("SELECT status FROM rmas WHERE rma_number = ?", [n]);
    expect(row?.["status"]).toBe("requested");
  });
});
