/**
 * The team desk through the staff API (the app in Node against a real sqld): invitations and password
 * resets by one-time links with their emails in the outbox, roles refused with 403, disabling ending
 * sessions, own password and sessions, internal notes kept from every customer surface, assignment and
 * its queue filters, and an audit entry for each kind of event.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL } from "../../db/seed.ts";
import { signToken } from "../../functions/auth/tokens.ts";
import { AUDIT_KINDS } from "../../functions/services/team/audit.ts";
import { TEST_APP_LINK_SECRET, testApp } from "../support/app.ts";
import { startTestDatabase, type TestDatabase } from "../support/database.ts";
import { type FakeResend, startFakeResend } from "../support/fake-resend.ts";
import { advance, type ErrorBody, ORIGIN, requestRmas, type StaffClient, signIn, staffClient } from "../support/staff.ts";

let db: TestDatabase;
let resend: FakeResend;
let api: ReturnType<typeof testApp>;
let admin: StaffClient;

beforeAll(async () => {
  db = await startTestDatabase();
  resend = await startFakeResend();
  api = testApp(db.url, { RESEND_API_KEY: "re_test_team", RESEND_BASE_URL: resend.url });
  admin = staffClient(api, await signIn(api), (sql, args) => db.query(sql, args));
});
afterAll(async () => {
  await resend?.close();
  await db?.stop();
});

async function errorOf(res: Response, status: number): Promise<ErrorBody["error"]> {
  const body = (await res.json()) as ErrorBody;
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body.error;
}

/** The one-time link in the newest team email to `to`, as its token. */
async function linkTokenFor(to: string): Promise<string> {
  const [row] = await db.query<{ text: string }>(
    "SELECT text FROM outbox WHERE recipient = ? AND dedupe_key LIKE 'team:%' ORDER BY created_at DESC, rowid DESC LIMIT 1",
    [to],
  );
  const token = /\/admin\/password\?t=([\w-]{43})/.exec(row?.text ?? "")?.[1];
  if (!token) throw new Error(`no link in the email to ${to}: ${row?.text}`);
  return token;
}

const setPassword = (token: string, password: string, lang = "en") =>
  api.json("/api/admin/password", { token, password }, { origin: ORIGIN, "accept-language": lang });

/** Invites `email` as `role`, sets `password` through the link, signs in: a client of that account. */
async function colleague(email: string, role: string, password = "copper lantern orbit 7"): Promise<StaffClient> {
  const res = await admin.send("POST", "/api/admin/staff", { email, role });
  expect(res.status, await res.clone().text()).toBe(201);
  expect((await setPassword(await linkTokenFor(email), password)).status).toBe(204);
  return staffClient(api, await signIn(api, email, password), (sql, args) => db.query(sql, args));
}

const idOf = async (email: string) =>
  (await db.query<{ id: string }>("SELECT id FROM staff_users WHERE email = ?", [email]))[0]?.id ?? "";

describe("invitations", () => {
  it("invite by email with a one-time 48-hour link stored as a hash; the link sets the password once", async () => {
    const res = await admin.send("POST", "/api/admin/staff", {
      email: " Marco@Alkeria.example ",
      role: "technician",
      locale: "it",
    });
    expect(res.status).toBe(201);
    const [mail] = await db.query<{ subject: string; text: string; status: string }>(
      "SELECT subject, text, status FROM outbox WHERE recipient = 'marco@alkeria.example'",
    );
    expect(mail?.subject).toBe("Il tuo account sul banco RMA di Alkeria");
    expect(mail?.text).toContain("Tecnico");
    const token = await linkTokenFor("marco@alkeria.example");
    const [stored] = await db.query<{ token_hash: string; expires_at: string; created_at: string }>(
      "SELECT token_hash, expires_at, created_at FROM staff_tokens",
    );
    expect(stored?.token_hash).not.toContain(token);
    expect(Date.parse(stored?.expires_at ?? "") - Date.parse(stored?.created_at ?? "")).toBe(48 * 3_600_000);

    // Not signed in yet: the invited account has no password.
    const early = await api.json(
      "/api/admin/session",
      { email: "marco@alkeria.example", password: "!invited" },
      { origin: ORIGIN },
    );
    expect(early.status).toBe(401);
    const common = await errorOf(await setPassword(token, "password1234"), 422);
    expect(common.fields?.["password"]).toMatch(/password più comuni/);
    const short = await errorOf(await setPassword(token, "short", "it"), 422);
    expect(short.message).toMatch(/almeno 12 caratteri/);

    expect((await setPassword(token, "gravel otter plum 42")).status).toBe(204);
    const again = await errorOf(await setPassword(token, "another good passphrase"), 410);
    expect(again.code).toBe("link_used");
    const signedIn = await api.json(
      "/api/admin/session",
      { email: "marco@alkeria.example", password: "gravel otter plum 42" },
      { origin: ORIGIN },
    );
    expect(signedIn.status).toBe(200);
  });

  it("refuses an expired link (410), a forged one (403), an email already taken (409) and an unknown role (422)", async () => {
    await admin.send("POST", "/api/admin/staff", { email: "late@alkeria.example", role: "desk" });
    const token = await linkTokenFor("late@alkeria.example");
    await db.query("UPDATE staff_tokens SET expires_at = ? WHERE user_id = ?", [
      new Date(Date.now() - 1000).toISOString(),
      await idOf("late@alkeria.example"),
    ]);
    expect((await errorOf(await setPassword(token, "gravel otter plum 42"), 410)).code).toBe("link_expired");
    expect((await errorOf(await setPassword("A".repeat(43), "gravel otter plum 42"), 403)).code).toBe("invalid_link");
    const taken = await errorOf(await admin.send("POST", "/api/admin/staff", { email: DEMO_ADMIN_EMAIL, role: "desk" }), 409);
    expect(taken.code).toBe("email_taken");
    const role = await errorOf(await admin.send("POST", "/api/admin/staff", { email: "x@alkeria.example", role: "boss" }), 422);
    expect(role.fields?.["role"]).toMatch(/admin, desk, technician, viewer/);
  });
});

describe("password resets and one's own password", () => {
  it("a reset link works once; the old password works until it is used, then every session ends", async () => {
    const sara = await colleague("sara@alkeria.example", "desk", "first good passphrase");
    const res = await admin.send("POST", `/api/admin/staff/${await idOf("sara@alkeria.example")}/reset`);
    expect(res.status).toBe(200);
    const [mail] = await db.query<{ subject: string }>(
      "SELECT subject FROM outbox WHERE recipient = 'sara@alkeria.example' ORDER BY created_at DESC, rowid DESC LIMIT 1",
    );
    expect(mail?.subject).toBe("Set a new password for the Alkeria RMA desk");
    expect((await sara.get("/api/admin/queue")).status).toBe(200);
    const token = await linkTokenFor("sara@alkeria.example");
    expect((await setPassword(token, "second good passphrase")).status).toBe(204);
    expect((await sara.get("/api/admin/queue")).status).toBe(401);
    expect((await errorOf(await setPassword(token, "third good passphrase"), 410)).code).toBe("link_used");
    await expect(signIn(api, "sara@alkeria.example", "first good passphrase")).rejects.toThrow(/401/);
    await signIn(api, "sara@alkeria.example", "second good passphrase");
  });

  it("changes one's own password with the current one, keeping this session and ending the others", async () => {
    const luca = await colleague("luca@alkeria.example", "viewer", "luca first passphrase");
    const other = staffClient(api, await signIn(api, "luca@alkeria.example", "luca first passphrase"), (s, a) => db.query(s, a));
    const account = (await (await luca.get("/api/admin/account")).json()) as { role: string; sessions: { current: boolean }[] };
    expect(account.role).toBe("viewer");
    expect(account.sessions.filter((s) => s.current)).toHaveLength(1);
    expect(account.sessions.length).toBeGreaterThanOrEqual(2);
    const wrong = await errorOf(
      await luca.send("PUT", "/api/admin/account/password", { currentPassword: "nope", newPassword: "luca second passphrase" }),
      422,
    );
    expect(wrong.fields?.["currentPassword"]).toBe("The current password is not right.");
    const ok = await luca.send("PUT", "/api/admin/account/password", {
      currentPassword: "luca first passphrase",
      newPassword: "luca second passphrase",
    });
    expect(ok.status).toBe(204);
    expect((await luca.get("/api/admin/queue")).status).toBe(200);
    expect((await other.get("/api/admin/queue")).status).toBe(401);
  });

  it("ends one of one's own sessions by its id", async () => {
    const a = await colleague("ines@alkeria.example", "technician", "ines first passphrase");
    const b = staffClient(api, await signIn(api, "ines@alkeria.example", "ines first passphrase"), (s, q) => db.query(s, q));
    const { sessions } = (await (await a.get("/api/admin/account")).json()) as { sessions: { id: string; current: boolean }[] };
    const otherId = sessions.find((s) => !s.current)?.id ?? "";
    expect((await a.send("DELETE", `/api/admin/account/sessions/${otherId}`)).status).toBe(204);
    expect((await b.get("/api/admin/queue")).status).toBe(401);
    expect((await a.get("/api/admin/queue")).status).toBe(200);
  });
});

describe("roles and accounts", () => {
  it("disabling an account ends its open sessions at once and refuses its sign-in; enabling lets it in again", async () => {
    const paolo = await colleague("paolo@alkeria.example", "desk", "paolo good passphrase");
    const second = staffClient(api, await signIn(api, "paolo@alkeria.example", "paolo good passphrase"), (s, a) =>
      db.query(s, a),
    );
    const id = await idOf("paolo@alkeria.example");
    expect((await admin.send("POST", `/api/admin/staff/${id}/disable`)).status).toBe(204);
    expect((await paolo.get("/api/admin/queue")).status).toBe(401);
    expect((await second.get("/api/admin/queue")).status).toBe(401);
    const [left] = await db.query<{ n: number }>("SELECT count(*) AS n FROM staff_sessions WHERE user_id = ?", [id]);
    expect(Number(left?.n)).toBe(0);
    await expect(signIn(api, "paolo@alkeria.example", "paolo good passphrase")).rejects.toThrow(/401/);
    expect((await admin.send("POST", `/api/admin/staff/${id}/enable`)).status).toBe(204);
    await signIn(api, "paolo@alkeria.example", "paolo good passphrase");
  });

  it("refuses forced actions of a role with 403 forbidden and a clear message, and offers only the allowed actions", async () => {
    const tech = await colleague("tech@alkeria.example", "technician");
    const desk = await colleague("deskie@alkeria.example", "desk");
    const [n] = (await requestRmas(api, 1)).rmaNumbers as [string];
    const refused = await errorOf(await tech.act(n, "authorize"), 403);
    expect(refused.code).toBe("forbidden");
    expect(refused.message).toBe("Your role, Technician, may not do this: authorize. Ask an admin if you need it.");
    const offered = (await (await tech.get(`/api/admin/rmas/${n}`)).json()) as { actions: string[] };
    expect(offered.actions).toEqual([]);
    expect(((await (await desk.get(`/api/admin/rmas/${n}`)).json()) as { actions: string[] }).actions).toContain("authorize");
    expect((await desk.act(n, "authorize")).status).toBe(200);
    expect((await errorOf(await desk.act(n, "receive", { condition: "ok" }), 403)).code).toBe("forbidden");
    expect((await tech.act(n, "receive", { condition: "Box intact." })).status).toBe(200);
    expect((await errorOf(await desk.send("PUT", "/api/admin/settings", { autoAuthorize: true }), 403)).code).toBe("forbidden");
    expect((await errorOf(await tech.get("/api/admin/outbox"), 403)).code).toBe("forbidden");
    expect((await errorOf(await desk.get("/api/admin/staff"), 403)).code).toBe("forbidden");
  });

  it("changes a role, but never one's own (so an admin cannot lock the desk out of its accounts)", async () => {
    await colleague("ruolo@alkeria.example", "viewer");
    const id = await idOf("ruolo@alkeria.example");
    const res = await admin.send("PUT", `/api/admin/staff/${id}/role`, { role: "desk" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { role: string }).role).toBe("desk");
    const self = await errorOf(
      await admin.send("PUT", `/api/admin/staff/${await idOf(DEMO_ADMIN_EMAIL)}/role`, { role: "viewer" }),
      409,
    );
    expect(self.code).toBe("not_yourself");
  });
});

describe("internal notes", () => {
  it("are in the staff RMA's history and nowhere a customer reads: not the customer API, not their emails", async () => {
    const tech = await colleague("notes@alkeria.example", "technician");
    const [n] = (await requestRmas(api, 1)).rmaNumbers as [string];
    const secret = "INTERNAL: bench test shows a cracked sensor, likely dropped";
    expect((await tech.send("POST", `/api/admin/rmas/${n}/notes`, { body: secret })).status).toBe(201);
    expect((await errorOf(await tech.send("POST", `/api/admin/rmas/${n}/notes`, { body: "  " }), 422)).fields?.["body"]).toBe(
      "Write the note.",
    );
    const detail = (await (await admin.get(`/api/admin/rmas/${n}`)).json()) as { notes: { author: string; body: string }[] };
    expect(detail.notes).toEqual([expect.objectContaining({ author: "notes@alkeria.example", body: secret })]);
    await advance(admin, n, [["authorize"]]);

    const token = await signToken(TEST_APP_LINK_SECRET, "rma", n);
    const customer = await api.request(`/api/rmas/${n}?t=${token}`);
    expect(customer.status).toBe(200);
    expect(await customer.text()).not.toContain("cracked sensor");
    const mails = await db.query<{ text: string; html: string; subject: string }>(
      "SELECT text, html, subject FROM outbox WHERE rma_number = ? OR request_id = (SELECT request_id FROM rmas WHERE rma_number = ?)",
      [n, n],
    );
    expect(mails.length).toBeGreaterThan(0);
    for (const m of mails) expect(`${m.subject}${m.text}${m.html}`).not.toContain("cracked sensor");
  });
});

describe("assignment", () => {
  it("assigns and reassigns; the queue filters assigned to me and unassigned and shows the assignee", async () => {
    const tech = await colleague("assign@alkeria.example", "technician");
    const { rmaNumbers } = await requestRmas(api, 3, { company: "Assign Test Srl" });
    const [a, b, c] = rmaNumbers as [string, string, string];
    expect((await tech.send("PUT", `/api/admin/rmas/${a}/assignee`, { assignee: "me" })).status).toBe(200);
    expect((await admin.send("PUT", `/api/admin/rmas/${b}/assignee`, { assignee: "assign@alkeria.example" })).status).toBe(200);
    expect((await admin.send("PUT", `/api/admin/rmas/${b}/assignee`, { assignee: await idOf(DEMO_ADMIN_EMAIL) })).status).toBe(
      200,
    );
    const bad = await errorOf(
      await admin.send("PUT", `/api/admin/rmas/${c}/assignee`, { assignee: "nobody@alkeria.example" }),
      422,
    );
    expect(bad.fields?.["assignee"]).toBeDefined();

    type Queue = { results: { rows: { rmaNumber: string; assignee: string | null }[] } };
    const list = async (client: StaffClient, assigned: string) =>
      ((await (await client.get(`/api/admin/queue?q=assign%20test&assigned=${assigned}`)).json()) as Queue).results.rows;
    expect((await list(tech, "me")).map((r) => [r.rmaNumber, r.assignee])).toEqual([[a, "assign@alkeria.example"]]);
    expect((await list(admin, "me")).map((r) => [r.rmaNumber, r.assignee])).toEqual([[b, DEMO_ADMIN_EMAIL]]);
    expect((await list(admin, "none")).map((r) => r.rmaNumber)).toEqual([c]);
    expect((await errorOf(await admin.get("/api/admin/queue?assigned=everyone"), 422)).fields?.["assigned"]).toBeDefined();
    // Reassigning to nobody.
    expect((await admin.send("PUT", `/api/admin/rmas/${b}/assignee`, { assignee: null })).status).toBe(200);
    expect((await list(admin, "none")).map((r) => r.rmaNumber).sort()).toEqual([b, c].sort());
  });
});

describe("the audit log", () => {
  it("has an entry for each kind of event, with who, when and from which address, and refuses edits and deletions", async () => {
    const address = { "cf-connecting-ip": "203.0.113.9" };
    await api.json(
      "/api/admin/session",
      { email: DEMO_ADMIN_EMAIL, password: "wrong password!" },
      { origin: ORIGIN, ...address },
    );
    const cookie = await signIn(api);
    const me = staffClient(api, cookie, (s, a) => db.query(s, a));
    await me.send("PUT", "/api/admin/settings", { autoAuthorize: true }, address);
    await me.send("PUT", "/api/admin/settings", { autoAuthorize: false }, address);
    await me.send("POST", "/api/admin/registry/import", {
      csv: "serial_number,model,purchase_date\nAU000001,Celera C1920,2026-01-15",
    });
    await db.query(
      "INSERT INTO outbox (id, recipient, subject, text, html, status, attempts) VALUES ('audit-retry', 'x@example.com', 's', 't', '<p>t</p>', 'failed', 8)",
    );
    expect((await me.send("POST", "/api/admin/outbox/retry", { ids: ["audit-retry"] })).status).toBe(200);
    await me.send("PUT", "/api/admin/account/locale", { locale: "it" });
    await me.send("PUT", "/api/admin/account/locale", { locale: "en" });
    await me.send("DELETE", "/api/admin/session", undefined, address);
    const other = staffClient(api, await signIn(api), (s, a) => db.query(s, a));
    await other.send("DELETE", "/api/admin/session?everywhere=1");

    const kinds = new Set((await db.query<{ kind: string }>("SELECT DISTINCT kind FROM audit_log")).map((r) => r.kind));
    expect([...AUDIT_KINDS].filter((k) => !kinds.has(k))).toEqual([]);

    const [failed] = await db.query<{ actor: string; address: string; at: string }>(
      "SELECT actor, address, at FROM audit_log WHERE kind = 'sign-in-failed' AND address = '203.0.113.9'",
    );
    expect(failed?.actor).toBe(DEMO_ADMIN_EMAIL);
    const [settings] = await db.query<{ actor: string; address: string; detail: string }>(
      "SELECT actor, address, detail FROM audit_log WHERE kind = 'settings' ORDER BY id LIMIT 1",
    );
    expect(settings).toEqual({
      actor: DEMO_ADMIN_EMAIL,
      address: "203.0.113.9",
      detail: JSON.stringify({ from: { autoAuthorize: false }, to: { autoAuthorize: true } }),
    });
    await expect(db.query("UPDATE audit_log SET actor = 'someone else'")).rejects.toThrow(/append-only/);
    await expect(db.query("DELETE FROM audit_log")).rejects.toThrow(/append-only/);

    const reader = staffClient(api, await signIn(api), (s, a) => db.query(s, a));
    const page = (await (await reader.get("/api/admin/audit?kind=settings")).json()) as {
      rows: { kind: string }[];
      total: number;
    };
    expect(page.total).toBe(2);
    expect(page.rows.every((r) => r.kind === "settings")).toBe(true);
  });
});
