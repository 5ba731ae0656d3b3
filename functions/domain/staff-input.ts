/**
 * What staff send with each action on an RMA, checked the same way for the JSON API and the admin
 * pages' forms (whose values are all text: numbers arrive as "3"). A refusal names the field.
 */
import { z } from "zod";
import { isIsoDate } from "./dates.ts";
import { optionalWords, type Parsed, parseWith, words } from "./input.ts";

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
/**
 * What staff record at diagnosis, all optional on the API (a form may require the category): the failure
 * category (a code from the admins' list, checked against it by the service), the firmware version as
 * received, the root cause and the parts replaced.
 */
const failureCategory = z
  .union(
    [
      z.literal(""),
      z
        .string()
        .trim()
        .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: "The failure category must be one of the list's codes." }),
    ],
    {
      error: "The failure category must be one of the list's codes.",
    },
  )
  .optional()
  .transform((v) => (v ? v : undefined));
const firmware = (label: string) => optionalWords(label, 40, { oneLine: true });
export const diagnosisFields = {
  failureCategory,
  firmwareReceived: firmware("The firmware version as received"),
  rootCause: optionalWords("The root cause", 2000),
  partsReplaced: optionalWords("The parts replaced", 1000),
};
export type DiagnosisInput = {
  failureCategory?: string | undefined;
  firmwareReceived?: string | undefined;
  rootCause?: string | undefined;
  partsReplaced?: string | undefined;
};

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
  "confirm-warranty": z.strictObject({ version, note, ...diagnosisFields }),
  "refuse-warranty": z.strictObject({ version, reason: reason("The reason the warranty does not apply"), ...diagnosisFields }),
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
  "finish-repair": z.strictObject({ version, note, firmwareShipped: firmware("The firmware version as shipped") }),
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

/** The diagnosis details recorded (or corrected) on their own, e.g. for a unit that is quoted. */
export const diagnosisSchema = z.strictObject({
  ...diagnosisFields,
  failureCategory: z
    .string({ error: "The failure category is required: choose one from the list." })
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: "The failure category must be one of the list's codes." }),
  firmwareShipped: firmware("The firmware version as shipped"),
});

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

const categoryCode = z
  .string({ error: "The code is required: lower-case letters, digits and dashes, e.g. cooling-fan." })
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
    error: "The code must be lower-case letters, digits and dashes (at most 40), e.g. cooling-fan.",
  });
const categoryName = words("The name", { min: 2, max: 80, oneLine: true, sayRequired: true });
const outcome = z.enum(["repair", "customer-damage", "no-fault-found"], {
  error: 'The outcome must be "repair", "customer-damage" or "no-fault-found".',
});
const position = z.preprocess(wholeNumber, z.number({ error: "The position must be a whole number." }).int().min(0).max(10_000));

/** A failure category an admin adds to the list. */
export const categorySchema = z.strictObject({
  code: categoryCode,
  name: categoryName,
  outcome: outcome.optional(),
  position: position.optional(),
});

/** A change to a category: its name, place in the list, or retiring it (kept on the RMAs diagnosed with it). */
export const categoryUpdateSchema = z.strictObject({
  name: categoryName.optional(),
  position: position.optional(),
  retired: z
    .preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean({ error: "retired must be true or false." }))
    .optional(),
});

const workingDays = (label: string) =>
  z.preprocess(
    wholeNumber,
    z
      .number({ error: `${label} must be a whole number of working days.` })
      .int({ error: `${label} must be a whole number of working days.` })
      .min(1, { error: `${label} must be at least 1 working day.` })
      .max(120, { error: `${label} must be at most 120 working days.` }),
  );

/** The turnaround targets (working days) and the repair warranty's months. */
export const insightSettingsSchema = z.strictObject({
  decideDays: workingDays("The time to decide a request"),
  diagnoseDays: workingDays("The time to diagnose"),
  shipWarrantyDays: workingDays("The time to ship back a warranty repair"),
  shipQuotedDays: workingDays("The time to ship back after an accepted quote"),
  repairWarrantyMonths: z.preprocess(
    wholeNumber,
    z
      .number({ error: "The repair warranty must be a whole number of months." })
      .int({ error: "The repair warranty must be a whole number of months." })
      .min(0, { error: "The repair warranty must be 0 months or more." })
      .max(36, { error: "The repair warranty must be at most 36 months." }),
  ),
});
export type InsightSettings = z.infer<typeof insightSettingsSchema>;
