/**
 * Cloudflare Turnstile on the request form, against the built Worker and sqld with a fake siteverify on
 * loopback: a token that verifies passes, a wrong one or none is refused before anything is stored, the
 * form shows the widget (and, without JavaScript, says what to do beside the button).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeTurnstile, PASS_TOKEN, startFakeTurnstile } from "../support/fake-turnstile.ts";
import { freshUnits, requestBody, requestForm } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const SECRET = "0x4AAAAAAA-test-secret";
const SITE_KEY = "0x4AAAAAAA-test-site-key";
let turnstile: FakeTurnstile;
const vars: Record<string, string> = { TURNSTILE_SECRET_KEY: SECRET, TURNSTILE_SITE_KEY: SITE_KEY };
beforeAll(async () => {
  turnstile = await startFakeTurnstile(SECRET);
  vars["TURNSTILE_VERIFY_URL"] = turnstile.url;
});
afterAll(() => turnstile?.close());
const stack = useStack({ vars });

type ErrorBody = { error: { code: string; message: string } };

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${stack.worker.url}/api/rma-requests`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": "203.0.113.80", ...headers },
    body: JSON.stringify(body),
  });

const requests = async () => Number((await stack.db.query<{ n: number }>("SELECT count(*) n FROM return_requests"))[0]?.n);

describe("with TURNSTILE_SECRET_KEY set", () => {
  it("passes a request whose token verifies, sending the secret, the token and the client's address", async () => {
    const res = await post(requestBody(freshUnits(1)), { "cf-turnstile-response": PASS_TOKEN });
    expect(res.status).toBe(201);
    expect(turnstile.asked.at(-1)).toEqual({ secret: SECRET, response: PASS_TOKEN, remoteip: "203.0.113.80" });
  });

  it("refuses a token that does not verify, and a request without one, storing nothing", async () => {
    const before = await requests();
    const asked = turnstile.asked.length;
    for (const headers of [{ "cf-turnstile-response": "forged-token" }, {}]) {
      const res = await post(requestBody(freshUnits(1)), headers);
      const body = (await res.json()) as ErrorBody;
      expect(res.status).toBe(403);
      expect(body.error.code).toBe("captcha_failed");
      expect(body.error.message).toMatch(/^We could not confirm that this request was sent by a person\./);
    }
    expect(await requests()).toBe(before);
    // The missing token was refused without asking the verifier.
    expect(turnstile.asked.length).toBe(asked + 1);
  });

  it("the form page shows the widget, allows its script and frame, and says beside the button that it needs JavaScript", async () => {
    const res = await fetch(`${stack.worker.url}/rma/new`);
    const html = await res.text();
    expect(html).toContain(`class="cf-turnstile" data-sitekey="${SITE_KEY}"`);
    expect(html).toContain('src="https://challenges.cloudflare.com/turnstile/v0/api.js"');
    expect(html).toMatch(/<noscript><p class="hint" id="no-script-captcha">Sending this form needs JavaScript/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self' https://challenges.cloudflare.com");
    expect(csp).toContain("frame-src https://challenges.cloudflare.com");
    // Other pages keep the strict policy.
    const status = await fetch(`${stack.worker.url}/status`);
    expect(status.headers.get("content-security-policy")).not.toContain("challenges.cloudflare.com");
  });

  it("the form without JavaScript: sent without a token it comes back with the message, nothing stored", async () => {
    const before = await requests();
    const units = freshUnits(1);
    const res = await fetch(`${stack.worker.url}/rma/new`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: stack.worker.url },
      body: requestForm(units, {
        "units.0.issueDescription": "The image freezes after ten minutes of streaming over USB 3.",
      }),
    });
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain("We could not confirm that this request was sent by a person.");
    expect(html).toContain('value="Giulia Bianchi"');
    expect(await requests()).toBe(before);
  });
});
