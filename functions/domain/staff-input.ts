/**
 * What staff send with each action on an RMA, checked the same way for the JSON API and the admin
 * pages' forms (whose values are all text: numbers arrive as "3"). A refusal names the field.
 */
import { z } from "zod";
import { isIsoDate } from "./dates.ts";
import { type Parsed, parseWith, words } from "./input.ts";

/** Optional words of a staff member: empty means absent (anything else must be proper words). */
function maybeWords(label: string, max: number) {
  return z
    .union([z.literal(""), words(label, { min: 1, max })], { error: `${label} must be text.` })
    .optional()
    .transform((v) => (v ? v : undefined));
}

const wholeNumber = (v: unknown) => (typeof v === "string" && /^\d{1,9}$/.test(v.trim()) ? Number(v) : v);

/** The RMA's version the staff member saw (the page's hidden field): a stale one is a conflict. */
const version = z.preprocess(
  wholeNumber,
  z
    .number({ error: "version is required: the version of the RMA you saw, so a change by someone else is not overwritten." })
    .int({ error: "version must be a whole number." })
    .positive({ error: "version must be a whole number." }),
);

const reason = (label: string) => words(label, { min: 5, max: 2000, sayRequired: true });
const note = maybeWords("Note", 2000);
const cents = (label: string) => z.number({ error: `${label} must be an amount in euro cents (a whole number).` });

export const actionSchemas = {
  authorize: z.strictObject({ version, note }),
  "authorize-all": z.strictObject({ note }),
  reject: z.strictObject({ version, reason: reason("The reason for the rejection") }),
  cancel: z.strictObject({ version, reason: reason("The reason for the cancellation") }),
  receive: z.strictObject({
    version,
    receivedOn: z
      .union(
        [z.literal(""), z.string().trim().refine(isIsoDate, { error: "The arrival date must be a date like 2026-11-25." })],
        {
          error: "The arrival date must be a date like 2026-11-25.",
        },
      )
      .optional()
      .transform((v) => (v ? v : undefined)),
    condition: maybeWords("The condition notes", 2000),
    note,
  }),
  "confirm-warranty": z.strictObject({ version, note }),
  "refuse-warranty": z.strictObject({ version, reason: reason("The reason the warranty does not apply") }),
  quote: z.strictObject({
    version,
    labourCents: cents("Labour"),
    partsAndSuppliesCents: cents("Parts and supplies"),
    handlingFeeCents: cents("Handling fee"),
    returnShippingCents: cents("Return shipping"),
    note,
  }),
  "record-quote-answer": z.strictObject({
    version,
    decision: z.enum(["accept", "decline"], { error: 'The decision must be "accept" or "decline".' }),
    note,
  }),
  "finish-repair": z.strictObject({ version, note }),
  ship: z.strictObject({
    version,
    carrier: words("The carrier", { min: 2, max: 60, oneLine: true, sayRequired: true }),
    trackingNumber: words("The tracking number", { min: 3, max: 80, oneLine: true, sayRequired: true }),
  }),
  close: z.strictObject({ version, note }),
  "grant-cancellation": z.strictObject({ version, note }),
  "refuse-cancellation": z.strictObject({ version, reason: reason("The reason the cancellation is refused") }),
} as const;

export type StaffAction = keyof typeof actionSchemas;
export type ActionInput<A extends StaffAction> = z.infer<(typeof actionSchemas)[A]>;

export const STAFF_ACTIONS = Object.keys(actionSchemas) as StaffAction[];

export function isStaffAction(name: string): name is StaffAction {
  return Object.hasOwn(actionSchemas, name);
}

export function parseAction<A extends StaffAction>(action: A, raw: unknown): Parsed<ActionInput<A>> {
  return parseWith(actionSchemas[action] as z.ZodType<unknown>, raw ?? {}) as Parsed<ActionInput<A>>;
}

export const signInSchema = z.strictObject({
  email: z.string({ error: "Email is required." }).trim().min(1, { error: "Email is required." }).max(254),
  password: z.string({ error: "Password is required." }).min(1, { error: "Password is required." }).max(1000),
});

export const quoteAnswerSchema = z.strictObject({
  t: z.string({ error: "The link's token is missing." }).max(100),
  decision: z.enum(["accept", "decline"], { error: 'The decision must be "accept" or "decline".' }),
});

export const settingsSchema = z.strictObject({
  autoAuthorize: z.boolean({ error: "autoAuthorize must be true or false." }),
});

export const outboxRetrySchema = z.union(
  [
    z.strictObject({ ids: z.array(z.string().max(64)).min(1, { error: "Name at least one email." }).max(500) }),
    z.strictObject({ all: z.literal(true) }),
  ],
  { error: 'Send { "ids": [...] } to retry some emails, or { "all": true } to retry every unsent one.' },
);

const csv = z
  .string({ error: "csv must be the CSV text (serial_number,model,purchase_date)." })
  .min(1, { error: "The CSV is empty." });

export const registryPreviewSchema = z.strictObject({ csv });

export const registryImportSchema = z.strictObject({
  csv,
  /** The counts the preview showed: if the registry changed since, the import is refused. */
  expected: z
    .strictObject(
      { added: z.number().int().min(0), changed: z.number().int().min(0) },
      { error: "expected is { added, changed }." },
    )
    .optional(),
});
