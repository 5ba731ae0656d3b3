import { describe, expect, it } from "vitest";
import { DEMO_SERIALS } from "../../db/seed.ts";
import { isRmaNumber } from "../../functions/domain/rma-number.ts";
import { useApi } from "../support/app.ts";
import { daysAgo, twoYearsOn } from "../support/dates.ts";
import { DESCRIPTION, freshUnits, requestBody } from "../support/requests.ts";
import type { ErrorBody } from "../support/staff.ts";

const stack = useApi();

type Created = {
  requestId: string;
  rmas: {
    rmaNumber: string;
    serialNumber: string;
    model: string;
    status: string;
    warranty: { covered: boolean; until: string };
  }[];
};

const counts = async () => {
  const [row] = await stack.db.query<{ r: number; m: number; e: number; o: number }>(
    "SELECT (SELECT count(*) FROM return_requests) r, (SELECT count(*) FROM rmas) m, (SELECT count(*) FROM rma_events) e, (SELECT count(*) FROM outbox) o",
  );
  return row;
};

describe("POST /api/rma-requests", () => {
  it("issues one RMA for one unit, with its warranty verdict, event and emails", async () => {
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const res = await stack.api.json("/api/rma-requests", requestBody([unit]));
    expect(res.status).toBe(201);
    const body = (await res.json()) as Created;
    expect(body.rmas).toHaveLength(1);
    const [rma] = body.rmas;
    expect(isRmaNumber(rma?.rmaNumber ?? "")).toBe(true);
    expect(rma).toMatchObject({ serialNumber: unit.serialNumber, model: unit.model, status: "requested" });
    expect(rma?.warranty.until).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const [stored] = await stack.db.query("SELECT * FROM rmas WHERE rma_number = ?", [rma?.rmaNumber ?? ""]);
    expect(stored).toMatchObject({ status: "requested", serial_number: unit.serialNumber, request_id: body.requestId });
    const events = await stack.db.query("SELECT actor, to_status FROM rma_events WHERE rma_number = ?", [rma?.rmaNumber ?? ""]);
    expect(events).toEqual([{ actor: "customer", to_status: "requested" }]);
    const mails = await stack.db.query<{ recipient: string; subject: string; text: string; status: string }>(
      "SELECT recipient, subject, text, status FROM outbox WHERE request_id = ? ORDER BY recipient",
      [body.requestId],
    );
    expect(mails.map((m) => m.recipient).sort()).toEqual(["desk@alkeria.example", "giulia@example.com"]);
    const receipt = mails.find((m) => m.recipient === "giulia@example.com");
    expect(receipt?.status).toBe("held"); // no RESEND_API_KEY: the outbox keeps it
    expect(receipt?.text).toContain(rma?.rmaNumber);
    expect(receipt?.text).toContain(unit.serialNumber);
    expect(receipt?.text).toMatch(/manufacturing defects only|not under warranty/);
    expect(receipt?.text).toMatch(/http:\/\/portal\.test\/rma\/RMA-\d\d-\d{6}-[A-Z]\?t=[\w-]{22}/);
  });

  it("issues 20 RMAs for 20 units in one request, all distinct", async () => {
    const units = freshUnits(20);
    const res = await stack.api.json("/api/rma-requests", requestBody(units));
    expect(res.status).toBe(201);
    const body = (await res.json()) as Created;
    expect(body.rmas.map((r) => r.serialNumber)).toEqual(units.map((u) => u.serialNumber));
    expect(new Set(body.rmas.map((r) => r.rmaNumber)).size).toBe(20);
    const [row] = await stack.db.query<{ n: number }>("SELECT count(*) n FROM rmas WHERE request_id = ?", [body.requestId]);
    expect(row?.n).toBe(20);
  });

  it("gives the warranty verdict from the registry's purchase date", async () => {
    const res = await stack.api.json(
      "/api/rma-requests",
      requestBody([
        { line: 0, serialNumber: DEMO_SERIALS.inWarranty, model: "Celera C1920", purchaseDate: "" },
        { line: 0, serialNumber: DEMO_SERIALS.outOfWarranty, model: "Necta N1280", purchaseDate: "" },
      ]),
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as Created;
    expect(body.rmas.map((r) => r.warranty.covered)).toEqual([true, false]);
    expect(body.rmas[1]?.warranty.until).toBe("2021-03-14");
  });

  it("normalises serial numbers typed with spaces and lower case", async () => {
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const typed = ` ${unit.serialNumber.slice(0, 2).toLowerCase()} ${unit.serialNumber.slice(2)} `;
    const res = await stack.api.json("/api/rma-requests", requestBody([{ ...unit, serialNumber: typed }]));
    expect(res.status).toBe(201);
    expect(((await res.json()) as Created).rmas[0]?.serialNumber).toBe(unit.serialNumber);
  });

  it("writes the whole request in exactly one database write, whatever the number of units", async () => {
    for (const n of [1, 10]) {
      stack.api.trips.reset();
      const res = await stack.api.json("/api/rma-requests", requestBody(freshUnits(n)));
      expect(res.status).toBe(201);
      expect({ units: n, writes: stack.api.trips.writes, roundTrips: stack.api.trips.total }).toEqual({
        units: n,
        writes: 1,
        roundTrips: 2,
      });
    }
  });

  it("answers the form's encoding with a 303 to the signed confirmation page", async () => {
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const form = new URLSearchParams({
      "contact.name": "Marco Rossi",
      "contact.email": "marco@example.com",
      "contact.phone": "+39 02 1234567",
      "contact.country": "Italy",
      "returnAddress.street": "Via Po 2",
      "returnAddress.postalCode": "20100",
      "returnAddress.city": "Milano",
      "returnAddress.country": "Italy",
      "units.0.model": unit.model,
      "units.0.serialNumber": unit.serialNumber,
      "units.0.issueDescription": DESCRIPTION,
      acceptTerms: "on",
      idempotencyKey: "form-key-0001",
    });
    const res = await stack.api.request("/api/rma-requests", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^\/rma\/requests\/[\w-]+\?t=[\w-]{22}$/);
  });
});

describe("refusals: a clear message per field, and nothing stored", () => {
  async function refused(body: unknown, status = 422, init?: RequestInit): Promise<ErrorBody> {
    const before = await counts();
    const res = init
      ? await stack.api.request("/api/rma-requests", init)
      : await stack.api.json("/api/rma-requests", body as Record<string, unknown>);
    expect(res.status).toBe(status);
    const json = (await res.json()) as ErrorBody;
    expect(json.error.code).toBeTruthy();
    expect(json.error.message).toBeTruthy();
    expect(await counts()).toEqual(before);
    return json;
  }

  it("refuses a malformed serial number, naming the unit", async () => {
    const units = freshUnits(2);
    const body = requestBody(units);
    (body.units[1] as { serialNumber: string }).serialNumber = "C!";
    const { error } = await refused(body);
    expect(error.code).toBe("units_refused");
    expect(error.fields?.["units.1.serialNumber"]).toMatch(/^Unit 2: "C!" is not a serial number/);
    expect(Object.keys(error.fields ?? {})).toEqual(["units.1.serialNumber"]);
  });

  it("refuses a serial number the registry does not know, saying where the label is", async () => {
    const body = requestBody([{ line: 0, serialNumber: DEMO_SERIALS.unknown, model: "Celera C1920", purchaseDate: "" }]);
    const { error } = await refused(body);
    expect(error.fields?.["units.0.serialNumber"]).toMatch(/not in our registry.*beside the I\/O connector/);
    expect(error.fields?.["units.0.purchaseDate"]).toMatch(/required/);
    expect(error.fields?.["units.0.invoiceNumber"]).toMatch(/required/);
  });

  it("accepts an unregistered serial when the purchase date and invoice number are given", async () => {
    const body = requestBody([{ line: 0, serialNumber: "XX000001", model: "Celera C1920", purchaseDate: "" }]);
    // Bought 100 days ago, whatever today is: covered, to the same day two years on.
    const purchaseDate = daysAgo(100);
    Object.assign(body.units[0] as object, { purchaseDate, invoiceNumber: "INV-2026-77" });
    const res = await stack.api.json("/api/rma-requests", body);
    expect(res.status).toBe(201);
    const created = (await res.json()) as Created;
    expect(created.rmas[0]?.warranty).toEqual({ covered: true, until: twoYearsOn(purchaseDate) });
  });

  it("refuses an unregistered serial whose model is not one of ours, and knows every registry model", async () => {
    const body = requestBody([{ line: 0, serialNumber: "XX000002", model: "Celera C9999", purchaseDate: "" }]);
    Object.assign(body.units[0] as object, { purchaseDate: "2026-01-10", invoiceNumber: "INV-2026-78" });
    const { error } = await refused(body);
    expect(error.fields?.["units.0.model"]).toBe(
      'Unit 1: "Celera C9999" is not one of our models. Choose the model from the list.',
    );
    const models = await stack.db.query<{ model: string }>("SELECT DISTINCT model FROM products ORDER BY model");
    for (const [i, { model }] of models.entries()) {
      const known = requestBody([{ line: 0, serialNumber: `XX10000${i}`, model, purchaseDate: "" }]);
      Object.assign(known.units[0] as object, { purchaseDate: "2026-01-10", invoiceNumber: `INV-2026-8${i}` });
      expect((await stack.api.json("/api/rma-requests", known)).status, model).toBe(201);
    }
  });

  it("refuses a model that does not match the registry", async () => {
    const [unit] = freshUnits(1, (r) => r.model !== "Vega V640");
    if (!unit) throw new Error("no unit");
    const { error } = await refused(requestBody([{ ...unit, model: "Vega V640" }]));
    expect(error.fields?.["units.0.model"]).toContain(`registered as a ${unit.model}, not a Vega V640`);
  });

  it("refuses the same serial twice in one request", async () => {
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const { error } = await refused(requestBody([unit, { ...unit, serialNumber: unit.serialNumber.toLowerCase() }]));
    expect(error.fields?.["units.1.serialNumber"]).toMatch(/already unit 1 of this request/);
  });

  it("refuses a serial that already has an open RMA, giving that RMA's number", async () => {
    const [unit] = freshUnits(1);
    if (!unit) throw new Error("no unit");
    const first = (await (await stack.api.json("/api/rma-requests", requestBody([unit]))).json()) as Created;
    const { error } = await refused(requestBody([unit]));
    expect(error.fields?.["units.0.serialNumber"]).toContain(`already has an open RMA, ${first.rmas[0]?.rmaNumber}`);
  });

  it("refuses a fault description under 30 characters, saying why", async () => {
    const body = requestBody(freshUnits(1));
    (body.units[0] as { issueDescription: string }).issueDescription = "Broken.";
    const { error } = await refused(body);
    expect(error.code).toBe("validation_failed");
    expect(error.fields?.["units.0.issueDescription"]).toMatch(/at least 30 characters.*since when.*software version/);
  });

  it("refuses missing fields, unknown fields and unconfirmed terms, each by its path", async () => {
    const body = requestBody(freshUnits(1), { acceptTerms: false, extra: 1 }) as Record<string, unknown>;
    delete (body["contact"] as Record<string, unknown>)["email"];
    (body["returnAddress"] as Record<string, unknown>)["postalCode"] = 56100;
    const { error } = await refused(body);
    expect(error.fields).toMatchObject({
      "contact.email": expect.stringMatching(/required|email/i),
      "returnAddress.postalCode": expect.stringMatching(/text/),
      acceptTerms: expect.stringMatching(/FCA, Incoterms 2020/),
      extra: expect.stringMatching(/not a field we know/),
    });
  });

  it("refuses more than 20 units and an empty list", async () => {
    const units = Array.from({ length: 21 }, (_, i) => ({
      line: 0,
      serialNumber: `XX${String(i).padStart(6, "0")}`,
      model: "Celera C1920",
      purchaseDate: "",
    }));
    expect((await refused(requestBody(units))).error.fields?.["units"]).toMatch(/At most 20 units/);
    expect((await refused(requestBody([]))).error.fields?.["units"]).toMatch(/at least one unit/);
  });

  it("refuses a field longer than its limit", async () => {
    const body = requestBody(freshUnits(1));
    body.contact.name = "x".repeat(101);
    expect((await refused(body)).error.fields?.["contact.name"]).toMatch(/at most 100 characters/);
  });

  it("answers 413 to a body over 64 KB", async () => {
    const body = requestBody(freshUnits(1));
    (body.units[0] as { issueDescription: string }).issueDescription = "x".repeat(70 * 1024);
    const { error } = await refused(body, 413);
    expect(error.code).toBe("body_too_large");
  });

  it("answers 415 to a content type it does not take", async () => {
    const { error } = await refused(null, 415, { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" });
    expect(error.fields?.["Content-Type"]).toBeTruthy();
  });

  it("answers 400 to malformed JSON and to invalid UTF-8", async () => {
    const bad = await refused(null, 400, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"contact": ',
    });
    expect(bad.error.code).toBe("invalid_json");
    const bytes = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
    const enc = await refused(null, 400, { method: "POST", headers: { "content-type": "application/json" }, body: bytes });
    expect(enc.error.code).toBe("invalid_encoding");
  });

  it("stores HTML and script as text and escapes it in the email", async () => {
    const body = requestBody(freshUnits(1));
    body.contact.name = `<img src=x onerror=alert(1)>`;
    (body.units[0] as { issueDescription: string }).issueDescription = `<script>alert("x")</script> ${DESCRIPTION}`;
    const res = await stack.api.json("/api/rma-requests", body);
    expect(res.status).toBe(201);
    const { requestId } = (await res.json()) as Created;
    const [req] = await stack.db.query<{ contact_name: string }>("SELECT contact_name FROM return_requests WHERE id = ?", [
      requestId,
    ]);
    expect(req?.contact_name).toBe(`<img src=x onerror=alert(1)>`);
    const mails = await stack.db.query<{ html: string }>("SELECT html FROM outbox WHERE request_id = ?", [requestId]);
    for (const m of mails) {
      expect(m.html).not.toContain("<img src=x");
      expect(m.html).not.toContain("<script>");
    }
    expect(mails.some((m) => m.html.includes("&lt;script&gt;"))).toBe(true);
  });
});

describe("GET /api/serials/{serial}", () => {
  it("answers a known serial with its model and warranty", async () => {
    const res = await stack.api.request(`/api/serials/${encodeURIComponent(" ce 104521 ")}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { serialNumber: string; model: string; warranty: { covered: boolean; until: string } };
    expect(body).toMatchObject({ serialNumber: "CE104521", model: "Celera C1920", warranty: { covered: true } });
  });

  it("answers an out-of-warranty serial", async () => {
    const res = await stack.api.request(`/api/serials/${DEMO_SERIALS.outOfWarranty}`);
    expect(await res.json()).toMatchObject({ purchaseDate: "2019-03-14", warranty: { covered: false, until: "2021-03-14" } });
  });

  it("answers 404 for an unknown serial, saying where the label is and how to reach support", async () => {
    const res = await stack.api.request(`/api/serials/${DEMO_SERIALS.unknown}`);
    expect(res.status).toBe(404);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe("unknown_serial");
    expect(error.message).toMatch(/on the back, beside the I\/O connector/);
    expect(error.message).toMatch(/rma@alkeria\.example/);
  });

  it("answers 400 for something that cannot be a serial", async () => {
    const res = await stack.api.request(`/api/serials/${encodeURIComponent("<script>")}`);
    expect(res.status).toBe(400);
  });
});
