/**
 * What a customer sends to request RMAs, with a limit on every field and a message that says
 * which field is wrong and how to fix it. The form's fields are named by the same paths
 * (`contact.name`, `units.2.serialNumber`), so a message lands beside its input.
 */
import { z } from "zod";
import { isIsoDate } from "./dates.ts";

export const MAX_UNITS = 20;
export const MIN_DESCRIPTION = 30;

/** Control characters other than tab and line breaks: never part of what a person types. */
export function hasControlCharacters(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) return true;
  }
  return false;
}

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .min(min, { error: min <= 1 ? `${label} is required.` : `${label} needs at least ${min} characters.` })
    .max(max, { error: `${label} is too long: at most ${max} characters.` })
    .refine((v) => !hasControlCharacters(v), { error: `${label} contains control characters; please type it again.` });

const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .max(max, { error: `${label} is too long: at most ${max} characters.` })
    .refine((v) => !hasControlCharacters(v), { error: `${label} contains control characters; please type it again.` })
    .optional()
    .transform((v) => (v ? v : undefined));

const singleLine = (schema: z.ZodType<string>, label: string) =>
  schema.refine((v) => !/[\r\n]/.test(v), { error: `${label} must fit on one line.` });

export const contactSchema = z.strictObject(
  {
    name: singleLine(text("Your name", 2, 100), "Your name"),
    company: optionalText("Company", 120),
    email: z
      .string({ error: "Email must be text." })
      .trim()
      .max(254, { error: "Email is too long: at most 254 characters." })
      .pipe(z.email({ error: "Enter an email address like name@example.com: we send the RMA numbers there." })),
    phone: singleLine(text("Phone", 5, 40), "Phone").refine((v) => /^\+?[0-9 ()./-]{5,40}$/.test(v), {
      error: "Phone may contain digits, spaces, + ( ) . / and - only, e.g. +39 050 000 0000.",
    }),
    country: singleLine(text("Country", 2, 60), "Country"),
  },
  { error: "Contact details are missing." },
);

export const addressSchema = z.strictObject(
  {
    street: singleLine(text("Street and number", 3, 200), "Street"),
    postalCode: singleLine(text("Postal code", 2, 20), "Postal code"),
    city: singleLine(text("City", 1, 100), "City"),
    country: singleLine(text("Country", 2, 60), "Country"),
  },
  { error: "The return address is missing." },
);

export const unitSchema = z.strictObject(
  {
    model: text("Model", 1, 60),
    serialNumber: text("Serial number", 1, 40),
    purchaseDate: z
      .string({ error: "Purchase date must be text (YYYY-MM-DD)." })
      .trim()
      .max(10, { error: "Purchase date must look like 2025-03-14." })
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || isIsoDate(v), { error: "Purchase date must be a real date like 2025-03-14." }),
    invoiceNumber: optionalText("Invoice number", 60),
    issueDescription: text("Fault description", 1, 4000).refine((v) => v.length >= MIN_DESCRIPTION, {
      error: `Describe the fault in at least ${MIN_DESCRIPTION} characters — what happens, since when, the setup (interface, host, software version) and what you tried — so our technicians can diagnose it.`,
    }),
  },
  { error: "Each unit must be an object with model, serialNumber and issueDescription." },
);

export const rmaRequestSchema = z.strictObject(
  {
    contact: contactSchema,
    returnAddress: addressSchema,
    units: z
      .array(unitSchema, { error: "Units must be a list." })
      .min(1, { error: "Add at least one unit to return." })
      .max(MAX_UNITS, { error: `At most ${MAX_UNITS} units per request: send the others in a second request.` }),
    acceptTerms: z.literal(true, {
      error:
        "Please confirm the shipping terms: inbound shipping at your expense and risk (FCA, Incoterms 2020), the RMA number on the parcel and its documents, and the 30-day validity.",
    }),
  },
  { error: "The request must be a JSON object with contact, returnAddress, units and acceptTerms." },
);

export type RmaRequestInput = z.infer<typeof rmaRequestSchema>;

export const VALIDATION_MESSAGE = "Some fields need attention: see the message beside each of them.";

export type Parsed<T> = { ok: true; data: T } | { ok: false; fields: Record<string, string> };

/** Parses with a schema into the one error shape's fields. */
export function parseWith<T>(schema: z.ZodType<T>, raw: unknown): Parsed<T> {
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, fields: fieldErrors(parsed.error, raw) };
}

export function parseRmaRequest(raw: unknown): Parsed<RmaRequestInput> {
  return parseWith(rmaRequestSchema, raw);
}

export type UnitInput = z.infer<typeof unitSchema>;

/** zod's issues as `{ "units.2.serialNumber": "message" }`, the first message per field. */
export function fieldErrors(error: z.ZodError, input?: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    let path = issue.path.map(String).join(".");
    let message = issue.message;
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const p = path ? `${path}.${key}` : key;
        out[p] ??= `"${key}" is not a field we know: remove it.`;
      }
      continue;
    }
    if (issue.code === "invalid_type" && valueAt(input, issue.path) === undefined) {
      // A missing field: say so rather than "must be text".
      message = message.replace(/ must be (text|an object|a list).*$/, " is required.");
      if (!message.endsWith("required.") && !message.includes("missing")) message = `${path || "This field"} is required.`;
    }
    if (path === "") path = "body";
    out[path] ??= message;
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * The form's flat fields (`contact.name`, `units.0.model`) as the JSON body's shape.
 * Only known names are read; units are renumbered in order so removed rows leave no holes.
 */
export function formToRequest(form: Record<string, string>): Record<string, unknown> {
  const get = (k: string) => form[k];
  const unitIndexes = [
    ...new Set(
      Object.keys(form)
        .map((k) => /^units\.(\d{1,2})\./.exec(k)?.[1])
        .filter((x): x is string => x !== undefined)
        .map(Number),
    ),
  ].sort((a, b) => a - b);
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
