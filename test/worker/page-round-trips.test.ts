/**
 * The customer pages that read the database answer in ONE round trip, in the built Worker: counted by
 * the proxy between the Worker and sqld (test/support/db-proxy.ts, also the benchmark's), so the claim
 * rests on a test and not only on the benchmark's log.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type PageFixtures, pageFixtures } from "../support/pages.ts";
import { freshUnits } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack({ databaseProxy: true });
let f: PageFixtures;
beforeAll(async () => {
  // A request of two units: the first authorised (its page, its printout of every authorised unit), the second quoted.
  f = await pageFixtures(stack.worker.url, stack.db.url, freshUnits(2));
});

/** The database round trips of one GET, with whatever the Worker does after answering. */
async function tripsOf(path: string) {
  await stack.proxy.settle();
  stack.proxy.reset();
  const res = await fetch(`${stack.worker.url}${path}`, { redirect: "manual" });
  const text = await res.text();
  await stack.proxy.settle();
  const { trips, writeTrips, other } = stack.proxy.counts();
  return { status: res.status, trips, writeTrips, other, text };
}

describe("database round trips of the customer pages (built Worker, counted between it and sqld)", () => {
  for (const [name, link, shows] of [
    ["the RMA page", (p: PageFixtures) => p.rmaLink, (p: PageFixtures) => p.rmaNumber],
    ["the printable RMA form", (p: PageFixtures) => p.printLink, (p: PageFixtures) => p.rmaNumber],
    ["the request's confirmation page", (p: PageFixtures) => p.confirmationLink, (p: PageFixtures) => p.rmaNumber],
  ] as const) {
    it(`${name}: one round trip, no write`, async () => {
      const { text, ...counted } = await tripsOf(link(f));
      expect(counted).toEqual({ status: 200, trips: 1, writeTrips: 0, other: 0 });
      expect(text).toContain(shows(f));
    });
  }
});
