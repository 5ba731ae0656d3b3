/** A signed-in staff member driving the admin API of a `testApp`, and RMAs made through the customer API. */
import { afterAll, beforeAll } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from "../../db/seed.ts";
import type { AppEnv } from "../../functions/env.ts";
import { type ApiStack, testApp } from "./app.ts";
import { startTestDatabase, type TestDatabase } from "./database.ts";
import { surelyCovered, surelyNotCovered } from "./dates.ts";
import { freshUnits, requestBody } from "./requests.ts";

type Api = ReturnType<typeof testApp>;

/** `app.request()` URLs are http://localhost/...: the Origin the admin API accepts. */
export const ORIGIN = "http://localhost";

export type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

export interface StaffClient {
  cookie: string;
  get(path: string): Promise<Response>;
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** `POST /api/admin/rmas/{n}/{action}` with the RMA's current version unless the body names one. */
  act(rmaNumber: string, action: string, body?: Record<string, unknown>): Promise<Response>;
  version(rmaNumber: string): Promise<number>;
}

export async function signIn(api: Api, email = DEMO_ADMIN_EMAIL, password = DEMO_ADMIN_PASSWORD): Promise<string> {
  const res = await api.json("/api/admin/session", { email, password }, { origin: ORIGIN });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = /rma_staff=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  if (!cookie) throw new Error("no session cookie");
  return `rma_staff=${cookie}`;
}

/** Signs the demo staff member in to the built Worker at `baseUrl`; returns the session cookie, `rma_staff=…`. */
export async function signInToWorker(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/admin/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD }),
  });
  const cookie = /rma_staff=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0];
  if (res.status !== 200 || !cookie) throw new Error(`staff sign-in refused: ${res.status} ${await res.text()}`);
  return cookie;
}

export function staffClient(
  api: Api,
  cookie: string,
  query: (sql: string, args?: (string | number | null)[]) => Promise<Record<string, unknown>[]>,
): StaffClient {
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    api.request(path, {
      method,
      headers: { cookie, origin: ORIGIN, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const version = async (rmaNumber: string) => {
    const [row] = await query("SELECT version FROM rmas WHERE rma_number = ?", [rmaNumber]);
    return Number(row?.["version"] ?? 0);
  };
  return {
    cookie,
    get: async (path) => api.request(path, { headers: { cookie } }),
    send,
    version,
    act: async (rmaNumber, action, body = {}) =>
      send("POST", `/api/admin/rmas/${rmaNumber}/${action}`, {
        ...(action === "authorize-all" ? {} : { version: await version(rmaNumber) }),
        ...body,
      }),
  };
}

/** Issues RMAs through the customer API; returns their numbers and the request id. */
export async function requestRmas(
  api: Api,
  count = 1,
  opts: { covered?: boolean; email?: string; company?: string } = {},
): Promise<{ requestId: string; rmaNumbers: string[] }> {
  // Units well inside or well past the 24 months, chosen without asking the warranty rule under test.
  const filter = opts.covered === undefined ? () => true : opts.covered ? surelyCovered : surelyNotCovered;
  const body = requestBody(freshUnits(count, filter));
  if (opts.email) body.contact.email = opts.email;
  if (opts.company !== undefined) body.contact.company = opts.company;
  const res = await api.json("/api/rma-requests", body);
  if (res.status !== 201) throw new Error(`request failed: ${res.status} ${await res.text()}`);
  const created = (await res.json()) as { requestId: string; rmas: { rmaNumber: string }[] };
  return { requestId: created.requestId, rmaNumbers: created.rmas.map((r) => r.rmaNumber) };
}

/** Takes an RMA through these actions, failing loudly if one is refused. */
export async function advance(staff: StaffClient, rmaNumber: string, steps: [string, Record<string, unknown>?][]): Promise<void> {
  for (const [action, body] of steps) {
    const res = await staff.act(rmaNumber, action, body);
    if (res.status !== 200) throw new Error(`${action} on ${rmaNumber}: ${res.status} ${await res.text()}`);
  }
}

export const QUOTE = { labourCents: 12000, partsAndSuppliesCents: 4550, handlingFeeCents: 2500, returnShippingCents: 1800 };
export const TO_RECEIVED: [string, Record<string, unknown>?][] = [
  ["authorize"],
  ["receive", { condition: "Box dented, unit intact." }],
];

/** A fresh sqld, the app in Node against it, and the demo staff member signed in: what staff API tests start with. */
export async function startStaffApi(extra: Partial<AppEnv> = {}): Promise<{ db: TestDatabase; api: Api; staff: StaffClient }> {
  const db = await startTestDatabase();
  const api = testApp(db.url, extra);
  const staff = staffClient(api, await signIn(api), (sql, args) => db.query(sql, args));
  return { db, api, staff };
}

/** What `useStaffApi` started for a test file; reading a part before the file's beforeAll ran throws. */
export interface StaffApiStack extends ApiStack {
  readonly staff: StaffClient;
}

/**
 * Registers this test file's beforeAll and afterAll around `startStaffApi(extra)`: a fresh sqld, the app
 * in Node against it and the demo staff member signed in. The sqld stops after the file's last test.
 */
export function useStaffApi(extra: Partial<AppEnv> = {}): StaffApiStack {
  let started: StaffApiStack | undefined;
  beforeAll(async () => {
    started = await startStaffApi(extra);
  });
  afterAll(() => started?.db.stop());
  const get = () => {
    if (started === undefined) throw new Error("useStaffApi: read before the file's beforeAll ran");
    return started;
  };
  return {
    get db() {
      return get().db;
    },
    get api() {
      return get().api;
    },
    get staff() {
      return get().staff;
    },
  };
}
