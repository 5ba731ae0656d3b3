/**
 * The one input parser: the field helpers every schema is built from (customer request, lookup and
 * cancellation, staff actions and settings), and `parseWith`, which turns zod's output into the one
 * error shape's `fields` (`{ "units.2.serialNumber": "message" }`). The API routes and the Astro pages
 * parse with the same schemas, so a message reads the same in JSON and beside a form's field.
 */
import { z } from "zod";
import { DEFAULT_LOCALE, type Locale } from "../i18n/index.ts";
import { decodeText, encodeText, isText, say, type Text, text } from "../i18n/text.ts";

/** The message of a 422 `validation_failed`: say it in the reader's locale. */
export const VALIDATION_TEXT: Text = text("errors.validation");

/** An encoded `Text` for zod's `error:` (said at the edge). */
const says = (key: Text["key"], params?: Text["params"]) => encodeText(text(key, params));

/** Control characters other than tab and line breaks: never part of what a person types. */
export function hasControlCharacters(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) return true;
  }
  return false;
}

export interface WordsOptions {
  min: number;
  max: number;
  /** Refuse line breaks; a `Text` names the field in that message (else `label`). */
  oneLine?: boolean | Text;
  /** An empty value is "required" rather than "needs at least N characters" (always so when `min` is 1). */
  sayRequired?: boolean;
}

/**
 * What a person types: trimmed, within limits, no control characters. `label` names the field in its
 * messages (`text("errors.field.email")`), said in the reader's language with them.
 */
export function words(field: Text, opts: WordsOptions) {
  let s = z.string({ error: says("errors.input.notText", { field }) }).trim();
  if (opts.min <= 1 || opts.sayRequired) s = s.min(1, { error: says("errors.input.required", { field }) });
  if (opts.min > 1) s = s.min(opts.min, { error: says("errors.input.tooShort", { field, min: opts.min }) });
  const checked = s
    .max(opts.max, { error: says("errors.input.tooLong", { field, max: opts.max }) })
    .refine((v) => !hasControlCharacters(v), { error: says("errors.input.control", { field }) });
  if (!opts.oneLine) return checked;
  const name = isText(opts.oneLine) ? opts.oneLine : field;
  return checked.refine((v) => !/[\r\n]/.test(v), { error: says("errors.input.oneLine", { field: name }) });
}

/**
 * Optional words: absent, empty or blank means absent (`undefined`). With `oneLine`, line breaks are
 * refused too (a single-line field ends up in email headers and on labels).
 */
export function optionalWords(field: Text, max: number, opts: { oneLine?: boolean } = {}) {
  return z
    .string({ error: says("errors.input.notText", { field }) })
    .trim()
    .max(max, { error: says("errors.input.tooLong", { field, max }) })
    .refine((v) => !hasControlCharacters(v), { error: says("errors.input.control", { field }) })
    .refine((v) => !opts.oneLine || !/[\r\n]/.test(v), { error: says("errors.input.oneLine", { field }) })
    .optional()
    .transform((v) => (v ? v : undefined));
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; fields: Record<string, string> };

/**
 * Parses with a schema into the one error shape's fields, said in `locale` (a page's reader; English by
 * default). The API keeps them unsaid with `parseToTexts`, so its error handler says them for its reader.
 */
export function parseWith<T>(schema: z.ZodType<T>, raw: unknown, locale: Locale = DEFAULT_LOCALE): Parsed<T> {
  const parsed = parseToTexts(schema, raw);
  return parsed.ok ? parsed : { ok: false, fields: sayFields(locale, parsed.fields) };
}

/** Parses with a schema; the fields' messages stay encoded `Text`s (for an `ApiError`, said at the edge). */
export function parseToTexts<T>(schema: z.ZodType<T>, raw: unknown): Parsed<T> {
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, fields: fieldErrors(parsed.error, raw) };
}

function sayFields(locale: Locale, fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) out[name] = say(locale, value);
  return out;
}

/**
 * zod's issues as `{ "units.2.serialNumber": "message" }`, the first message per field; the messages
 * are encoded `Text`s (or English words from schemas not yet converted): `say()` them for a reader.
 */
export function fieldErrors(error: z.ZodError, input?: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    let path = issue.path.map(String).join(".");
    let message = issue.message;
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const p = path ? `${path}.${key}` : key;
        out[p] ??= says("errors.input.unknownField", { name: key });
      }
      continue;
    }
    if (issue.code === "invalid_type" && valueAt(input, issue.path) === undefined) message = missing(message, path);
    if (path === "") path = "body";
    out[path] ??= message;
  }
  return out;
}

/** A missing field: say so rather than "must be text". */
function missing(message: string, path: string): string {
  const said = decodeText(message);
  if (said) {
    // A missing field whose type message names it ("… must be text", "… must be an amount in euro cents"): say it is required.
    if (said.params?.["field"] !== undefined) return says("errors.input.required", { field: said.params["field"] });
    if (said.key === "errors.request.unitsList") return says("errors.input.required", { field: text("errors.field.units") });
    return message; // "Contact details are missing." and the like say it already
  }
  const replaced = message.replace(/ must be (text|an object|a list).*$/, " is required.");
  if (replaced.endsWith("required.") || replaced.includes("missing")) return replaced;
  return says("errors.input.required", { field: path || text("errors.field.thisField") });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
