/**
 * The API in the reader's language, and the customer's language following the RMA: the same invalid
 * request gets the same `code` in every language and its message and field messages in the language of
 * `Accept-Language` or a body's `locale`; a request's locale is stored, and every email about it is
 * written in it, whichever staff member acts and in whatever language they work.
 */
import { describe, expect, it } from "vitest";
import { signToken } from "../../functions/auth/tokens.ts";
import { t } from "../../functions/i18n/index.ts";
import { englishLeft } from "../support/english.ts";
import { freshUnits, requestBody } from "../support/requests.ts";
import { advance, type ErrorBody, QUOTE, useStaffApi } from "../support/staff.ts";

const stack = useStaffApi();

/** One request wrong in several fields: no name, a bad email, a short fault description, the terms not accepted. */
function invalidRequest(overrides: Record<string, unknown> = {}) {
  const body = requestBody(freshUnits(1));
  body.contact.name = "";
  body.contact.email = "not-an-address";
  (body.units[0] as { issueDescription: string }).issueDescription = "broken";
  return { ...body, acceptTerms: false, ...overrides };
}

async function errorOf(res: Response): Promise<ErrorBody["error"] & { status: number }> {
  const body = (await res.json()) as ErrorBody;
  return { status: res.status, ...body.error };
}

const allWords = (e: ErrorBody["error"]) => [e.message, ...Object.values(e.fields ?? {})].join("\n");

describe("API errors in the reader's language", () => {
  it("answers the same invalid request with the same code, in English, Italian (Accept-Language) and German (body locale)", async () => {
    const en = await errorOf(await stack.api.json("/api/rma-requests", invalidRequest()));
    const it = await errorOf(
      await stack.api.json("/api/rma-requests", invalidRequest(), { "accept-language": "it-IT,it;q=0.9,en;q=0.5" }),
    );
    const de = await errorOf(await stack.api.json("/api/rma-requests", invalidRequest({ locale: "de" })));
    for (const e of [en, it, de]) {
      expect(e.status).toBe(422);
      expect(e.code).toBe("validation_failed");
      expect(Object.keys(e.fields ?? {}).sort()).toEqual(
        ["acceptTerms", "contact.email", "contact.name", "units.0.issueDescription"].sort(),
      );
    }
    expect(en.message).toBe("Some fields need attention: see the message beside each of them.");
    expect(en.fields?.["contact.name"]).toBe("Your name needs at least 2 characters.");
    expect(it.message).toBe(t("it", "errors.validation"));
    expect(it.fields?.["contact.name"]).toBe("Il campo «Il vostro nome» richiede almeno 2 caratteri.");
    expect(it.fields?.["contact.email"]).toBe(t("it", "errors.request.emailInvalid"));
    expect(it.fields?.["units.0.issueDescription"]).toContain("almeno 30 caratteri");
    expect(it.fields?.["acceptTerms"]).toContain("FCA, Incoterms 2020");
    expect(de.message).toBe(t("de", "errors.validation"));
    expect(de.fields?.["contact.name"]).toBe("Das Feld „Ihr Name“ braucht mindestens 2 Zeichen.");
    for (const [locale, e] of [
      ["it", it],
      ["de", de],
    ] as const) {
      expect(englishLeft(allWords(e)), locale).toEqual([]);
      for (const [field, message] of Object.entries(e.fields ?? {})) expect(message, field).not.toBe(en.fields?.[field]);
    }
    // The control: the English answer does read as English.
    expect(englishLeft(allWords(en)).length).toBeGreaterThan(0);
  });

  it("says units the registry refuses, a malformed RMA number and a malformed serial in the reader's language", async () => {
    const refused = await errorOf(
      await stack.api.json(
        "/api/rma-requests",
        requestBody([{ serialNumber: "ZZ-0000-NOPE", model: "Vega V640", purchaseDate: "2025-01-01", line: 1 }]),
        { "accept-language": "de" },
      ),
    );
    expect(refused.code).toBe("units_refused");
    expect(refused.message).toBe(t("de", "errors.unitsRefused"));
    expect(refused.fields?.["units.0.serialNumber"]).toContain("ist nicht in unserem Register");
    expect(englishLeft(allWords(refused))).toEqual([]);

    const lookup = (headers: Record<string, string>) =>
      stack.api.json("/api/rmas/lookup", { rmaNumber: "RMA-2-1", email: "giulia@example.com" }, headers);
    const [lookupEn, lookupIt] = [await errorOf(await lookup({})), await errorOf(await lookup({ "accept-language": "it" }))];
    expect([lookupEn.code, lookupIt.code]).toEqual(["rma_number_malformed", "rma_number_malformed"]);
    expect(lookupIt.message).toBe(t("it", "errors.rmaNumber.format"));
    expect(lookupIt.fields?.["rmaNumber"]).toBe(t("it", "errors.rmaNumber.format"));
    expect(lookupIt.message).not.toBe(lookupEn.message);

    const serial = await errorOf(await stack.api.request("/api/serials/%24%24", { headers: { "accept-language": "it" } }));
    expect(serial.code).toBe("malformed_serial");
    expect(serial.message).toContain("non è un numero di serie");
    expect(englishLeft(allWords(serial))).toEqual([]);
  });

  it("refuses an unknown locale in the body, naming the ones there are", async () => {
    const e = await errorOf(await stack.api.json("/api/rma-requests", { ...requestBody(freshUnits(1)), locale: "fr" }));
    expect(e.code).toBe("validation_failed");
    expect(e.fields?.["locale"]).toBe("locale must be one of en, it, de.");
  });
});

const mailsOf = (requestId: string) =>
  stack.db.query<{ recipient: string; subject: string; text: string; html: string; dedupe_key: string }>(
    "SELECT recipient, subject, text, html, dedupe_key FROM outbox WHERE request_id = ? ORDER BY created_at, rowid",
    [requestId],
  );

/** The visible words of an email: subject, text part, and HTML part without its tags. */
const visible = (m: { subject: string; text: string; html: string }) =>
  [
    m.subject,
    m.text,
    m.html
      .replace(/<[^>]+>/g, " ")
      .replace(/&#39;/g, "'")
      .replace(/&[a-z]+;/g, " "),
  ].join("\n");

async function issue(locale: { header?: string; body?: string }, count = 1, covered?: boolean) {
  const units = freshUnits(
    count,
    covered === undefined ? () => true : (u) => (covered ? u.purchaseDate > "2025-06-01" : u.purchaseDate < "2023-01-01"),
  );
  const body = { ...requestBody(units), ...(locale.body ? { locale: locale.body } : {}) };
  const res = await stack.api.json("/api/rma-requests", body, locale.header ? { "accept-language": locale.header } : {});
  expect(res.status).toBe(201);
  const created = (await res.json()) as { requestId: string; rmas: { rmaNumber: string }[] };
  return { requestId: created.requestId, numbers: created.rmas.map((r) => r.rmaNumber) };
}

describe("the customer's language follows the RMA", () => {
  it("stores the request's locale and writes the receipt in it; the staff notice stays English", async () => {
    const { requestId } = await issue({ header: "it" }, 2);
    const [row] = await stack.db.query("SELECT locale FROM return_requests WHERE id = ?", [requestId]);
    expect(row?.["locale"]).toBe("it");
    const mails = await mailsOf(requestId);
    const receipt = mails.find((m) => m.recipient === "giulia@example.com");
    const staff = mails.find((m) => m.recipient !== "giulia@example.com");
    expect(receipt?.subject).toMatch(/^Richiesta RMA ricevuta: RMA-/);
    expect(englishLeft(visible(receipt ?? { subject: "", text: "", html: "" }))).toEqual([]);
    expect(staff?.subject).toMatch(/^New RMA request from Giulia Bianchi/);
  });

  it("writes staff actions' customer emails in the request's language, whatever the staff member's language", async () => {
    const de = { "accept-language": "de" };
    // Italian request: authorised, received, quoted by staff working in German.
    const italian = await issue({ body: "it" }, 1, false);
    const n = italian.numbers[0] as string;
    await advance(stack.staff, n, [["authorize", { note: "Difetto noto del firmware." }]]);
    expect((await stack.staff.act(n, "receive", { condition: "Scatola integra." })).status).toBe(200);
    const quoted = await stack.staff.send(
      "POST",
      `/api/admin/rmas/${n}/quote`,
      { version: await stack.staff.version(n), ...QUOTE },
      de,
    );
    expect(quoted.status).toBe(200);
    // German request: one unit rejected, one cancelled by staff.
    const german = await issue({ header: "de-DE,de;q=0.9" }, 2);
    const [rejected, cancelled] = german.numbers as [string, string];
    await advance(stack.staff, rejected, [["reject", { reason: "Das Gerät ist kein Alkeria-Produkt." }]]);
    await advance(stack.staff, cancelled, [["cancel", { reason: "Vom Kunden telefonisch storniert." }]]);

    const customerMails = async (requestId: string) =>
      (await mailsOf(requestId)).filter((m) => m.recipient === "giulia@example.com" && !m.dedupe_key.startsWith("received:"));
    const itMails = await customerMails(italian.requestId);
    expect(itMails.map((m) => m.subject.split(":")[0])).toEqual([
      "Richiesta RMA ricevuta",
      "RMA autorizzata",
      `Preventivo di riparazione per ${n}`,
    ]);
    const deMails = await customerMails(german.requestId);
    expect(deMails.map((m) => m.subject.split(":")[0])).toEqual(["RMA-Anfrage erhalten", "RMA nicht genehmigt", "RMA storniert"]);
    for (const m of [...itMails, ...deMails]) expect(englishLeft(visible(m)), m.subject).toEqual([]);
    // Dates and money in the reader's form.
    expect(itMails[1]?.subject).toMatch(/spedire entro il \d{1,2} [a-z]+ \d{4}$/);
    expect(itMails[2]?.subject).toMatch(/208,50\s€$/);
    // The quote page's API, opened from the Italian email's link, in Italian.
    const token = await signToken(stack.api.env.LINK_SECRET ?? "", "quote", n);
    const quote = await stack.api.request(`/api/quotes/${n}?t=${token}`, { headers: { "accept-language": "it" } });
    expect(quote.status).toBe(200);
    const view = (await quote.json()) as { why: string; lines: { label: string }[] };
    expect(view.lines.map((l) => l.label)).toEqual([
      "Manodopera",
      "Ricambi e materiali",
      "Spese di gestione",
      "Spedizione di ritorno",
    ]);
    expect(view.why).toMatch(/^L'unità è fuori garanzia \(scaduta il \d{1,2} [a-z]+ \d{4}\)\.$/);
  });

  it("writes the customer's own cancellation email in the request's language, and answers in the caller's", async () => {
    const { numbers } = await issue({ header: "it" });
    const n = numbers[0] as string;
    const res = await stack.api.json(
      `/api/rmas/${n}/cancel`,
      { email: "giulia@example.com", reason: "Abbiamo risolto da soli." },
      { "accept-language": "de" },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { outcome: string; message: string };
    expect(body.outcome).toBe("cancelled");
    expect(body.message).toBe(t("de", "errors.cancel.done", { rmaNumber: n }));
    const [mail] = await stack.db.query<{ subject: string; text: string; html: string }>(
      "SELECT subject, text, html FROM outbox WHERE rma_number = ? AND recipient = 'giulia@example.com'",
      [n],
    );
    expect(mail?.subject).toBe(`RMA ${n} annullata`);
    expect(englishLeft(visible(mail ?? { subject: "", text: "", html: "" }))).toEqual([]);
  });

  it("shows a looked-up RMA's status, next step and history in the caller's language", async () => {
    const { numbers } = await issue({ header: "it" });
    const n = numbers[0] as string;
    const look = async (headers: Record<string, string>) => {
      const res = await stack.api.json("/api/rmas/lookup", { rmaNumber: n, email: "giulia@example.com" }, headers);
      expect(res.status).toBe(200);
      return ((await res.json()) as { rma: { statusLabel: string; nextStep: string; timeline: { title: string }[] } }).rma;
    };
    const [en, de] = [await look({}), await look({ "accept-language": "de" })];
    expect(en.statusLabel).toBe(t("en", "rma.status.requested"));
    expect(de.statusLabel).toBe(t("de", "rma.status.requested"));
    expect(de.nextStep).toBe(t("de", "rma.next.requested"));
    expect(de.timeline.map((e) => e.title)).toEqual([t("de", "rma.status.requested")]);
    expect(englishLeft([de.statusLabel, de.nextStep].join("\n"))).toEqual([]);
  });

  it("says the system's notes in the customer's timeline in the caller's language", async () => {
    const [known] = freshUnits(1);
    const body = requestBody([]);
    body.units = [
      {
        model: known?.model ?? "",
        serialNumber: "NEW-2026-7781",
        purchaseDate: "2026-01-15",
        invoiceNumber: "FT-2026-0042",
        issueDescription: "Nessuna immagine dopo dieci minuti di acquisizione continua via USB 3.",
      } as (typeof body.units)[number],
    ];
    const res = await stack.api.json("/api/rma-requests", body, { "accept-language": "it" });
    expect(res.status).toBe(201);
    const n = ((await res.json()) as { rmas: { rmaNumber: string }[] }).rmas[0]?.rmaNumber ?? "";
    const look = await stack.api.json(
      "/api/rmas/lookup",
      { rmaNumber: n, email: "giulia@example.com" },
      { "accept-language": "it" },
    );
    const { rma } = (await look.json()) as { rma: { timeline: { note: string | null }[] } };
    expect(rma.timeline[0]?.note).toBe(
      "Numero di serie non presente nel registro: data di acquisto 2026-01-15 dalla fattura FT-2026-0042.",
    );
  });
});
