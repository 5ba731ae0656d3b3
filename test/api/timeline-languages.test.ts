/**
 * The customer's timeline of an RMA taken through the workshop (received, diagnosed, repaired, shipped
 * back) in Italian and German: the system's notes, stored in English for the desk, are said in the
 * reader's language; the condition and the carrier stay as staff typed them. Real sqld, the app in Node.
 */
import { describe, expect, it } from "vitest";
import { signToken } from "../../functions/auth/tokens.ts";
import { TEST_APP_LINK_SECRET } from "../support/app.ts";
import { englishLeft } from "../support/english.ts";
import { advance, requestRmas, useStaffApi } from "../support/staff.ts";

const stack = useStaffApi();

describe("the timeline of an RMA repaired and shipped back", () => {
  it("says the workshop's notes in the reader's language", async () => {
    const [n = ""] = (await requestRmas(stack.api, 1, { covered: true })).rmaNumbers;
    await advance(stack.staff, n, [
      ["authorize"],
      ["receive", { condition: "scatola ammaccata" }],
      ["confirm-warranty"],
      ["finish-repair", { firmwareShipped: "4.2.1" }],
      ["ship", { carrier: "DHL Express", trackingNumber: "JD014600003828" }],
    ]);
    const token = await signToken(TEST_APP_LINK_SECRET, "rma", n);
    const notesIn = async (language: string) => {
      const res = await stack.api.request(`/api/rmas/${n}?t=${token}`, { headers: { "accept-language": language } });
      expect(res.status).toBe(200);
      const { rma } = (await res.json()) as { rma: { timeline: { status: string | null; note: string | null }[] } };
      return Object.fromEntries(rma.timeline.map((e) => [e.status ?? "", e.note ?? ""]));
    };
    const it_ = await notesIn("it");
    expect(it_["received"]).toMatch(/^Pacco arrivato il \d{1,2} \p{L}+ \d{4}\. Condizioni: scatola ammaccata\.$/u);
    expect(it_["repairing"]).toBe("Garanzia confermata alla diagnosi.");
    expect(it_["returning"]).toBe("Riparazione completata. Firmware alla spedizione: 4.2.1.");
    expect(it_["shipped"]).toBe("Rispedita con DHL Express, numero di tracciamento JD014600003828.");
    expect(englishLeft(Object.values(it_).join(" "))).toEqual([]);
    const de = await notesIn("de");
    expect(de["shipped"]).toBe("Zurückgesendet mit DHL Express, Sendungsnummer JD014600003828.");
    expect(englishLeft(Object.values(de).join(" "))).toEqual([]);
    const en = await notesIn("en");
    expect(en["returning"]).toBe("Repair finished. Firmware as shipped: 4.2.1.");
  });
});
