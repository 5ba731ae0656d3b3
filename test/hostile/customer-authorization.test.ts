/**
 * Customers reach only their own RMAs: every customer route, with another customer's email or with a
 * link token that is tampered, another RMA's, or of another purpose, is refused and shows nothing of
 * the other customer; the owner's own credentials still work (so the refusals are not an outage).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../functions/auth/tokens.ts";
import { report } from "../support/figures.ts";
import { quoteThroughDesk } from "../support/lifecycle.ts";
import { type PageFixtures, pageFixtures } from "../support/pages.ts";
import { freshUnits } from "../support/requests.ts";
import { TEST_LINK_SECRET, useStack } from "../support/worker.ts";

const VICTIM = { name: "Victoria Owner", email: "victoria@example.com", street: "Calle Privada 77" };

let victim: PageFixtures & { token: string; quoteToken: string; serial: string };
/** The victim's RMA after set-up (quoted): what it must still be after every attempt. */
let before: { status: string; events: number } | undefined;
let attacker: PageFixtures & { token: string };
let address = 0;
const stack = useStack();
beforeAll(async () => {
  const units = freshUnits(1);
  const v = await pageFixtures(stack.worker.url, stack.db.url, units, VICTIM);
  victim = {
    ...v,
    token: new URL(v.rmaLink, stack.worker.url).searchParams.get("t") ?? "",
    quoteToken: await signToken(TEST_LINK_SECRET, "quote", v.rmaNumber),
    serial: units[0]?.serialNumber ?? "",
  };
  // Staff receive the unit, refuse the warranty and quote: the victim has a quote page to attack too.
  await quoteThroughDesk(stack.worker.url, v.staffCookie, v.rmaNumber);
  before = await victimState();
  const a = await pageFixtures(stack.worker.url, stack.db.url, freshUnits(1), { name: "Mallory", email: "mallory@example.com" });
  attacker = { ...a, token: new URL(a.rmaLink, stack.worker.url).searchParams.get("t") ?? "" };
});

type Send = (credential: string) => Promise<Response>;

interface Route {
  route: string;
  /** Sends the request with the victim's RMA and the given credential (an email or a token). */
  send: Send;
  kind: "email" | "token";
  /** What the owner's own credential answers. */
  ownerStatus: number;
  /** When the refusal is not a 4xx but the page without the data (the prefilled form falls back to an empty one). */
  refusedAs?: number;
  /** The token's purpose when it is not the RMA page's (the quote link is signed for "quote"). */
  purpose?: "quote";
}

async function victimState() {
  const [state] = await stack.db.query<{ status: string; events: number }>(
    "SELECT status, (SELECT count(*) FROM rma_events e WHERE e.rma_number = rmas.rma_number) AS events FROM rmas WHERE rma_number = ?",
    [victim.rmaNumber],
  );
  return state;
}

const json = (path: string, body: unknown) =>
  fetch(`${stack.worker.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/json", "cf-connecting-ip": `10.77.0.${address++ % 250}` },
    body: JSON.stringify(body),
  });
const get = (path: string) =>
  fetch(`${stack.worker.url}${path}`, { redirect: "manual", headers: { "cf-connecting-ip": `10.78.0.${address++ % 250}` } });
const form = (path: string, fields: Record<string, string>) =>
  fetch(`${stack.worker.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: stack.worker.url,
      "cf-connecting-ip": `10.79.0.${address++ % 250}`,
    },
    body: new URLSearchParams(fields).toString(),
  });

function routes(): Route[] {
  const n = victim.rmaNumber;
  return [
    {
      route: "POST /api/rmas/lookup",
      kind: "email",
      ownerStatus: 200,
      send: (email) => json("/api/rmas/lookup", { rmaNumber: n, email }),
    },
    { route: "POST /status (page)", kind: "email", ownerStatus: 303, send: (email) => form("/status", { rmaNumber: n, email }) },
    {
      route: "POST /api/rmas/{n}/cancel by email",
      kind: "email",
      ownerStatus: 0, // not sent: it would cancel the victim's RMA
      send: (email) => json(`/api/rmas/${n}/cancel`, { email, reason: "Cancelled by someone else." }),
    },
    { route: "GET /api/rmas/{n}?t=", kind: "token", ownerStatus: 200, send: (t) => get(`/api/rmas/${n}?t=${t}`) },
    { route: "GET /rma/{n}?t= (page)", kind: "token", ownerStatus: 200, send: (t) => get(`/rma/${n}?t=${t}`) },
    { route: "GET /rma/{n}/print?t= (page)", kind: "token", ownerStatus: 200, send: (t) => get(`/rma/${n}/print?t=${t}`) },
    {
      route: "POST /api/rmas/{n}/cancel by token",
      kind: "token",
      ownerStatus: 0,
      send: (t) => json(`/api/rmas/${n}/cancel`, { t, reason: "Cancelled by someone else." }),
    },
    {
      route: "POST /rma/{n}?t= (page's cancel form)",
      kind: "token",
      ownerStatus: 0,
      send: (t) => form(`/rma/${n}?t=${t}`, { reason: "Cancelled by someone else." }),
    },
    {
      route: "GET /rma/requests/{id}?t= (confirmation page)",
      kind: "token",
      ownerStatus: 200,
      send: (t) => get(`/rma/requests/${victim.requestId}?t=${t}`),
    },
    {
      route: "GET /rma/{n}/quote?t= (quote page)",
      kind: "token",
      purpose: "quote",
      ownerStatus: 200,
      send: (t) => get(`/rma/${n}/quote?t=${t}`),
    },
    {
      route: "POST /rma/{n}/quote (quote page's answer)",
      kind: "token",
      purpose: "quote",
      ownerStatus: 0, // not sent: it would answer the victim's quote
      send: (t) => form(`/rma/${n}/quote`, { t, decision: "decline" }),
    },
    {
      route: "GET /rma/new?again={n}&t= (request again)",
      kind: "token",
      ownerStatus: 200,
      refusedAs: 200,
      send: (t) => get(`/rma/new?again=${n}&t=${t}`),
    },
  ];
}

const flip = (t: string) => (t[0] === "A" ? "B" : "A") + t.slice(1);

async function tokens(r: Route) {
  const own = r.purpose === "quote" ? victim.quoteToken : victim.token;
  return {
    "a tampered token": flip(own),
    "another customer's RMA token": attacker.token,
    "another customer's quote token": await signToken(TEST_LINK_SECRET, "quote", attacker.rmaNumber),
    "another customer's confirmation token": new URL(attacker.confirmationLink, stack.worker.url).searchParams.get("t") ?? "",
    "the victim's token for another purpose": r.purpose === "quote" ? victim.token : victim.quoteToken,
    "no token": "",
  };
}

/** What a refused answer must not show of the victim. */
const leaks = (text: string) =>
  [VICTIM.email, VICTIM.name, VICTIM.street, victim.serial, "Via Roma 1"].filter((x) => text.includes(x));

describe("customer routes with another customer's credentials", () => {
  it("refuses every customer route with another customer's email or a tampered, foreign or wrong-purpose token", async () => {
    const rows: Record<string, string> = {};
    const failures: string[] = [];
    const owner = { email: VICTIM.email, token: victim.token };
    const confirmationToken = new URL(victim.confirmationLink, stack.worker.url).searchParams.get("t") ?? "";
    for (const r of routes()) {
      const attempts: [string, string][] =
        r.kind === "email"
          ? [
              ["another customer's email", attacker.email],
              ["the victim's email with another's RMA number", ""],
            ]
          : Object.entries(await tokens(r));
      const answers: string[] = [];
      for (const [label, credential] of attempts) {
        let res: Response;
        if (label.startsWith("the victim's email with")) {
          // The attacker's own RMA number with the victim's email: not the victim's RMA either.
          res =
            r.route === "POST /status (page)"
              ? await form("/status", { rmaNumber: attacker.rmaNumber, email: VICTIM.email })
              : r.route.includes("cancel")
                ? await json(`/api/rmas/${attacker.rmaNumber}/cancel`, {
                    email: VICTIM.email,
                    reason: "Cancelled by someone else.",
                  })
                : await json("/api/rmas/lookup", { rmaNumber: attacker.rmaNumber, email: VICTIM.email });
        } else res = await r.send(credential);
        const text = await res.text();
        // The status form shows back what was typed into it (here the victim's email): that is not a leak.
        const typed = label.startsWith("the victim's email with") ? [VICTIM.email] : [];
        const leaked = leaks(text).filter((x) => !typed.includes(x));
        const refused = r.refusedAs ? res.status === r.refusedAs : res.status >= 400 && res.status < 500;
        answers.push(`${label} → ${res.status}${leaked.length ? ` LEAKS ${leaked.join(", ")}` : ""}`);
        if (!refused || leaked.length > 0) failures.push(`${r.route}, ${label}: ${res.status} ${leaked.join(", ")}`);
      }
      // The owner's own credential works, so the refusals above are refusals, not an outage.
      if (r.ownerStatus) {
        const credential = r.route.startsWith("GET /rma/requests/")
          ? confirmationToken
          : r.kind === "email"
            ? owner.email
            : r.purpose === "quote"
              ? victim.quoteToken
              : owner.token;
        const res = await r.send(credential);
        const text = await res.text();
        answers.push(`owner → ${res.status}`);
        if (res.status !== r.ownerStatus) failures.push(`${r.route}, owner: ${res.status}`);
        if (r.route.startsWith("GET /rma/new") && !text.includes(VICTIM.street))
          failures.push(`${r.route}, owner: form not filled in`);
      }
      rows[r.route] = answers.join("; ");
    }
    const state = await victimState();
    report("customer routes tried with another customer's credentials", {
      ...rows,
      "the victim's RMA afterwards": `${state?.status}, ${state?.events} events`,
      "the staff desk": "test/hostile/admin-access.test.ts (no, forged, malformed and expired sessions; cross-site writes)",
    });
    expect(failures).toEqual([]);
    expect(before?.status).toBe("quoted");
    expect(state).toEqual(before);
  }, 120_000);
});
