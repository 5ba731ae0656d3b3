/**
 * Admin forms without JavaScript: the page posts to itself, the form's values are read here, passed to
 * the same services as the API, and a refusal comes back as a message at the top and beside each field.
 */
import type { AstroGlobal } from "astro";
import { parseEuros } from "@/functions/domain/quote.ts";
import { ApiError, asApiError, type FieldErrors } from "@/functions/errors.ts";
import { MAX_BODY_BYTES } from "@/functions/http/body.ts";
import type { Locale } from "@/functions/i18n/index.ts";
import { encodeText, type Text, text } from "@/functions/i18n/text.ts";
import { readPageForm } from "@/src/lib/page-form.ts";
import { deskLocale } from "./desk-locale.ts";

export type FormValues = Record<string, string>;

export interface Failure {
  /** The form that was sent (its `action`), so only its fields show the messages. */
  form: string;
  status: number;
  message: string;
  fields: FieldErrors;
  values: FormValues;
}

const REFUSAL_CODES = { 400: "invalid_encoding", 413: "body_too_large", 415: "unsupported_media_type" } as const;

/**
 * A posted form read as the customer pages read theirs (readPageForm); a refusal is an ApiError whose words
 * are a `Text`, said by the page in its reader's language (`failureOf`, `messageIn`).
 */
export async function readForm(
  request: Request,
  maxBytes = MAX_BODY_BYTES,
): Promise<{ values: FormValues; files: Map<string, File> }> {
  const read = await readPageForm(request, maxBytes);
  if (!read.ok) throw new ApiError(read.status, REFUSAL_CODES[read.status], read.text);
  return { values: read.fields, files: read.files };
}

/** The fields of one form on a page with several: `ship.carrier` → `carrier`. */
export function scoped(values: FormValues, form: string): FormValues {
  const prefix = `${form}.`;
  const out: FormValues = {};
  for (const [k, v] of Object.entries(values)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  if (values["version"] !== undefined) out["version"] = values["version"];
  return out;
}

/** A refusal from a service, as the page shows it in `locale` (its fields scoped to the form); anything else is rethrown. */
export function failureOf(err: unknown, form: string, values: FormValues, locale: Locale): Failure {
  const apiError = asApiError(err);
  const fields: FieldErrors = {};
  for (const [k, v] of Object.entries(apiError.fieldsIn(locale) ?? {})) fields[`${form}.${k}`] = v;
  return { form, status: apiError.status, message: apiError.messageIn(locale), fields, values };
}

/** Amounts typed in euros (`120`, `45.50`, `45,50`) as cents, each wrong one with its message (an encoded `Text`). */
export function eurosToCents(
  values: FormValues,
  names: readonly string[],
  labels: Readonly<Record<string, Text>>,
): { cents: Record<string, number>; errors: FieldErrors } {
  const cents: Record<string, number> = {};
  const errors: FieldErrors = {};
  for (const name of names) {
    const typed = (values[name] ?? "").trim();
    const parsed = parseEuros(typed === "" ? "0" : typed);
    if (parsed === null) errors[name] = encodeText(text("errors.desk.amountInEuros", { field: labels[name] ?? name }));
    else cents[name] = parsed;
  }
  return { cents, errors };
}

export interface PostedForm {
  values: FormValues;
  files: Map<string, File>;
}

/**
 * A page's POST: reads the form and runs `handle`, which returns where to go next (a 303 there, the
 * confirmation in its query); a refusal becomes the page's status and a `Failure` to show, said in the
 * desk's language (the signed-in staff member's, `deskLocale`). Null on GET.
 */
export async function onPost(
  Astro: AstroGlobal,
  handle: (posted: PostedForm) => Promise<string>,
  opts: { form: string | ((values: FormValues) => string); maxBytes?: number },
): Promise<Response | Failure | null> {
  if (Astro.request.method !== "POST") return null;
  let values: FormValues = {};
  try {
    const posted = await readForm(Astro.request, opts.maxBytes);
    values = posted.values;
    return Astro.redirect(await handle(posted), 303);
  } catch (err) {
    const form = typeof opts.form === "string" ? opts.form : opts.form(values);
    const failure = failureOf(err, form, values, deskLocale(Astro.request));
    Astro.response.status = failure.status;
    return failure;
  }
}
