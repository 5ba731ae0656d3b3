/**
 * The staff API in the staff member's own language (`staff_users.locale`, set on the account page): the same
 * refusal has the same `code` for an English and an Italian account, and its message and field messages in
 * the account's language, whatever the browser's `Accept-Language` says.
 */
import { describe, expect, it } from "vitest";
import { t } from "../../functions/i18n/index.ts";
import { englishLeft } from "../support/english.ts";
import { type ErrorBody, requestRmas, useStaffApi } from "../support/staff.ts";

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
