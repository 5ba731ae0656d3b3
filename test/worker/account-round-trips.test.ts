/**
 * "My returns" in database round trips, counted between the built Worker and sqld: asking for a sign-in
 * link is one round trip (one write batch) for an address with RMAs and for one without, so neither the
 * answer nor the work tells them apart; the list is two (the session's check, which slides it, and the
 * page: SQLite uses the lower(email) index only against a constant, so the page cannot take its owner
 * from the session row in the same batch); a unit's history is two.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { postJson, signInAs, siteOf } from "../support/account.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack({ databaseProxy: true });
const site = siteOf(stack);
let cookie = "";
let serial = "";

beforeAll(async () => {
  const units = freshUnits(2);
  serial = units[0]?.serialNumber ?? "";
  const body = requestBody(units);
  await issueThroughWorker(stack.worker.url, { ...body, contact: { ...body.contact, email: "trips@example.com" } });
  cookie = await signInAs(site, stack.db, "trips@example.com", "192.0.2.90");
});

async function counted(send: () => Promise<Response>) {
  await stack.proxy.settle();
  stack.proxy.reset();
  const res = await send();
  await res.text();
  await stack.proxy.settle();
  const { trips, writeTrips } = stack.proxy.counts();
  return { status: res.status, trips, writeTrips };
}

describe("round trips of My returns (built Worker, counted between it and sqld)", () => {
  it("asking for a link: one write round trip, for a customer's address and for an unknown one alike", async () => {
    const known = await counted(() =>
      postJson(site, "/api/account/sign-in-link", { email: "trips@example.com" }, { "cf-connecting-ip": "192.0.2.91" }),
    );
    const unknown = await counted(() =>
      postJson(site, "/api/account/sign-in-link", { email: "stranger@example.com" }, { "cf-connecting-ip": "192.0.2.92" }),
    );
    expect(known).toEqual({ status: 202, trips: 1, writeTrips: 1 });
    expect(unknown).toEqual(known);
  });

  it("the list: two round trips (the session, then the page), page and API", async () => {
    expect(await counted(() => fetch(`${site.url}/api/account/rmas`, { headers: { cookie } }))).toEqual({
      status: 200,
      trips: 2,
      writeTrips: 1,
    });
    expect(await counted(() => fetch(`${site.url}/account`, { headers: { cookie } }))).toEqual({
      status: 200,
      trips: 2,
      writeTrips: 1,
    });
  });

  it("a unit's history: two round trips (the session, then its RMAs, their events, diagnoses and the repair warranty's months in one batch)", async () => {
    expect(await counted(() => fetch(`${site.url}/account/units/${serial}`, { headers: { cookie } }))).toEqual({
      status: 200,
      trips: 2,
      writeTrips: 1,
    });
  });
});
