/**
 * What staff send with each action on an RMA, checked the same way for the JSON API and the admin
 * pages' forms (whose values are all text: numbers arrive as "3"). A refusal names the field.
 */
import { z } from "zod";
import { encodeText, type Text, text } from "../i18n/text.ts";
import { isIsoDate } from "./dates.ts";
import { optionalWords, type Parsed, parseToTexts, words } from "./input.ts";

/** An encoded `Text` for zod's `error:` (said at the edge, in the reader's language). */
const says = (key: Text["key"], params?: Text["params"]) => encodeText(text(key, params));
/** A field's label (`errors.field.*`), named in its messages. */
const label = (key: `errors.field.${string}` & Text["key"]) => text(key);

/** Optional words of a staff member: empty means absent (anything else must be proper words). */
function maybeWords(name: Text, max: number) {
  return z
    .union([z.literal(""), words(name, { min: 1, max })], { error: says("errors.input.notText", { field: name }) })
    .optional()
    .transform((v) => (v ? v : undefined));
}

const wholeNumber = (v: unknown) => (typeof v === "string" && /^\d{1,9}$/.test(v.trim()) ? Number(v) : v);

/** The RMA's version the staff member saw (the page's hidden field): a stale one is a conflict. */
const version = z.preprocess(
  wholeNumber,
  z
    .number({ error: says("errors.staff.version") })
    .int({ error: says("errors.staff.versionWhole") })
    .positive({ error: says("errors.staff.versionWhole") }),
);

const reason = (name: Text) => words(name, { min: 5, max: 2000, sayRequired: true });
const note = maybeWords(label("errors.field.note"), 2000);
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
        .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: says("errors.staff.categoryCode") }),
    ],
    {
      error: says("errors.staff.categoryCode"),
    },
  )
  .optional()
  .transform((v) => (v ? v : undefined));
const firmware = (name: Text) => optionalWords(name, 40, { oneLine: true });
export const diagnosisFields = {
  failureCategory,
  firmwareReceived: firmware(label("errors.field.firmwareReceived")),
  rootCause: optionalWords(label("errors.field.rootCause"), 2000),
  partsReplaced: optionalWords(label("errors.field.partsReplaced"), 1000),
};
export type DiagnosisInput = {
  failureCategory?: string | undefined;
  firmwareReceived?: string | undefined;
  rootCause?: string | undefined;
  partsReplaced?: string | undefined;
};

const cents = (name: Text) => z.number({ error: says("errors.staff.cents", { field: name }) });
const decision = z.enum(["accept", "decline"], { error: says("errors.staff.decision") });

export const actionSchemas = {
  authorize: z.strictObject({ version, note }),
  "authorize-all": z.strictObject({ note }),
  reject: z.strictObject({ version, reason: reason(label("errors.field.rejectReason")) }),
  cancel: z.strictObject({ version, reason: reason(label("errors.field.cancelReason")) }),
  receive: z.strictObject({
    version,
    receivedOn: z
      .union(
        [
          z.literal(""),
          z
            .string()
            .trim()
            .refine(isIsoDate, { error: says("errors.staff.arrivalDate") }),
        ],
        {
          error: says("errors.staff.arrivalDate"),
        },
      )
      .optional()
      .transform((v) => (v ? v : undefined)),
    condition: maybeWords(label("errors.field.conditionNotes"), 2000),
    note,
  }),
  "confirm-warranty": z.strictObject({ version, note, ...diagnosisFields }),
  "refuse-warranty": z.strictObject({ version, reason: reason(label("errors.field.warrantyReason")), ...diagnosisFields }),
  quote: z.strictObject({
    version,
    labourCents: cents(label("errors.field.labour")),
    partsAndSuppliesCents: cents(label("errors.field.parts")),
    handlingFeeCents: cents(label("errors.field.handling")),
    returnShippingCents: cents(label("errors.field.returnShipping")),
    note,
  }),
  "record-quote-answer": z.strictObject({
    version,
    decision,
    note,
  }),
  "finish-repair": z.strictObject({ version, note, firmwareShipped: firmware(label("errors.field.firmwareShipped")) }),
  ship: z.strictObject({
    version,
    carrier: words(label("errors.field.carrier"), { min: 2, max: 60, oneLine: true, sayRequired: true }),
    trackingNumber: words(label("errors.field.trackingNumber"), { min: 3, max: 80, oneLine: true, sayRequired: true }),
  }),
  close: z.strictObject({ version, note }),
  "grant-cancellation": z.strictObject({ version, note }),
  "refuse-cancellation": z.strictObject({ version, reason: reason(label("errors.field.refuseCancellationReason")) }),
} as const;

export type StaffAction = keyof typeof actionSchemas;
export type ActionInput<A extends StaffAction> = z.infer<(typeof actionSchemas)[A]>;

export const STAFF_ACTIONS = Object.keys(actionSchemas) as StaffAction[];

export function isStaffAction(name: string): name is StaffAction {
  return Object.hasOwn(actionSchemas, name);
}

/** The action's input, or its field messages as encoded `Text`s (said at the edge in the reader's language). */
export function parseAction<A extends StaffAction>(action: A, raw: unknown): Parsed<ActionInput<A>> {
  return parseToTexts(actionSchemas[action] as z.ZodType<unknown>, raw ?? {}) as Parsed<ActionInput<A>>;
}

/** The diagnosis details recorded (or corrected) on their own, e.g. for a unit that is quoted. */
export const diagnosisSchema = z.strictObject({
  ...diagnosisFields,
  failureCategory: z
    .string({ error: says("errors.staff.categoryRequired") })
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: says("errors.staff.categoryCode") }),
  firmwareShipped: firmware(label("errors.field.firmwareShipped")),
});

export const signInSchema = z.strictObject({
  email: z
    .string({ error: says("errors.input.required", { field: label("errors.field.email") }) })
    .trim()
    .min(1, { error: says("errors.input.required", { field: label("errors.field.email") }) })
    .max(254),
  password: z
    .string({ error: says("errors.input.required", { field: label("errors.field.password") }) })
    .min(1, { error: says("errors.input.required", { field: label("errors.field.password") }) })
    .max(1000),
});

export const quoteAnswerSchema = z.strictObject({
  t: z.string({ error: says("errors.staff.tokenMissing") }).max(100),
  decision,
});

export const settingsSchema = z.strictObject({
  autoAuthorize: z.boolean({ error: says("errors.staff.autoAuthorize") }),
});

export const outboxRetrySchema = z.union(
  [
    z.strictObject({
      ids: z
        .array(z.string().max(64))
        .min(1, { error: says("errors.staff.retryIds") })
        .max(500),
    }),
    z.strictObject({ all: z.literal(true) }),
  ],
  { error: says("errors.staff.retryShape") },
);

const csv = z.string({ error: says("errors.staff.csvText") }).min(1, { error: says("errors.staff.csvEmpty") });

export const registryPreviewSchema = z.strictObject({ csv });

export const registryImportSchema = z.strictObject({
  csv,
  /** The counts the preview showed: if the registry changed since, the import is refused. */
  expected: z
    .strictObject({ added: z.number().int().min(0), changed: z.number().int().min(0) }, { error: says("errors.staff.expected") })
    .optional(),
});

const categoryCode = z
  .string({ error: says("errors.staff.codeRequired") })
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: says("errors.staff.codeShape") });
const categoryName = words(label("errors.field.categoryName"), { min: 2, max: 80, oneLine: true, sayRequired: true });
const outcome = z.enum(["repair", "customer-damage", "no-fault-found"], { error: says("errors.staff.outcome") });
const position = z.preprocess(
  wholeNumber,
  z
    .number({ error: says("errors.staff.position") })
    .int()
    .min(0)
    .max(10_000),
);

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
    .preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean({ error: says("errors.staff.retired") }))
    .optional(),
});

const workingDays = (name: Text) =>
  z.preprocess(
    wholeNumber,
    z
      .number({ error: says("errors.staff.workingDays", { field: name }) })
      .int({ error: says("errors.staff.workingDays", { field: name }) })
      .min(1, { error: says("errors.staff.workingDaysMin", { field: name }) })
      .max(120, { error: says("errors.staff.workingDaysMax", { field: name }) }),
  );

/** The turnaround targets (working days) and the repair warranty's months. */
export const insightSettingsSchema = z.strictObject({
  decideDays: workingDays(label("errors.field.decideDays")),
  diagnoseDays: workingDays(label("errors.field.diagnoseDays")),
  shipWarrantyDays: workingDays(label("errors.field.shipWarrantyDays")),
  shipQuotedDays: workingDays(label("errors.field.shipQuotedDays")),
  repairWarrantyMonths: z.preprocess(
    wholeNumber,
    z
      .number({ error: says("errors.staff.repairWarranty") })
      .int({ error: says("errors.staff.repairWarranty") })
      .min(0, { error: says("errors.staff.repairWarrantyMin") })
      .max(36, { error: says("errors.staff.repairWarrantyMax") }),
  ),
});
export type InsightSettings = z.infer<typeof insightSettingsSchema>;
