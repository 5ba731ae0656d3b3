/**
 * "New request" from My returns: the request form (`/rma/new?from=account`, in every language) opens with
 * the signed-in customer's last contact and return address; without a customer session it opens empty.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getPage, signInAs, siteOf } from "../support/account.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack();
const site = siteOf(stack);
const EMAIL = "prefill.customer@example.com";
let cookie = "";
let body: ReturnType<typeof requestBody>;

beforeAll(async () => {
  body = requestBody(freshUnits(1));
  await issueThroughWorker(stack.worker.url, {
    ...body,
    contact: { ...body.contact, email: EMAIL },
    returnAddress: { ...body.returnAddress, street: "Via Prefill 7" },
  });
  cookie = await signInAs(site, stack.db, EMAIL);
});

describe("the request form from My returns", () => {
  for (const prefix of ["", "/it", "/de"]) {
    it(`is filled with the last request's contact and return address (${prefix || "/"})`, async () => {
      const res = await getPage(site, `${prefix}/rma/new?from=account`, { cookie });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(`value="${EMAIL}"`);
      expect(html).toContain('value="Via Prefill 7"');
      expect(html).toContain(`value="${body.contact.name}"`);
    });
  }

  it("opens empty without a customer session, or with someone else's cookie value", async () => {
    for (const headers of [{}, { cookie: `rma_customer=${"x".repeat(43)}` }]) {
      const html = await (await getPage(site, "/rma/new?from=account", headers)).text();
      expect(html).not.toContain(EMAIL);
      expect(html).not.toContain("Via Prefill 7");
    }
  });
});
