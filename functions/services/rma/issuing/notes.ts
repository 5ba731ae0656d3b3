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

/** The workshop's and the cancellation's sentences (functions/services/rma/workshop.ts, cancellation.ts). */
export const receivedNote = (day: string) => `Parcel arrived on ${day}`;
export const conditionNote = (condition: string) => `Condition: ${condition}`;
export const diagnosedNote = (noFault: boolean) =>
  noFault ? "Warranty confirmed at diagnosis: no fault found" : "Warranty confirmed at diagnosis";
export const failureNote = (category: string) => `Failure: ${category}`;
export const REPAIRED_NOTE = "Repair finished";
export const firmwareShippedNote = (version: string) => `Firmware as shipped: ${version}`;
export const shippedNote = (carrier: string, tracking: string) => `Shipped back with ${carrier}, tracking number ${tracking}.`;
export const cancellationGrantedNote = (returning: boolean) =>
  returning ? "Cancellation granted: the unit goes back unrepaired" : "Cancellation granted at the customer's request";

/**
 * Sentences a note may begin with (as `sentences()` joins them, each ending with a full stop), each with its
 * words: what follows them is the staff member's own note, kept as written.
 */
const LEADING: readonly [RegExp, (m: RegExpExecArray, date: (day: string) => string) => [NoteKey, Record<string, string>?]][] = [
  [/^Parcel arrived on (\d{4}-\d{2}-\d{2})\./, (m, date) => ["received", { day: date(m[1] ?? "") }]],
  [/^Condition: (.+?)\.(?= |$)/, (m) => ["condition", { condition: m[1] ?? "" }]],
  [/^Warranty confirmed at diagnosis: no fault found\./, () => ["diagnosedNoFault"]],
  [/^Warranty confirmed at diagnosis\./, () => ["diagnosed"]],
  [/^Failure: (.+?)\.(?= |$)/, (m) => ["failure", { category: m[1] ?? "" }]],
  [/^Repair finished\./, () => ["repaired"]],
  [/^Firmware as shipped: (.+?)\.(?= |$)/, (m) => ["firmwareShipped", { version: m[1] ?? "" }]],
  [/^Shipped back with (.+), tracking number (\S+)\.$/, (m) => ["shipped", { carrier: m[1] ?? "", tracking: m[2] ?? "" }]],
  [/^Cancellation granted at the customer's request\./, () => ["cancelledAtRequest"]],
  [/^Cancellation granted: the unit goes back unrepaired\./, () => ["cancelledReturning"]],
];

export type NoteKey =
  | "autoAuthorized"
  | "notInRegistry"
  | "quoteSent"
  | "quoteAccepted"
  | "quoteAcceptedByStaff"
  | "quoteDeclined"
  | "quoteDeclinedByStaff"
  | "received"
  | "condition"
  | "diagnosed"
  | "diagnosedNoFault"
  | "failure"
  | "repaired"
  | "firmwareShipped"
  | "shipped"
  | "cancelledAtRequest"
  | "cancelledReturning";

/**
 * A system note of these events in `say`'s words (a day in `date`'s), or null for a note a person wrote.
 * A quote's or the workshop's note may end with the staff member's own note, kept as written after the
 * system's sentences.
 */
export function systemNote(
  note: string,
  say: (key: NoteKey, params?: Record<string, string>) => string,
  date: (day: string) => string = (day) => day,
): string | null {
  const leading = leadingSentences(note, say, date);
  if (leading !== null) return leading;
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

/** A note's system sentences at its start (each a key and its parameters), and what follows them as written. */
export interface NoteParts {
  system: [NoteKey, Record<string, string>?][];
  rest: string;
}

/** The system's sentences at the start of `note` (workshop, cancellation), a day written by `date`. */
export function noteParts(note: string, date: (day: string) => string = (day) => day): NoteParts {
  const system: NoteParts["system"] = [];
  let rest = note;
  for (let found = true; found && rest !== ""; ) {
    found = false;
    for (const [pattern, words] of LEADING) {
      const m = pattern.exec(rest);
      if (!m) continue;
      system.push(words(m, date));
      rest = rest.slice(m[0].length).trimStart();
      found = true;
      break;
    }
  }
  return { system, rest };
}

/** The system's sentences at the start of `note` in `say`'s words, the rest as written; null when it has none. */
function leadingSentences(
  note: string,
  say: (key: NoteKey, params?: Record<string, string>) => string,
  date: (day: string) => string,
): string | null {
  const { system, rest } = noteParts(note, date);
  if (system.length === 0) return null;
  const said = system.map(([key, params]) => say(key, params));
  return rest === "" ? said.join(" ") : `${said.join(" ")} ${rest}`;
}
