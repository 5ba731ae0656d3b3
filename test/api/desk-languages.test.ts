/**
 * The staff API in the staff member's own language (`staff_users.locale`, set on the account page): the same
 * refusal has the same `code` for an English and an Italian account, and its message and field messages in
 * the account's language, whatever the browser's `Accept-Language` says.
 */
import { describe, expect, it } from "vitest";
import { t } from "../../functions/i18n/index.ts";
import { englishLeft } from "../support/english.ts";
import { advance, type ErrorBody, ORIGIN, requestRmas, TO_RECEIVED, useStaffApi } from "../support/staff.ts";

const stack = useStaffApi();

type Refused = ErrorBody["error"] & { status: number };

async function errorOf(res: Response): Promise<Refused> {
  const body = (await res.json()) as ErrorBody;
  return { status: res.status, ...body.error };
}

const allWords = (e: ErrorBody["error"]) => [e.message, ...Object.values(e.fields ?? {})].join("\n");

/** The desk language of the signed-in staff member (the account page's `PUT /api/admin/account/locale`). */
async function workIn(locale: "en" | "it"): Promise<void> {
  const res = await stack.staff.send("PUT", "/api/admin/account/locale", { locale });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** The same request made by the account in English, then in Italian (the browser asking for German both times). */
async function inBoth(request: () => Promise<Response>): Promise<{ en: Refused; it: Refused }> {
  await workIn("en");
  const en = await errorOf(await request());
  await workIn("it");
  const it = await errorOf(await request());
  await workIn("en");
  expect(it.code).toBe(en.code);
  expect(it.status).toBe(en.status);
  expect(Object.keys(it.fields ?? {}).sort()).toEqual(Object.keys(en.fields ?? {}).sort());
  expect(it.message).not.toBe(en.message);
  expect(englishLeft(allWords(it)), allWords(it)).toEqual([]);
  // The control: the English answer does read as English.
  expect(englishLeft(allWords(en), 2).length).toBeGreaterThan(0);
  return { en, it };
}

const GERMAN_BROWSER = { "accept-language": "de-DE,de;q=0.9" };

describe("the staff API in the account's language", () => {
  it("says a transition the lifecycle refuses in Italian, naming the allowed moves", async () => {
    const [n = ""] = (await requestRmas(stack.api)).rmaNumbers;
    const { en, it } = await inBoth(async () =>
      stack.staff.send("POST", `/api/admin/rmas/${n}/receive`, { version: await stack.staff.version(n) }, GERMAN_BROWSER),
    );
    expect(en.code).toBe("transition_refused");
    expect(en.message).toBe("An RMA that is requested can move to authorized, rejected or cancelled, not to received.");
    expect(it.message).toBe(
      "Una RMA nello stato «richiesta» può passare a «autorizzata», «respinta» o «annullata», non a «ricevuta».",
    );
  });

  it("says a conflict (a version someone else changed) in Italian", async () => {
    const [n = ""] = (await requestRmas(stack.api)).rmaNumbers;
    const { en, it } = await inBoth(() =>
      stack.staff.send("POST", `/api/admin/rmas/${n}/authorize`, { version: 99 }, GERMAN_BROWSER),
    );
    expect(en.code).toBe("conflict");
    expect(en.message).toMatch(/was changed by someone else since you loaded it \(it is now requested\)/);
    expect(it.message).toBe(
      `${n} è stata modificata da qualcun altro dopo che hai aperto la pagina (ora è richiesta). Ricarica la pagina e controllala prima di riprovare.`,
    );
  });

  it("says a refused receipt (an arrival date in the future) with its field message in Italian", async () => {
    const [n = ""] = (await requestRmas(stack.api)).rmaNumbers;
    expect((await stack.staff.act(n, "authorize")).status).toBe(200);
    const { en, it } = await inBoth(async () =>
      stack.staff.send(
        "POST",
        `/api/admin/rmas/${n}/receive`,
        { version: await stack.staff.version(n), receivedOn: "2099-01-01" },
        GERMAN_BROWSER,
      ),
    );
    expect(en.code).toBe("validation_failed");
    expect(en.message).toBe("The arrival date cannot be in the future.");
    expect(it.message).toBe(t("it", "errors.desk.receive.future"));
    expect(it.fields?.["receivedOn"]).toMatch(/^La data di arrivo non può essere successiva a oggi \(\d{4}-\d{2}-\d{2}\)\.$/);
  });

  it("says the schema's field messages of an action in Italian (a shipment without carrier and tracking number)", async () => {
    const [n = ""] = (await requestRmas(stack.api)).rmaNumbers;
    const { en, it } = await inBoth(() =>
      stack.staff.send("POST", `/api/admin/rmas/${n}/ship`, { carrier: "D\nHL", trackingNumber: "x" }, GERMAN_BROWSER),
    );
    expect(en.code).toBe("validation_failed");
    expect(en.fields).toMatchObject({ carrier: "The carrier must fit on one line." });
    expect(it.message).toBe(t("it", "errors.validation"));
    expect(it.fields).toMatchObject({
      carrier: "Il campo «Il corriere» deve stare su una sola riga.",
      trackingNumber: "Il campo «Il numero di tracciamento» richiede almeno 3 caratteri.",
      version: expect.stringMatching(/^version è obbligatorio/),
    });
  });

  it("says an unknown RMA in Italian, on its page's API and on an action", async () => {
    const missing = "RMA-26-000000-A";
    const page = await inBoth(() => stack.staff.send("GET", `/api/admin/rmas/${missing}`, undefined, GERMAN_BROWSER));
    expect(page.en.code).toBe("not_found");
    expect(page.en.message).toBe(`There is no RMA ${missing}.`);
    expect(page.it.message).toBe(`Non esiste nessuna RMA ${missing}.`);
    const action = await inBoth(() =>
      stack.staff.send("POST", `/api/admin/rmas/${missing}/authorize`, { version: 1 }, GERMAN_BROWSER),
    );
    expect(action.it.message).toBe(`Non esiste nessuna RMA ${missing}.`);
  });

  it("says a queue filter it cannot use in Italian", async () => {
    const { en, it } = await inBoth(() =>
      stack.staff.send("GET", "/api/admin/queue?assigned=everyone", undefined, GERMAN_BROWSER),
    );
    expect(en.code).toBe("validation_failed");
    expect(en.message).toBe("Some filters cannot be used.");
    expect(it.message).toBe("Alcuni filtri non si possono usare.");
    expect(it.fields).toEqual({ assigned: "Usa assigned=me oppure assigned=none." });
  });

  it("says a quote's refused amounts beside each of them in Italian, each named as the quote names it", async () => {
    const [n = ""] = (await requestRmas(stack.api, 1, { covered: false })).rmaNumbers;
    await advance(stack.staff, n, TO_RECEIVED);
    const amounts = { labourCents: -100, partsAndSuppliesCents: 10.5, handlingFeeCents: 200_000_000, returnShippingCents: 0 };
    const { en, it } = await inBoth(async () =>
      stack.staff.send(
        "POST",
        `/api/admin/rmas/${n}/quote`,
        { version: await stack.staff.version(n), ...amounts },
        GERMAN_BROWSER,
      ),
    );
    expect(en.code).toBe("validation_failed");
    expect(en.fields).toEqual({
      labourCents: "Labour cannot be negative.",
      partsAndSuppliesCents: "Parts and supplies must be an amount in euros with at most two decimals.",
      handlingFeeCents: "Handling fee cannot be more than one million euros.",
    });
    expect(it.message).toBe(t("it", "errors.desk.quoteAmounts"));
    expect(it.fields).toEqual({
      labourCents: "Il campo «Manodopera» non può essere negativo.",
      partsAndSuppliesCents: "Il campo «Ricambi e materiali» deve essere un importo in euro con al massimo due decimali.",
      handlingFeeCents: "Il campo «Spese di gestione» non può superare un milione di euro.",
    });
  });

  it("says the queue's refused filters beside each of them in Italian", async () => {
    const { en, it } = await inBoth(() =>
      stack.staff.send("GET", "/api/admin/queue?status=lost&warranty=maybe&page=0", undefined, GERMAN_BROWSER),
    );
    expect(en.fields?.["status"]).toMatch(/^There is no status "lost"\. Choose one of: requested, /);
    expect(it.fields?.["status"]).toMatch(/^Non esiste lo stato «lost»\. Scegline uno tra: requested, /);
    expect(it.fields?.["page"]).toBe(t("it", "errors.desk.filters.page"));
  });

  it("says the outbox's refused retry (no email provider) in Italian", async () => {
    const { en, it } = await inBoth(() => stack.staff.send("POST", "/api/admin/outbox/retry", { all: true }, GERMAN_BROWSER));
    expect(en.code).toBe("no_email_provider");
    expect(it.message).toBe(t("it", "desk.outbox.noProvider"));
  });

  it("says a parcel lookup's advice in Italian", async () => {
    const [n = ""] = (await requestRmas(stack.api)).rmaNumbers;
    await workIn("it");
    const res = await stack.staff.send("GET", `/api/admin/lookup?q=${n}`, undefined, GERMAN_BROWSER);
    await workIn("en");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { matches: { advice: string }[] };
    expect(body.matches.map((m) => m.advice)).toEqual([t("it", "desk.lookup.advice.requested")]);
  });
});

describe("the audit log's range of days", () => {
  const today = new Date().toISOString().slice(0, 10);
  const dayFrom = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const entries = async (query: string) => {
    const res = await stack.staff.send("GET", `/api/admin/audit?${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as { rows: { at: string; kind: string }[]; total: number };
  };

  it("lists the entries of the days from `from` to `to`, both included", async () => {
    const all = await entries("");
    expect(all.total).toBeGreaterThan(0);
    expect((await entries(`from=${today}&to=${today}`)).total).toBe(all.total);
    expect((await entries(`from=${today}`)).total).toBe(all.total);
    expect((await entries(`to=${dayFrom(-1)}`)).total).toBe(0);
    expect((await entries(`from=${dayFrom(1)}`)).total).toBe(0);
    const signIns = await entries(`kind=sign-in&from=${dayFrom(-1)}&to=${today}`);
    expect(signIns.rows.map((r) => r.kind)).toEqual(signIns.rows.map(() => "sign-in"));
    expect(signIns.total).toBeGreaterThan(0);
  });

  it("refuses a day that is not a date, and an end before the start, naming the field, in the account's language", async () => {
    const bad = await inBoth(() =>
      stack.staff.send("GET", "/api/admin/audit?from=2026-02-30&to=yesterday", undefined, GERMAN_BROWSER),
    );
    expect(bad.en.code).toBe("validation_failed");
    expect(bad.en.fields).toEqual({
      from: '"2026-02-30" is not a date like 2026-11-25.',
      to: '"yesterday" is not a date like 2026-11-25.',
    });
    expect(bad.it.fields?.["from"]).toBe("«2026-02-30» non è una data come 2026-11-25.");
    const order = await inBoth(() => stack.staff.send("GET", "/api/admin/audit?from=2026-11-02&to=2026-11-01"));
    expect(order.it.fields).toEqual({ to: "La data finale precede quella iniziale." });
  });
});

describe("before an account is known: the browser's language", () => {
  const ITALIAN_BROWSER = { "accept-language": "it-IT,it;q=0.9" };

  it("says a wrong email or password in Italian, beside the password too, with the same code", async () => {
    const wrong = { email: "nobody-here@example.com", password: "not the password at all" };
    const refused = async (headers: Record<string, string>) =>
      errorOf(await stack.api.json("/api/admin/session", wrong, { origin: ORIGIN, ...headers }));
    const en = await refused({});
    const it = await refused(ITALIAN_BROWSER);
    expect(en).toMatchObject({ status: 401, code: "invalid_credentials", message: "The email or the password is not right." });
    expect(en.fields).toEqual({ password: "The email or the password is not right." });
    expect(it).toMatchObject({ status: 401, code: "invalid_credentials", message: t("it", "errors.signIn.wrong") });
    expect(it.fields).toEqual({ password: t("it", "errors.signIn.wrong") });
  });

  it("says a request without a session, and one from another site, in Italian", async () => {
    const unsigned = await errorOf(await stack.api.request("/api/admin/queue", { headers: ITALIAN_BROWSER }));
    expect(unsigned).toMatchObject({ status: 401, code: "unauthenticated", message: t("it", "errors.staff.notSignedIn") });
    const crossSite = await errorOf(
      await stack.api.json(
        "/api/admin/session",
        { email: "a@example.com", password: "x" },
        { origin: "https://elsewhere.example", ...ITALIAN_BROWSER },
      ),
    );
    expect(crossSite).toMatchObject({ status: 403, code: "cross_site_forbidden", message: t("it", "errors.staff.crossSite") });
    expect(englishLeft([unsigned.message, crossSite.message].join("\n"))).toEqual([]);
  });
});
