/**
 * The system's notes on a request's events, stored in English (the desk reads them); the customer's
 * timeline says them in the reader's language (`timelineOf`).
 */
export const AUTO_AUTHORIZED_NOTE = "Authorised automatically: the serial number is in our registry and under warranty.";
export const notInRegistryNote = (date: string, invoice: string) =>
  `Serial not in the registry: purchase date ${date} from invoice ${invoice}.`;
const NOT_IN_REGISTRY = /^Serial not in the registry: purchase date (\S+) from invoice (.*)\.$/;

/** A system note of these events in `say`'s words, or null for a note a person wrote. */
export function systemNote(
  note: string,
  say: (key: "autoAuthorized" | "notInRegistry", params?: Record<string, string>) => string,
) {
  if (note === AUTO_AUTHORIZED_NOTE) return say("autoAuthorized");
  const m = NOT_IN_REGISTRY.exec(note);
  return m ? say("notInRegistry", { date: m[1] ?? "", invoice: m[2] ?? "" }) : null;
}
