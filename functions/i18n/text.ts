/**
 * Words chosen at the edge. Domain modules and services do not know who reads them, so what they say to a
 * person is a `Text`: a message key and its parameters. The edge (the API's error handler, a page, an
 * email) turns it into words for its reader's locale with `say()`.
 *
 * A `Text` can travel through places that only carry strings (zod's issue messages, `Error.message`) as an
 * encoded string (`encodeText`); `say()` reads both forms, and a plain string passes through unchanged
 * (data such as a serial number, or words already chosen).
 *
 * @example
 *   throw new Refusal("not_found", text("errors.rmaNotFound", { number }));
 *   z.string({ error: encodeText(text("errors.input.required", { field: text("errors.field.email") })) });
 *   say("it", err.text); // "Nessuna RMA con il numero …"
 */
import { type Locale, type MessageKey, translator } from "./index.ts";

/** A parameter is data (a string or number, used as it is) or words of their own (a `Text`, said in the same locale). */
export type TextParam = string | number | Text;

export interface Text {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, TextParam>>;
}

/** Something to say: a `Text`, or a string (data, or an encoded `Text`). */
export type Words = Text | string;

export function text(key: MessageKey, params?: Readonly<Record<string, TextParam>>): Text {
  return params ? { key, params } : { key };
}

export function isText(value: unknown): value is Text {
  return typeof value === "object" && value !== null && typeof (value as { key?: unknown }).key === "string";
}

/** Marks an encoded `Text` inside a string (a character no one types: control characters are refused in input). */
const MARK = "\u0001";

/** A `Text` as a string, for places that carry only strings (zod messages); `say()` decodes it. */
export function encodeText(value: Text): string {
  return MARK + JSON.stringify(value);
}

/** The `Text` inside an encoded string, or null for plain words. */
export function decodeText(value: string): Text | null {
  return decode(value);
}

function decode(value: string): Text | null {
  if (!value.startsWith(MARK)) return null;
  try {
    const parsed: unknown = JSON.parse(value.slice(MARK.length));
    return isText(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** The words for `value` in `locale`: a `Text` is looked up (its `Text` parameters said first), a string is returned as it is. */
export function say(locale: Locale, value: Words): string {
  const found = typeof value === "string" ? decode(value) : value;
  if (!found) return value as string;
  const { t } = translator(locale);
  if (!found.params) return t(found.key);
  const params: Record<string, string | number> = {};
  for (const [name, param] of Object.entries(found.params)) params[name] = isText(param) ? say(locale, param) : param;
  return t(found.key, params);
}

/** Every value of a record said in `locale` (field messages). */
export function sayAll(locale: Locale, values: Readonly<Record<string, Words>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) out[name] = say(locale, value);
  return out;
}
