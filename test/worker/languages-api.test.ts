/**
 * The customer's language through the built Worker in workerd: a request made in Italian gets its receipt
 * through Resend in Italian (subject, text and HTML), and an invalid request is refused with the same code
 * and German words when the client asks for German.
 */
import { describe, expect, it } from "vitest";
import { t } from "../../functions/i18n/index.ts";
import { englishLeft } from "../support/english.ts";
import { freshUnits, requestBody } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack({ resendApiKey: "re_worker_key" });

describe("the built Worker in the customer's language", () => {
  it("sends the receipt of a request made in Italian in Italian", async () => {
    const res = await fetch(`${stack.worker.url}/api/rma-requests`, {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": "it-IT,it;q=0.9" },
      body: JSON.stringify(requestBody(freshUnits(2))),
    });
    expect(res.status).toBe(201);
    const { rmas } = (await res.json()) as { rmas: { rmaNumber: string }[] };
    await expect.poll(() => stack.resend.received.length, { timeout: 10_000 }).toBe(2);
    const receipt = stack.resend.received.find((m) => m.body.to === "giulia@example.com");
    if (!receipt) throw new Error("no receipt");
    const { subject, text, html } = receipt.body;
    expect(subject).toBe(`Richiesta RMA ricevuta: ${rmas.map((r) => r.rmaNumber).join(", ")}`);
    for (const part of [subject, text, html.replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'")])
      expect(englishLeft(part)).toEqual([]);
    expect(html).toContain('<html lang="it">');
    const staff = stack.resend.received.find((m) => m.body.to !== "giulia@example.com");
    expect(staff?.body.subject).toMatch(/^New RMA request from /);
  });

  it("refuses an invalid request with the same code and German words for a German client", async () => {
    const send = (headers: Record<string, string>) =>
      fetch(`${stack.worker.url}/api/rma-requests`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ ...requestBody(freshUnits(1)), acceptTerms: false }),
      });
    const en = (await (await send({})).json()) as { error: { code: string; message: string; fields: Record<string, string> } };
    const res = await send({ "accept-language": "de-DE,de;q=0.9,en;q=0.5" });
    expect(res.status).toBe(422);
    const de = (await res.json()) as typeof en;
    expect(de.error.code).toBe(en.error.code);
    expect(de.error.message).toBe(t("de", "errors.validation"));
    expect(de.error.fields["acceptTerms"]).toBe(t("de", "errors.request.acceptTerms"));
    expect(en.error.fields["acceptTerms"]).toBe(t("en", "errors.request.acceptTerms"));
  });
});
