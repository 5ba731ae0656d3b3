/**
 * Authorising several units at once (what "authorise all" and automatic authorisation use): one round
 * trip, one email, and all or nothing when one unit changed meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.ts";
import { parseRmaRequest } from "../../functions/domain/request-input.ts";
import { ApiError } from "../../functions/errors.ts";
import { authorizeRmas } from "../../functions/services/rma/authorization.ts";
import { type IssueResult, issueRmas } from "../../functions/services/rma/issue.ts";
import { isAutoAuthorizeOn } from "../../functions/services/staff/settings.ts";
import { type RoundTrips, startCountedDb, TEST_APP_LINK_SECRET, testEnv } from "../support/app.ts";
import type { TestDatabase } from "../support/database.ts";
import { freshUnits, requestBody } from "../support/requests.ts";

let tdb: TestDatabase;
let db: Db;
let trips: RoundTrips;
const links = { baseUrl: "http://portal.test", secret: TEST_APP_LINK_SECRET };
const NOW = new Date("2026-11-25T09:00:00.000Z");

beforeAll(async () => {
  ({ tdb, db, trips } = await startCountedDb());
});
afterAll(() => tdb?.stop());

/** Each issued unit's purchase date in the registry, by serial number. */
const purchased = new Map<string, string>();

async function issue(count: number): Promise<IssueResult> {
  const units = freshUnits(count);
  for (const u of units) purchased.set(u.serialNumber, u.purchaseDate);
  const parsed = parseRmaRequest(requestBody(units));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fields));
  return issueRmas(db, testEnv(tdb.url), parsed.data, { links, now: NOW });
}

/** What issuing hands over, as automatic authorisation would pass it. */
const input = (issued: IssueResult) => ({
  request: { id: issued.requestId, contactName: "Giulia Bianchi", email: "giulia@example.com" },
  units: issued.rmas.map((r) => ({
    ...r,
    warrantyCovered: r.warranty.covered,
    warrantyUntil: r.warranty.until,
    purchaseDate: purchased.get(r.serialNumber) ?? "",
    requestedAt: NOW.toISOString(),
  })),
  actor: "system",
  links,
  // No Resend key: the email stays in the outbox.
  env: {},
  now: NOW,
});

describe("authorising several units at once", () => {
  it("moves them all, with their events and one email listing them, in one round trip", async () => {
    expect(await isAutoAuthorizeOn(db)).toBe(false);
    const issued = await issue(3);
    trips.reset();
    const result = await authorizeRmas(db, input(issued));
    expect(trips.total).toBe(1);
    expect(result.rmaNumbers).toEqual(issued.rmas.map((r) => r.rmaNumber));
    expect(Object.values(result.versions)).toEqual([2, 2, 2]);
    const rows = await tdb.query("SELECT status, valid_until FROM rmas WHERE request_id = ?", [issued.requestId]);
    expect(rows).toEqual(Array(3).fill({ status: "authorized", valid_until: "2026-12-25T23:59:59.999Z" }));
    const events = await tdb.query(
      "SELECT actor FROM rma_events WHERE to_status = 'authorized' AND rma_number IN (?, ?, ?)",
      result.rmaNumbers,
    );
    expect(events).toEqual(Array(3).fill({ actor: "system" }));
    const mails = await tdb.query<{ text: string }>(
      "SELECT text FROM outbox WHERE request_id = ? AND subject LIKE 'RMA authorised%'",
      [issued.requestId],
    );
    expect(mails).toHaveLength(1);
    for (const n of result.rmaNumbers) expect(mails[0]?.text).toContain(`http://portal.test/rma/${n}/print?t=`);
  });

  it("writes nothing when one of the units changed meanwhile, and says which", async () => {
    const issued = await issue(2);
    const [first, second] = issued.rmas;
    await tdb.query("UPDATE rmas SET status = 'rejected' WHERE rma_number = ?", [second?.rmaNumber ?? ""]);
    const err = await authorizeRmas(db, input(issued)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(409);
    expect((err as ApiError).message).toContain(`${second?.rmaNumber} is now rejected`);
    const [row] = await tdb.query("SELECT status FROM rmas WHERE rma_number = ?", [first?.rmaNumber ?? ""]);
    expect(row).toEqual({ status: "requested" });
    const events = await tdb.query("SELECT count(*) n FROM rma_events WHERE to_status = 'authorized' AND rma_number = ?", [
      first?.rmaNumber ?? "",
    ]);
    expect(events).toEqual([{ n: 0 }]);
    const mails = await tdb.query("SELECT count(*) n FROM outbox WHERE request_id = ? AND subject LIKE 'RMA authorised%'", [
      issued.requestId,
    ]);
    expect(mails).toEqual([{ n: 0 }]);
  });
});
