/**
 * Signing in to "My returns" through the built Worker and sqld, with the link read from the outbox: the
 * same answer for an address with RMAs and one without, a link that a GET does not use up, a session
 * cookie of its own, and every bad link refused: expired, reused, wrong purpose, tampered. Then the
 * limits per email and per client address, Italian, and signing out.
 */
import { describe, expect, it } from "vitest";
import { signToken } from "../../functions/auth/tokens.ts";
import { customerCookieOf, getPage, linkIn, postForm, postJson, signInAs, signInEmails, siteOf } from "../support/account.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { TEST_LINK_SECRET, useStack } from "../support/worker.ts";

const stack = useStack();
const site = siteOf(stack);

async function customerWith(email: string, units = 1) {
  const body = requestBody(freshUnits(units));
  return issueThroughWorker(stack.worker.url, { ...body, contact: { ...body.contact, email } });
}

const tokenRows = (email: string) =>
  stack.db.query<{ token_hash: string; used_at: string | null; expires_at: string; purpose: string }>(
    "SELECT token_hash, used_at, expires_at, purpose FROM customer_sign_in_tokens WHERE email = ? ORDER BY created_at DESC",
    [email],
  );

describe("asking for a sign-in link", () => {
  it("gives the same answer to an address with RMAs and to one without, and mails only the customer", async () => {
    await customerWith("Alice@Example.com");
    const known = await postForm(site, "/account", { email: "alice@example.com" }, { "cf-connecting-ip": "192.0.2.1" });
    const unknown = await postForm(site, "/account", { email: "nobody@example.com" }, { "cf-connecting-ip": "192.0.2.1" });
    expect([known.status, known.headers.get("location")]).toEqual([303, "/account?sent=1"]);
    expect([unknown.status, unknown.headers.get("location")]).toEqual([303, "/account?sent=1"]);
    const apiKnown = await postJson(site, "/api/account/sign-in-link", { email: "ALICE@example.com" });
    const apiUnknown = await postJson(site, "/api/account/sign-in-link", { email: "nobody@example.com" });
    expect(apiKnown.status).toBe(202);
    expect(apiUnknown.status).toBe(202);
    expect(await apiKnown.text()).toBe(await apiUnknown.text());

    const mails = await signInEmails(stack.db, "alice@example.com");
    expect(mails).toHaveLength(2);
    expect(mails[0]?.subject).toBe("Your sign-in link to My returns");
    expect(mails[0]?.status).toBe("held");
    expect(linkIn(mails[0]?.text ?? "").path).toMatch(/^\/account\/sign-in\?token=[\w-]{43}$/);
    expect(await signInEmails(stack.db, "nobody@example.com")).toHaveLength(0);
    expect(await tokenRows("nobody@example.com")).toHaveLength(0);
    // Only hashes are stored.
    const rows = await tokenRows("alice@example.com");
    expect(rows.map((r) => r.token_hash)).not.toContain(linkIn(mails[0]?.text ?? "").token);

    const sentPage = await (await getPage(site, "/account?sent=1")).text();
    expect(sentPage).toContain("Check your inbox");
  });

  it("refuses an address that is not one, at the field, without counting it", async () => {
    const res = await postForm(site, "/account", { email: "not-an-address" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Enter an email address like name@example.com.");
    expect(html).toContain('aria-invalid="true"');
    const api = await postJson(site, "/api/account/sign-in-link", { email: "" });
    expect(api.status).toBe(422);
    expect(((await api.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({
      email: "Type the email address you used on your requests.",
    });
  });

  it("mails the link in Italian from /it/account, to an Italian landing page", async () => {
    await customerWith("marco@example.it");
    const res = await postForm(site, "/it/account", { email: "marco@example.it" }, { "cf-connecting-ip": "192.0.2.2" });
    expect([res.status, res.headers.get("location")]).toEqual([303, "/it/account?sent=1"]);
    const [mail] = await signInEmails(stack.db, "marco@example.it");
    expect(mail?.subject).toBe("Il suo link di accesso a I miei resi");
    const link = linkIn(mail?.text ?? "");
    expect(link.path.startsWith("/it/account/sign-in?token=")).toBe(true);
    const page = await (await getPage(site, link.path)).text();
    expect(page).toContain('<html lang="it"');
    expect(page).toContain("Sta accedendo come marco@example.it");
  });

  it("limits the links per email address (known or not alike) and per client address", async () => {
    await customerWith("busy@example.com");
    const ask = (email: string, ip: string) => postJson(site, "/api/account/sign-in-link", { email }, { "cf-connecting-ip": ip });
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 6; i++) {
      known.push((await ask("busy@example.com", `198.51.100.${i}`)).status);
      unknown.push((await ask("ghost@example.com", `198.51.100.${i + 10}`)).status);
    }
    expect(known).toEqual([202, 202, 202, 202, 202, 429]);
    expect(unknown).toEqual(known);
    expect(await signInEmails(stack.db, "busy@example.com")).toHaveLength(5);
    const refused = await ask("busy@example.com", "198.51.100.99");
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);

    const fromOne: number[] = [];
    for (let i = 0; i < 21; i++) fromOne.push((await ask(`someone${i}@example.com`, "203.0.113.77")).status);
    expect(fromOne.filter((s) => s === 202)).toHaveLength(20);
    expect(fromOne[20]).toBe(429);
  });
});

describe("using the link", () => {
  it("shows a button on GET without using the link; the POST opens a session with its own cookie", async () => {
    const { rmaNumbers } = await customerWith("bea@example.com", 2);
    await postForm(site, "/account", { email: "bea@example.com" }, { "cf-connecting-ip": "192.0.2.3" });
    const [mail] = await signInEmails(stack.db, "bea@example.com");
    const { path, token } = linkIn(mail?.text ?? "");
    for (let i = 0; i < 2; i++) {
      const landing = await getPage(site, path);
      expect(landing.status).toBe(200);
      expect(await landing.text()).toContain("You are signing in as bea@example.com");
    }
    expect((await tokenRows("bea@example.com"))[0]?.used_at).toBeNull();

    const used = await postForm(site, "/account/sign-in", { token }, { "cf-connecting-ip": "192.0.2.3" });
    expect(used.status).toBe(303);
    expect(used.headers.get("location")).toBe("/account");
    const setCookie = used.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^rma_customer=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=2592000$/);
    expect(setCookie).not.toContain("rma_staff");
    const list = await getPage(site, "/account", { cookie: customerCookieOf(used) });
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain("Signed in as bea@example.com.");
    expect(rmaNumbers).toHaveLength(2);
    for (const n of rmaNumbers) expect(html).toContain(`>${n}</a>`);
  });

  it("refuses a link used once already (410), and opens one session when the same link is raced", async () => {
    await customerWith("carl@example.com");
    await postJson(site, "/api/account/sign-in-link", { email: "carl@example.com" }, { "cf-connecting-ip": "192.0.2.4" });
    const [mail] = await signInEmails(stack.db, "carl@example.com");
    const { token } = linkIn(mail?.text ?? "");
    const raced = await Promise.all(
      Array.from({ length: 5 }, () => postJson(site, "/api/account/session", { token }, { "cf-connecting-ip": "192.0.2.4" })),
    );
    expect(raced.map((r) => r.status).sort()).toEqual([200, 410, 410, 410, 410]);
    const [sessions] = await stack.db.query<{ n: number }>(
      "SELECT count(*) AS n FROM customer_sessions WHERE email = 'carl@example.com'",
    );
    expect(sessions?.n).toBe(1);
    const again = await postForm(site, "/account/sign-in", { token });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("This sign-in link has already been used");
    expect(again.headers.get("set-cookie")).toBeNull();
    const landing = await getPage(site, `/account/sign-in?token=${token}`);
    expect(landing.status).toBe(410);
  });

  it("refuses a link older than 15 minutes (410)", async () => {
    await customerWith("dora@example.com");
    await postJson(site, "/api/account/sign-in-link", { email: "dora@example.com" }, { "cf-connecting-ip": "192.0.2.5" });
    const [mail] = await signInEmails(stack.db, "dora@example.com");
    const { token } = linkIn(mail?.text ?? "");
    const [row] = await tokenRows("dora@example.com");
    // The link as it is 15 minutes after it was mailed.
    const minutes = (Date.parse(row?.expires_at ?? "") - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14.5);
    expect(minutes).toBeLessThanOrEqual(15);
    await stack.db.query("UPDATE customer_sign_in_tokens SET expires_at = ? WHERE token_hash = ?", [
      new Date(Date.now() - 1000).toISOString(),
      row?.token_hash ?? "",
    ]);
    const res = await postJson(site, "/api/account/session", { token });
    expect(res.status).toBe(410);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: "link_expired",
      message: "This sign-in link has expired: links work for 15 minutes. Ask for a new one.",
    });
    const page = await postForm(site, "/account/sign-in", { token });
    expect(page.status).toBe(410);
    expect(page.headers.get("set-cookie")).toBeNull();
  });

  it("refuses tampered and wrong-purpose tokens (403): an RMA link's token, a session's, a link's changed by one character", async () => {
    const { rmaNumbers } = await customerWith("eve@example.com");
    await postJson(site, "/api/account/sign-in-link", { email: "eve@example.com" }, { "cf-connecting-ip": "192.0.2.6" });
    const [mail] = await signInEmails(stack.db, "eve@example.com");
    const { token } = linkIn(mail?.text ?? "");
    const tampered = (token[0] === "A" ? "B" : "A") + token.slice(1);
    const rmaLinkToken = await signToken(TEST_LINK_SECRET, "rma", rmaNumbers[0] ?? "");
    const session = (await signInAs(site, stack.db, "eve@example.com", "192.0.2.6")).split("=")[1] ?? "";
    for (const wrong of [tampered, rmaLinkToken, session, `${token}x`, ""]) {
      const res = await postJson(site, "/api/account/session", { token: wrong }, { "cf-connecting-ip": "192.0.2.7" });
      expect([wrong, res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([
        wrong,
        403,
        "invalid_link",
      ]);
    }
    // The unused sign-in token is no session cookie either.
    expect((await getPage(site, "/api/account/rmas", { cookie: `rma_customer=${token}` })).status).toBe(401);
    // The untampered link still works: the failures did not use it up.
    expect((await postJson(site, "/api/account/session", { token })).status).toBe(200);
  });

  it("counts wrong links per client address: past 20 in 15 minutes, 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await postJson(site, "/api/account/session", { token: "x".repeat(43) }, { "cf-connecting-ip": "203.0.113.9" });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 403)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

describe("signing out", () => {
  it("deletes the session and clears the cookie; the old cookie opens nothing", async () => {
    await customerWith("fay@example.com");
    const cookie = await signInAs(site, stack.db, "fay@example.com", "192.0.2.8");
    expect((await getPage(site, "/api/account/rmas", { cookie })).status).toBe(200);
    const form = await getPage(site, "/account/sign-out", { cookie });
    expect(await form.text()).toContain('action="/account/sign-out"');
    const out = await postForm(site, "/account/sign-out", {}, { cookie });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toBe("rma_customer=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    expect(await out.text()).toContain("You are signed out of My returns on this browser.");
    const [left] = await stack.db.query<{ n: number }>(
      "SELECT count(*) AS n FROM customer_sessions WHERE email = 'fay@example.com'",
    );
    expect(left?.n).toBe(0);
    expect((await getPage(site, "/api/account/rmas", { cookie })).status).toBe(401);
    expect(await (await getPage(site, "/account", { cookie })).text()).toContain("Email me a sign-in link");
  });

  it("ends a session after 30 days without a visit", async () => {
    await customerWith("gus@example.com");
    const cookie = await signInAs(site, stack.db, "gus@example.com", "192.0.2.9");
    await stack.db.query("UPDATE customer_sessions SET expires_at = ? WHERE email = 'gus@example.com'", [
      new Date(Date.now() - 1000).toISOString(),
    ]);
    expect((await getPage(site, "/api/account/rmas", { cookie })).status).toBe(401);
  });
});
