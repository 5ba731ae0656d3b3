/** The outbox for staff (with and without an email provider) and the automatic-authorisation setting. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/client.ts";
import { isAutoAuthorizeOn } from "../../functions/services/staff/settings.ts";
import { testApp } from "../support/app.ts";
import { startTestDatabase, type TestDatabase } from "../support/database.ts";
import { type FakeResend, startFakeResend } from "../support/fake-resend.ts";
import { type ErrorBody, requestRmas, type StaffClient, signIn, staffClient } from "../support/staff.ts";

let db: TestDatabase;
let resend: FakeResend;
/** Without RESEND_API_KEY: mail stays in the outbox as held. */
let held: StaffClient;
let heldApi: ReturnType<typeof testApp>;
/** With a key, against a fake Resend. */
let sending: StaffClient;

beforeAll(async () => {
  db = await startTestDatabase();
  resend = await startFakeResend();
  heldApi = testApp(db.url);
  held = staffClient(heldApi, await signIn(heldApi), (sql, args) => db.query(sql, args));
  const sendingApi = testApp(db.url, { RESEND_API_KEY: "re_test_outbox", RESEND_BASE_URL: resend.url });
  sending = staffClient(sendingApi, await signIn(sendingApi), (sql, args) => db.query(sql, args));
});
afterAll(async () => {
  await resend?.close();
  await db?.stop();
});

type Outbox = {
  rows: {
    id: string;
    recipient: string;
    subject: string;
    text: string;
    status: string;
    attempts: number;
    lastError: string | null;
  }[];
  counts: Record<string, number>;
  canSend: boolean;
};

describe("the outbox", () => {
  it("lists every email with its status, attempts, error and text, and says plainly when no provider is configured", async () => {
    const { requestId } = await requestRmas(heldApi, 1);
    const res = await held.get("/api/admin/outbox?status=held");
    const outbox = (await res.json()) as Outbox;
    expect(outbox.canSend).toBe(false);
    expect(outbox.counts["held"]).toBe(2);
    const receipt = outbox.rows.find((r) => r.recipient === "giulia@example.com");
    expect(receipt).toMatchObject({ status: "held", attempts: 0, lastError: null });
    expect(receipt?.text).toContain("we have received your request");
    const retry = await held.send("POST", "/api/admin/outbox/retry", { all: true });
    const { error } = (await retry.json()) as ErrorBody;
    expect(retry.status).toBe(409);
    expect(error.code).toBe("no_email_provider");
    expect(error.message).toMatch(/No email provider is configured \(RESEND_API_KEY is not set\): emails stay in the outbox/);
    const rows = await db.query("SELECT status FROM outbox WHERE request_id = ?", [requestId]);
    expect(rows).toEqual([{ status: "held" }, { status: "held" }]);
  });

  it("retries one email, then all the unsent ones, through the provider once it is configured", async () => {
    const [first] = await db.query<{ id: string }>("SELECT id FROM outbox WHERE status = 'held' ORDER BY created_at LIMIT 1");
    const one = await sending.send("POST", "/api/admin/outbox/retry", { ids: [first?.id] });
    expect(await one.json()).toMatchObject({ attempted: 1, sent: 1, failed: 0, skipped: 0 });
    expect(resend.received).toHaveLength(1);
    const all = await sending.send("POST", "/api/admin/outbox/retry", { all: true });
    expect(await all.json()).toMatchObject({ attempted: 1, sent: 1 });
    expect(resend.received).toHaveLength(2);
    const again = await sending.send("POST", "/api/admin/outbox/retry", { ids: [first?.id] });
    expect(((await again.json()) as ErrorBody).error.code).toBe("nothing_to_send");
  });

  it("keeps a failed send with its error, shown to staff, and sends it on retry", async () => {
    resend.mode = "fail";
    await requestRmas(heldApi, 1);
    const [row] = await db.query<{ id: string }>("SELECT id FROM outbox WHERE status = 'held' LIMIT 1");
    await sending.send("POST", "/api/admin/outbox/retry", { ids: [row?.id] });
    const failed = (await (await sending.get("/api/admin/outbox?status=pending")).json()) as Outbox;
    // A 5xx is "try later": kept with its error, no attempt spent (issue 14).
    expect(failed.rows.find((r) => r.id === row?.id)).toMatchObject({
      attempts: 0,
      lastError: expect.stringMatching(/provider down|server error/i),
    });
    resend.mode = "ok";
    const res = await sending.send("POST", "/api/admin/outbox/retry", { ids: [row?.id] });
    expect(await res.json()).toMatchObject({ sent: 1 });
  });
});

describe("the automatic authorisation setting", () => {
  it("is off by default, and staff turn it on and off", async () => {
    const drizzle = createDb({ DATABASE_URL: db.url });
    expect(await isAutoAuthorizeOn(drizzle)).toBe(false);
    expect(await (await held.get("/api/admin/settings")).json()).toEqual({ autoAuthorize: false });
    const on = await held.send("PUT", "/api/admin/settings", { autoAuthorize: true });
    expect(await on.json()).toEqual({ autoAuthorize: true });
    expect(await isAutoAuthorizeOn(drizzle)).toBe(true);
    expect(await db.query("SELECT key, value FROM settings")).toEqual([{ key: "auto_authorize", value: "on" }]);
    await held.send("PUT", "/api/admin/settings", { autoAuthorize: false });
    expect(await isAutoAuthorizeOn(drizzle)).toBe(false);
    const bad = await held.send("PUT", "/api/admin/settings", { autoAuthorize: "yes" });
    expect(bad.status).toBe(422);
  });
});
