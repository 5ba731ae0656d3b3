/**
 * The staff desk's language in the built Worker (workerd) against sqld: the sign-in page, before any account
 * is known, in Italian for a browser that prefers it and in English otherwise (the desk has en and it), its
 * refusals included; once signed in, an Italian account's desk says a parcel's advice and the staff API's
 * refusals in Italian.
 */
import { describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from "../../db/seed.ts";
import { t } from "../../functions/i18n/index.ts";
import { say, text } from "../../functions/i18n/text.ts";
import { surelyNotCovered } from "../support/dates.ts";
import { englishLeft } from "../support/english.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { signInToWorker } from "../support/staff.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack();

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.worker.url}${path}`, { headers, redirect: "manual" });

function postForm(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${stack.worker.url}${path}`, {
    method: "POST",
    headers: { origin: stack.worker.url, "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
}

/** The words a reader sees in a page's <main> (tags, scripts and styles left out). */
function visibleMain(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  return main
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, " ")
    .replace(/<code>[\s\S]*?<\/code>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&[a-z]+;/g, " ")
    .replace(/\s+/g, " ");
}

const langOf = (html: string) => /<html[^>]*\blang="([^"]+)"/.exec(html)?.[1];

describe("the sign-in page before an account is known", () => {
  it("is in Italian for a browser that prefers Italian, with <html lang> and no English left", async () => {
    const res = await get("/admin/login", { "accept-language": "it-IT,it;q=0.9,en;q=0.5" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(langOf(html)).toBe("it");
    expect(html).toContain(`<h1>${t("it", "desk.login.title")}</h1>`);
    expect(html).toContain(t("it", "desk.login.submit"));
    expect(englishLeft(visibleMain(html))).toEqual([]);
  });

  it("is in English otherwise: no preference, English, or German (the desk has no German)", async () => {
    for (const headers of [{}, { "accept-language": "en-GB" }, { "accept-language": "de-DE,de;q=0.9" }]) {
      const html = await (await get("/admin/login", headers)).text();
      expect(langOf(html), JSON.stringify(headers)).toBe("en");
      expect(html).toContain("<h1>Staff sign-in</h1>");
    }
  });

  it("says a wrong password in the page's language, with the same status", async () => {
    const wrong = { email: DEMO_ADMIN_EMAIL, password: "not the password at all", next: "/admin" };
    const en = await postForm("/admin/login", wrong);
    expect(en.status).toBe(401);
    expect(await en.text()).toContain("The email or the password is not right.");
    const it = await postForm("/admin/login", wrong, { "accept-language": "it" });
    expect(it.status).toBe(401);
    const html = await it.text();
    expect(langOf(html)).toBe("it");
    expect(visibleMain(html)).toContain(t("it", "errors.signIn.wrong"));
    expect(englishLeft(visibleMain(html))).toEqual([]);
    // The right password still signs in (the failed attempts above are under the limit).
    const right = await postForm("/admin/login", { ...wrong, password: DEMO_ADMIN_PASSWORD }, { "accept-language": "it" });
    expect(right.status).toBe(303);
  });
});

describe("an Italian staff account's desk", () => {
  it("says the parcel lookup's advice, the audit log's refused filter and the staff API's refusals in Italian, whatever the browser prefers", async () => {
    const cookie = await signInToWorker(stack.worker.url);
    const json = (method: string, path: string, body?: unknown) =>
      fetch(`${stack.worker.url}${path}`, {
        method,
        headers: { cookie, origin: stack.worker.url, "content-type": "application/json", "accept-language": "en-US,en" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await json("PUT", "/api/admin/account/locale", { locale: "it" })).status).toBe(200);
    try {
      const [n = ""] = (await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)))).rmaNumbers;
      const page = await get(`/admin?lookup=${n}`, { cookie, "accept-language": "en-US,en" });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(langOf(html)).toBe("it");
      expect(html).toContain(t("it", "desk.lookup.advice.requested"));

      const refused = await json("POST", `/api/admin/rmas/${n}/ship`, { version: 1, carrier: "DHL", trackingNumber: "JD0146" });
      expect(refused.status).toBe(409);
      const { error } = (await refused.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("transition_refused");
      expect(error.message).toBe(
        "Una RMA nello stato «richiesta» può passare a «autorizzata», «respinta» o «annullata», non a «spedita».",
      );

      // The audit log's range of days: a day that is not a date is said beside its field, in Italian.
      const audit = await get("/admin/audit?from=2026-02-30&to=2026-11-01", { cookie, "accept-language": "en-US,en" });
      expect(audit.status).toBe(422);
      const auditHtml = await audit.text();
      expect(langOf(auditHtml)).toBe("it");
      expect(visibleMain(auditHtml)).toContain("«2026-02-30» non è una data come 2026-11-25.");
      expect(visibleMain(auditHtml)).toContain(t("it", "desk.audit.refused"));
      expect(englishLeft(visibleMain(auditHtml))).toEqual([]);

      // A form the team pages cannot read is refused in the account's language too.
      const unreadable = await fetch(`${stack.worker.url}/admin/account`, {
        method: "POST",
        headers: {
          cookie,
          origin: stack.worker.url,
          "content-type": "application/x-www-form-urlencoded",
          "accept-language": "en",
        },
        body: new Uint8Array([0x69, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x3d, 0xff, 0xfe]),
        redirect: "manual",
      });
      expect(unreadable.status).toBe(400);
      const accountHtml = await unreadable.text();
      expect(langOf(accountHtml)).toBe("it");
      expect(visibleMain(accountHtml)).toContain(t("it", "rma.pageForm.notUtf8"));
      expect(englishLeft(visibleMain(accountHtml))).toEqual([]);
    } finally {
      await json("PUT", "/api/admin/account/locale", { locale: "en" });
    }
  });

  it("says a desk page form's refusal in Italian: the quote form's amounts beside each field, the registry import's stale preview", async () => {
    const cookie = await signInToWorker(stack.worker.url);
    const headers = { cookie, origin: stack.worker.url, "accept-language": "en-US,en" };
    const json = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${stack.worker.url}${path}`, {
        method,
        headers: { ...headers, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
      return res;
    };
    const version = async (n: string) =>
      ((await (await json("GET", `/api/admin/rmas/${n}`)).json()) as { rma: { version: number } }).rma.version;
    await json("PUT", "/api/admin/account/locale", { locale: "it" });
    try {
      const [n = ""] = (await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1, surelyNotCovered)))).rmaNumbers;
      await json("POST", `/api/admin/rmas/${n}/authorize`, { version: await version(n) });
      await json("POST", `/api/admin/rmas/${n}/receive`, { version: await version(n) });

      const quote = await postForm(
        `/admin/rma/${n}`,
        {
          action: "quote",
          version: String(await version(n)),
          "quote.labourCents": "120",
          "quote.partsAndSuppliesCents": "45,505",
          "quote.handlingFeeCents": "25",
          "quote.returnShippingCents": "18",
        },
        headers,
      );
      expect(quote.status).toBe(422);
      const html = await quote.text();
      expect(langOf(html)).toBe("it");
      const form = /<form[^>]*id="act-quote"[\s\S]*?<\/form>/.exec(html)?.[0] ?? "";
      const alert = /<div[^>]*role="alert"[\s\S]*?<\/div>/.exec(html)?.[0] ?? "";
      const field = say("it", text("errors.desk.amountInEuros", { field: text("emails.quote.lines.partsAndSuppliesCents") }));
      expect(field).toBe("Il campo «Ricambi e materiali» deve essere un importo in euro come 120 o 45,50.");
      expect(visibleMain(form)).toContain(field);
      expect(visibleMain(alert)).toContain(t("it", "errors.desk.quoteAmounts"));
      // The form's own words (why the customer pays included) and its refusal: no English left.
      expect(englishLeft(visibleMain(`${alert}${form}`))).toEqual([]);

      const stale = await postForm(
        "/admin/registry",
        {
          intent: "commit",
          csv: "serial_number,model,purchase_date\nIT000001,Vega V640,2025-01-01",
          expectedAdded: "0",
          expectedChanged: "0",
        },
        headers,
      );
      expect(stale.status).toBe(409);
      const registry = await stale.text();
      expect(langOf(registry)).toBe("it");
      expect(visibleMain(registry)).toContain(t("it", "errors.desk.registry.changed", { added: 1, changed: 0 }));
      expect(englishLeft(visibleMain(registry))).toEqual([]);
    } finally {
      await json("PUT", "/api/admin/account/locale", { locale: "en" });
    }
  });
});
