/**
 * What a customer sends to request RMAs, with a limit on every field and a message that says
 * which field is wrong and how to fix it. The form's fields are named by the same paths
 * (`contact.name`, `units.2.serialNumber`), so a message lands beside its input.
 */
import { z } from "zod";
import { Refusal } from "../errors.ts";
import { isIsoDate } from "./dates.ts";
import { optionalWords, type Parsed, parseWith, words } from "./input.ts";

export const MAX_UNITS = 20;

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

/**
 * A request's `Idempotency-Key` (or the form's one-time key): absent, or 8 to 100 letters, digits or
 * `_ . : -`. The API and the request page check it alike.
 */
export function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined || key === "") return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new Refusal("invalid_idempotency_key", "Idempotency-Key must be 8 to 100 letters, digits, or _ . : -", {
      "Idempotency-Key": "8 to 100 letters, digits, or _ . : -",
    });
  }
  return key;
}
export const MIN_DESCRIPTION = 30;

export const contactSchema = z.strictObject(
  {
    name: words("Your name", { min: 2, max: 100, oneLine: true }),
    company: optionalWords("Company", 120, { oneLine: true }),
    email: z
      .string({ error: "Email must be text." })
      .trim()
      .max(254, { error: "Email is too long: at most 254 characters." })
      .pipe(z.email({ error: "Enter an email address like name@example.com: we send the RMA numbers there." })),
    phone: words("Phone", { min: 5, max: 40, oneLine: true }).refine((v) => /^\+?[0-9 ()./-]{5,40}$/.test(v), {
      error: "Phone may contain digits, spaces, + ( ) . / and - only, e.g. +39 050 000 0000.",
    }),
    country: words("Country", { min: 2, max: 60, oneLine: true }),
  },
  { error: "Contact details are missing." },
);

export const addressSchema = z.strictObject(
  {
    street: words("Street and number", { min: 3, max: 200, oneLine: "Street" }),
    postalCode: words("Postal code", { min: 2, max: 20, oneLine: true }),
    city: words("City", { min: 1, max: 100, oneLine: true }),
    country: words("Country", { min: 2, max: 60, oneLine: true }),
  },
  { error: "The return address is missing." },
);

export const unitSchema = z.strictObject(
  {
    model: words("Model", { min: 1, max: 60, oneLine: true }),
    serialNumber: words("Serial number", { min: 1, max: 40, oneLine: true }),
    purchaseDate: z
      .string({ error: "Purchase date must be text (YYYY-MM-DD)." })
      .trim()
      .max(10, { error: "Purchase date must look like 2025-03-14." })
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || isIsoDate(v), { error: "Purchase date must be a real date like 2025-03-14." }),
    invoiceNumber: optionalWords("Invoice number", 60, { oneLine: true }),
    issueDescription: words("Fault description", { min: 1, max: 4000 }).refine((v) => v.length >= MIN_DESCRIPTION, {
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

export function parseRmaRequest(raw: unknown): Parsed<RmaRequestInput> {
  return parseWith(rmaRequestSchema, raw);
}

export type UnitInput = z.infer<typeof unitSchema>;

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
