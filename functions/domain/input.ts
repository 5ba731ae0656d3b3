/**
 * The one input parser: the field helpers every schema is built from (customer request, lookup and
 * cancellation, staff actions and settings), and `parseWith`, which turns zod's output into the one
 * error shape's `fields` (`{ "units.2.serialNumber": "message" }`). The API routes and the Astro pages
 * parse with the same schemas, so a message reads the same in JSON and beside a form's field.
 */
import { z } from "zod";

export const VALIDATION_MESSAGE = "Some fields need attention: see the message beside each of them.";

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
  /** Refuse line breaks; a string names the field in that message (else `label`). */
  oneLine?: boolean | string;
  /** An empty value is "required" rather than "needs at least N characters" (always so when `min` is 1). */
  sayRequired?: boolean;
}

/** What a person types: trimmed, within limits, no control characters. */
export function words(label: string, opts: WordsOptions) {
  let s = z.string({ error: `${label} must be text.` }).trim();
  if (opts.min <= 1 || opts.sayRequired) s = s.min(1, { error: `${label} is required.` });
  if (opts.min > 1) s = s.min(opts.min, { error: `${label} needs at least ${opts.min} characters.` });
  const checked = s
    .max(opts.max, { error: `${label} is too long: at most ${opts.max} characters.` })
    .refine((v) => !hasControlCharacters(v), { error: `${label} contains control characters; please type it again.` });
  if (!opts.oneLine) return checked;
  const name = typeof opts.oneLine === "string" ? opts.oneLine : label;
  return checked.refine((v) => !/[\r\n]/.test(v), { error: `${name} must fit on one line.` });
}

/**
 * Optional words: absent, empty or blank means absent (`undefined`). With `oneLine`, line breaks are
 * refused too (a single-line field ends up in email headers and on labels).
 */
export function optionalWords(label: string, max: number, opts: { oneLine?: boolean } = {}) {
  return z
    .string({ error: `${label} must be text.` })
    .trim()
    .max(max, { error: `${label} is too long: at most ${max} characters.` })
    .refine((v) => !hasControlCharacters(v), { error: `${label} contains control characters; please type it again.` })
    .refine((v) => !opts.oneLine || !/[\r\n]/.test(v), { error: `${label} must fit on one line.` })
    .optional()
    .transform((v) => (v ? v : undefined));
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; fields: Record<string, string> };

/** Parses with a schema into the one error shape's fields. */
export function parseWith<T>(schema: z.ZodType<T>, raw: unknown): Parsed<T> {
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, fields: fieldErrors(parsed.error, raw) };
}

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
