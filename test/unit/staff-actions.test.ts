import { describe, expect, it } from "vitest";
import { filterQuery, parseQueueFilter, prefixEnd, readQueueFilter } from "../../functions/domain/queue-filter.ts";
import { availableActions } from "../../functions/domain/staff-actions.ts";
import { parseAction } from "../../functions/domain/staff-input.ts";
import type { RmaStatus } from "../../functions/domain/status.ts";
import { authorizationEmail, shippedEmail } from "../../functions/email/letters.ts";
import { say, sayAll } from "../../functions/i18n/text.ts";

const NOW = new Date("2026-11-25T09:00:00.000Z");
const rma = (status: RmaStatus, more: Partial<Parameters<typeof availableActions>[0]> = {}) => ({
  status,
  validUntil: status === "authorized" ? "2026-12-25T23:59:59.999Z" : null,
  warrantyCovered: true,
  cancellationRequestedAt: null,
  ...more,
});

describe("the actions staff are offered", () => {
  it("follows the lifecycle from each status", () => {
    expect(availableActions(rma("requested"), NOW)).toEqual(["authorize", "reject", "cancel"]);
    expect(availableActions(rma("authorized"), NOW)).toEqual(["cancel", "receive"]);
    expect(availableActions(rma("received"), NOW)).toEqual(["confirm-warranty", "refuse-warranty"]);
    expect(availableActions(rma("received", { warrantyCovered: false }), NOW)).toEqual(["quote"]);
    expect(availableActions(rma("quoted", { warrantyCovered: false }), NOW)).toEqual(["record-quote-answer"]);
    expect(availableActions(rma("repairing"), NOW)).toEqual(["finish-repair"]);
    expect(availableActions(rma("returning"), NOW)).toEqual(["ship"]);
    expect(availableActions(rma("shipped"), NOW)).toEqual(["close"]);
    for (const done of ["closed", "rejected", "cancelled", "expired"] as const)
      expect(availableActions(rma(done), NOW)).toEqual([]);
  });

  it("offers nothing for an authorised RMA past its 30 days: it is expired", () => {
    expect(availableActions(rma("authorized", { validUntil: "2026-11-24T23:59:59.999Z" }), NOW)).toEqual([]);
  });

  it("offers the decision on a cancellation request, granting only while it is not too late", () => {
    const asked = { cancellationRequestedAt: "2026-11-24T10:00:00.000Z" };
    expect(availableActions(rma("received", asked), NOW)).toEqual([
      "confirm-warranty",
      "refuse-warranty",
      "grant-cancellation",
      "refuse-cancellation",
    ]);
    expect(availableActions(rma("shipped", asked), NOW)).toEqual(["close", "refuse-cancellation"]);
  });
});

describe("staff input", () => {
  it("reads form values (all text) like JSON ones", () => {
    expect(parseAction("ship", { version: "3", carrier: " DHL ", trackingNumber: "JD0146" })).toEqual({
      ok: true,
      data: { version: 3, carrier: "DHL", trackingNumber: "JD0146" },
    });
    expect(parseAction("receive", { version: 2, receivedOn: "", condition: "", note: "" })).toEqual({
      ok: true,
      data: { version: 2 },
    });
  });

  it("names each field that is wrong, in the staff member's language", () => {
    const parsed = parseAction("ship", { carrier: "DHL\nExpress", trackingNumber: "x" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(sayAll("en", parsed.fields)).toMatchObject({
      version: expect.stringMatching(/required/),
      carrier: "The carrier must fit on one line.",
      trackingNumber: "The tracking number needs at least 3 characters.",
    });
    expect(sayAll("it", parsed.fields)).toMatchObject({
      version: expect.stringMatching(/obbligatorio/),
      carrier: "Il campo «Il corriere» deve stare su una sola riga.",
      trackingNumber: "Il campo «Il numero di tracciamento» richiede almeno 3 caratteri.",
    });
  });
});

describe("queue filters", () => {
  it("reads the filters and writes them back for paging links", () => {
    const { filter, errors } = parseQueueFilter(new URLSearchParams("status=received&model=Vega V640&q=%20ottica%20&page=2"));
    expect(errors).toEqual({});
    expect(filter).toEqual({ status: "received", model: "Vega V640", q: "ottica", page: 2 });
    expect(filterQuery(filter, 3)).toBe("?status=received&model=Vega+V640&q=ottica&page=3");
  });

  it("refuses a range whose end is before its start", () => {
    const range = { from: "2026-05-01", to: "2026-04-01" };
    expect(parseQueueFilter(range).errors["to"]).toMatch(/before the start/);
    expect(parseQueueFilter(range, "it").errors["to"]).toBe("La data finale precede quella iniziale.");
    expect(say("it", readQueueFilter(range).errors["to"] ?? "")).toBe("La data finale precede quella iniziale.");
  });

  it("bounds a prefix search", () => {
    expect(prefixEnd("abc")).toBe("abd");
    expect("abcz" < prefixEnd("abc")).toBe(true);
  });
});

describe("staff action emails", () => {
  it("escape what staff and customers typed in the HTML and keep it readable in the text", () => {
    const mail = shippedEmail({
      name: "<b>Anna</b>",
      unit: { rmaNumber: "RMA-26-000001-K", model: "Vega V640", serialNumber: "VE1" },
      carrier: `<script>alert("x")</script>`,
      trackingNumber: "1Z&2",
      address: "Via Roma 1",
      covered: true,
    });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;");
    expect(mail.html).toContain("&lt;b&gt;Anna&lt;/b&gt;");
    expect(mail.text).toContain(`Carrier: <script>alert("x")</script>`);
    expect(mail.text).toContain("at our expense (CPT)");
  });

  it("list every unit authorised with its printable form link and the ship-by day", () => {
    const mail = authorizationEmail({
      name: "Anna",
      shipBy: "2026-12-25",
      units: [
        {
          rmaNumber: "RMA-26-000001-K",
          model: "Vega V640",
          serialNumber: "VE1",
          warranty: { covered: true, until: "2027-01-01" },
          printUrl: "https://p/1",
        },
        {
          rmaNumber: "RMA-26-000002-M",
          model: "Vega V640",
          serialNumber: "VE2",
          warranty: { covered: false, until: "2025-01-01" },
          printUrl: "https://p/2",
        },
      ],
    });
    expect(mail.subject).toBe("RMA authorised: RMA-26-000001-K, RMA-26-000002-M — ship by 25 December 2026");
    expect(mail.text).toContain("these 2 units");
    expect(mail.html).toContain('<a href="https://p/2">');
    expect(mail.text).toContain("not under warranty (it ended on 1 January 2025)");
  });
});
