/**
 * The system's notes on a request's events, stored in English (the desk reads them); the customer's
 * timeline says them in the reader's language (`timelineOf`).
 */
export const AUTO_AUTHORIZED_NOTE = "Authorised automatically: the serial number is in our registry and under warranty.";
export const notInRegistryNote = (date: string, invoice: string) =>
  `Serial not in the registry: purchase date ${date} from invoice ${invoice}.`;
const NOT_IN_REGISTRY = /^Serial not in the registry: purchase date (\S+) from invoice (.*)\.$/;

/** The quote's events (functions/services/quote.ts): the amount as stored, in English style (`formatEuros`). */
export const quoteSentNote = (total: string, breakdown: string) => `Quote of ${total} sent (${breakdown})`;
export const quoteAnsweredNote = (total: string, decision: "accepted" | "declined", byStaff: boolean) =>
  `Quote of ${total} ${decision}${byStaff ? " by the customer (answer recorded by staff)" : " online by the customer"}`;
export const UNREPAIRED_NOTE = "The unit goes back unrepaired";
const QUOTE_SENT = /^Quote of (€[\d,]+\.\d{2}) sent \([^)]*\)\.(?: ([\s\S]+))?$/;
const QUOTE_ANSWERED =
  /^Quote of (€[\d,]+\.\d{2}) (accepted|declined)( by the customer \(answer recorded by staff\)| online by the customer)\.(?: The unit goes back unrepaired\.)?(?: ([\s\S]+))?$/;

type NoteKey =
  | "autoAuthorized"
  | "notInRegistry"
  | "quoteSent"
  | "quoteAccepted"
  | "quoteAcceptedByStaff"
  | "quoteDeclined"
  | "quoteDeclinedByStaff";

/**
 * A system note of these events in `say`'s words, or null for a note a person wrote. A quote's note may
 * end with the staff member's own note, kept as written after the system's sentence.
 */
export function systemNote(note: string, say: (key: NoteKey, params?: Record<string, string>) => string): string | null {
  if (note === AUTO_AUTHORIZED_NOTE) return say("autoAuthorized");
  const m = NOT_IN_REGISTRY.exec(note);
  if (m) return say("notInRegistry", { date: m[1] ?? "", invoice: m[2] ?? "" });
  const then = (said: string, written: string | undefined) => (written ? `${said} ${written}` : said);
  const sent = QUOTE_SENT.exec(note);
  if (sent) return then(say("quoteSent", { total: sent[1] ?? "" }), sent[2]);
  const answered = QUOTE_ANSWERED.exec(note);
  if (!answered) return null;
  const byStaff = answered[3]?.startsWith(" by the customer") === true;
  const key = answered[2] === "accepted" ? "quoteAccepted" : "quoteDeclined";
  return then(say(byStaff ? `${key}ByStaff` : key, { total: answered[1] ?? "" }), answered[4]);
}
