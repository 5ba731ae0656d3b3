import type { Context } from "hono";
import type { z } from "zod";
import { parseToTexts, VALIDATION_TEXT } from "../domain/input.ts";
import { ApiError } from "../errors.ts";
import { readBody } from "./body.ts";

/** A JSON body checked against a schema; refusals (415, 400, 422) in the one error shape. */
export async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const body = await readBody(c, ["json"]);
  const parsed = parseToTexts(schema, body.data);
  if (!parsed.ok) throw new ApiError(422, "validation_failed", VALIDATION_TEXT, parsed.fields);
  return parsed.data;
}
