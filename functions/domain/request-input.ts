/**
 * What a customer sends to request RMAs, with a limit on every field and a message that says
 * which field is wrong and how to fix it. The form's fields are named by the same paths
 * (`contact.name`, `units.2.serialNumber`), so a message lands beside its input.
 */
import { z } from "zod";
import { Refusal } from "../errors.ts";
import { DEFAULT_LOCALE, type Locale } from "../i18n/index.ts";
import { encodeText, type Text, text } from "../i18n/text.ts";
import { isIsoDate } from "./dates.ts";
import { optionalWords, type Parsed, parseToTexts, parseWith, words } from "./input.ts";

/** An encoded `Text` for zod's `error:` (said at the edge). */
const says = (key: Text["key"], params?: Text["params"]) => encodeText(text(key, params));
const field = (name: string) => text(`errors.field.${name}` as Text["key"]);

export const MAX_UNITS = 20;

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

/**
 * A request's `Idempotency-Key` (or the form's one-time key): absent, or 8 to 100 letters, digits or
 * `_ . : -`. The API and the request page check it alike.
 */
export function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined || key === "") return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new Refusal("invalid_idempotency_key", text("errors.request.idempotencyKey"), {
      "Idempotency-Key": says("errors.request.idempotencyKeyField"),
    });
  }
  return key;
}
export const MIN_DESCRIPTION = 30;

export const contactSchema = z.strictObject(
  {
    name: words(field("yourName"), { min: 2, max: 100, oneLine: true }),
    company: optionalWords(field("company"), 120, { oneLine: true }),
    email: z
      .string({ error: says("errors.input.notText", { field: field("email") }) })
      .trim()
      .max(254, { error: says("errors.input.tooLong", { field: field("email"), max: 254 }) })
      .pipe(z.email({ error: says("errors.request.emailInvalid") })),
    phone: words(field("phone"), { min: 5, max: 40, oneLine: true }).refine((v) => /^\+?[0-9 ()./-]{5,40}$/.test(v), {
      error: says("errors.request.phoneCharacters"),
    }),
    country: words(field("country"), { min: 2, max: 60, oneLine: true }),
  },
  { error: says("errors.request.contactMissing") },
);

export const addressSchema = z.strictObject(
  {
    street: words(field("streetAndNumber"), { min: 3, max: 200, oneLine: field("street") }),
    postalCode: words(field("postalCode"), { min: 2, max: 20, oneLine: true }),
    city: words(field("city"), { min: 1, max: 100, oneLine: true }),
    country: words(field("country"), { min: 2, max: 60, oneLine: true }),
  },
  { error: says("errors.request.addressMissing") },
);

export const unitSchema = z.strictObject(
  {
    model: words(field("model"), { min: 1, max: 60, oneLine: true }),
    serialNumber: words(field("serialNumber"), { min: 1, max: 40, oneLine: true }),
    purchaseDate: z
      .string({ error: says("errors.request.purchaseDateText") })
      .trim()
      .max(10, { error: says("errors.request.purchaseDateShape") })
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || isIsoDate(v), { error: says("errors.request.purchaseDateReal") }),
    invoiceNumber: optionalWords(field("invoiceNumber"), 60, { oneLine: true }),
    issueDescription: words(field("faultDescription"), { min: 1, max: 4000 }).refine((v) => v.length >= MIN_DESCRIPTION, {
      error: says("errors.request.describeFault", { min: MIN_DESCRIPTION }),
    }),
  },
  { error: says("errors.request.unitShape") },
);

export const rmaRequestSchema = z.strictObject(
  {
    contact: contactSchema,
    returnAddress: addressSchema,
    units: z
      .array(unitSchema, { error: says("errors.request.unitsList") })
      .min(1, { error: says("errors.request.unitsMin") })
      .max(MAX_UNITS, { error: says("errors.request.unitsMax", { max: MAX_UNITS }) }),
    acceptTerms: z.literal(true, {
      error: says("errors.request.acceptTerms"),
    }),
  },
  { error: says("errors.request.bodyShape") },
);

export type RmaRequestInput = z.infer<typeof rmaRequestSchema>;

/** The request checked, its field messages in `locale` (a page's reader; English by default). */
export function parseRmaRequest(raw: unknown, locale: Locale = DEFAULT_LOCALE): Parsed<RmaRequestInput> {
  return parseWith(rmaRequestSchema, raw, locale);
}

/**
 * The request checked, its field messages as encoded `Text`s: for an `ApiError`, whose `toBody(locale)`
 * says them for the reader (the API).
 */
export function parseRmaRequestTexts(raw: unknown): Parsed<RmaRequestInput> {
  return parseToTexts(rmaRequestSchema, raw);
}

export type UnitInput = z.infer<typeof unitSchema>;

/** The form's unit indexes as posted (`units.3.…` → 3), in order: a unit's place in the request is its place here. */
export function postedUnits(form: Record<string, string>): number[] {
  return [
    ...new Set(
      Object.keys(form)
        .map((k) => /^units\.(\d{1,2})\./.exec(k)?.[1])
        .filter((x): x is string => x !== undefined)
        .map(Number),
    ),
  ].sort((a, b) => a - b);
}

/**
 * The form's flat fields (`contact.name`, `units.0.model`) as the JSON body's shape.
 * Only known names are read; units are renumbered in order so removed rows leave no holes.
 */
export function formToRequest(form: Record<string, string>): Record<string, unknown> {
  const get = (k: string) => form[k];
  const unitIndexes = postedUnits(form);
  return {
    contact: {
      name: get("contact.name"),
      company: get("contact.company"),
      email: get("contact.email"),
      phone: get("contact.phone"),
      country: get("contact.country"),
    },
    returnAddress: {
      street: get("returnAddress.street"),
      postalCode: get("returnAddress.postalCode"),
      city: get("returnAddress.city"),
      country: get("returnAddress.country"),
    },
    units: unitIndexes.map((i) => ({
      model: get(`units.${i}.model`),
      serialNumber: get(`units.${i}.serialNumber`),
      purchaseDate: get(`units.${i}.purchaseDate`),
      invoiceNumber: get(`units.${i}.invoiceNumber`),
      issueDescription: get(`units.${i}.issueDescription`),
    })),
    acceptTerms: ["on", "true", "yes", "1"].includes(get("acceptTerms") ?? "") ? true : undefined,
  };
}
