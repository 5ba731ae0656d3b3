/**
 * The workshop's and the cancellation's event notes are stored in English (the desk's log) and said in the
 * reader's words on the customer's timeline and the staff history; the staff member's own note that follows
 * them is kept as written, and a note a person wrote alone is left as it is.
 */
import { describe, expect, it } from "vitest";
import type { EventRow, RmaRow } from "../../db/schema.ts";
import { type MessageKey, t } from "../../functions/i18n/index.ts";
import { workshopNotes } from "../../functions/services/account/returns.ts";
import { sentences } from "../../functions/services/rma/action-context.ts";
import {
  cancellationGrantedNote,
  conditionNote,
  diagnosedNote,
  failureNote,
  firmwareShippedNote,
  REPAIRED_NOTE,
  receivedNote,
  shippedNote,
  systemNote,
} from "../../functions/services/rma/issuing/notes.ts";

const sayIn = (locale: "en" | "it" | "de") => (key: string, params?: Record<string, string>) =>
  t(locale, `emails.timeline.${key}` as MessageKey, params);
const longDay = (day: string) => `«${day}»`;

describe("the workshop's notes, said in the reader's words", () => {
  it("says a receipt with its day (as the reader writes days), the condition and the staff member's own note", () => {
    const note = sentences(receivedNote("2026-12-01"), conditionNote("box dented"), "Chiamare prima di spedire") ?? "";
    expect(note).toBe("Parcel arrived on 2026-12-01. Condition: box dented. Chiamare prima di spedire.");
    expect(systemNote(note, sayIn("it"), longDay)).toBe(
      "Pacco arrivato il «2026-12-01». Condizioni: box dented. Chiamare prima di spedire.",
    );
    expect(systemNote(sentences(receivedNote("2026-12-01")) ?? "", sayIn("de"), longDay)).toBe(
      "Paket am «2026-12-01» eingegangen.",
    );
  });

  it("says the diagnosis with its failure, the repair with its firmware, and the shipment", () => {
    const diagnosed = sentences(diagnosedNote(false), failureNote("Sensor / pixels")) ?? "";
    expect(systemNote(diagnosed, sayIn("it"))).toBe("Garanzia confermata alla diagnosi. Guasto: Sensor / pixels.");
    expect(systemNote(sentences(diagnosedNote(true)) ?? "", sayIn("it"))).toBe(
      "Garanzia confermata alla diagnosi: nessun difetto riscontrato.",
    );
    const repaired = sentences(REPAIRED_NOTE, firmwareShippedNote("4.2.1"), "Sensor replaced") ?? "";
    expect(systemNote(repaired, sayIn("de"))).toBe("Reparatur abgeschlossen. Firmware beim Versand: 4.2.1. Sensor replaced.");
    expect(systemNote(shippedNote("DHL Express", "JD014600003"), sayIn("it"))).toBe(
      "Rispedita con DHL Express, numero di tracciamento JD014600003.",
    );
  });

  it("says a granted cancellation either way", () => {
    expect(systemNote(sentences(cancellationGrantedNote(false)) ?? "", sayIn("it"))).toBe(
      "Annullamento accolto su richiesta del cliente.",
    );
    expect(systemNote(sentences(cancellationGrantedNote(true), "Per email") ?? "", sayIn("de"))).toBe(
      "Stornierung angenommen: Das Gerät geht unrepariert zurück. Per email.",
    );
  });

  it("says English as it was stored, and leaves a note a person wrote alone as it is", () => {
    const note = sentences(REPAIRED_NOTE, firmwareShippedNote("4.2.1")) ?? "";
    expect(systemNote(note, sayIn("en"))).toBe(note);
    expect(systemNote("Repair finished late because of the holidays.", sayIn("it"))).toBeNull();
    expect(systemNote("Condition looks fine.", sayIn("it"))).toBeNull();
  });
});

describe("My returns' failure found and repair done", () => {
  const event = (from: string, to: string, note: string) =>
    ({ kind: "status", fromStatus: from, toStatus: to, note }) as unknown as EventRow;
  const rma = { warrantyRefusedReason: null } as unknown as RmaRow;

  it("says the system's sentences in the reader's language, without the diagnosis's and the repair's first sentence", () => {
    const events = [
      event(
        "received",
        "repairing",
        sentences(diagnosedNote(false), failureNote("Sensor / pixels"), "Giunto saldato incrinato") ?? "",
      ),
      event("repairing", "returning", sentences(REPAIRED_NOTE, firmwareShippedNote("4.2.1")) ?? ""),
    ];
    expect(workshopNotes(rma, events, "it")).toEqual({
      failureFound: "Guasto: Sensor / pixels. Giunto saldato incrinato.",
      warrantyConfirmed: true,
      repairDone: "Firmware alla spedizione: 4.2.1.",
      repaired: true,
    });
    expect(workshopNotes(rma, events, "en").failureFound).toBe("Failure: Sensor / pixels. Giunto saldato incrinato.");
  });

  it("says no fault found, and nothing for a repair noted with no words of its own", () => {
    const events = [
      event("received", "repairing", sentences(diagnosedNote(true)) ?? ""),
      event("repairing", "returning", sentences(REPAIRED_NOTE) ?? ""),
    ];
    expect(workshopNotes(rma, events, "de")).toMatchObject({
      failureFound: "Garantie bei der Diagnose bestätigt: kein Fehler gefunden.",
      repairDone: null,
      repaired: true,
    });
  });
});
