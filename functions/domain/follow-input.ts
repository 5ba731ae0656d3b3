/**
 * What a customer sends to follow an RMA: the RMA number and email of the status form
 * (`POST /api/rmas/lookup`, `/status`), and a cancellation's reason (`POST /api/rmas/{n}/cancel`, the
 * RMA page's form). Parsed with `parseWith` by the API and the pages alike.
 */
import { z } from "zod";
import { encodeText, type Text, text } from "../i18n/text.ts";
import { hasControlCharacters } from "./input.ts";

/** An encoded `Text` for zod's `error:` (said at the edge). */
const says = (key: Text["key"], params?: Text["params"]) => encodeText(text(key, params));
const EMAIL = text("errors.field.email");
const RMA_NUMBER = text("errors.field.rmaNumber");
const REASON = text("errors.field.reason");

const email = z
  .string({ error: says("errors.input.notText", { field: EMAIL }) })
  .trim()
  .max(254, { error: says("errors.input.tooLongShort", { field: EMAIL }) });
const rmaNumber = z
  .string({ error: says("errors.input.notText", { field: RMA_NUMBER }) })
  .max(40, { error: says("errors.input.tooLongShort", { field: RMA_NUMBER }) });

export const lookupSchema = z.strictObject({ rmaNumber, email }, { error: says("errors.follow.lookupShape") });

const REASON_LENGTH = says("errors.follow.reasonLength");

/** Why the customer cancels: 5 to 1000 characters once trimmed, no control characters. */
export const cancelReason = z
  .string({ error: says("errors.input.notText", { field: REASON }) })
  .max(1000, { error: says("errors.input.tooLong", { field: REASON, max: 1000 }) })
  .trim()
  .min(5, { error: REASON_LENGTH })
  .refine((v) => !hasControlCharacters(v), { error: says("errors.follow.reasonControl") });

export const cancelSchema = z.strictObject(
  {
    email: email.optional(),
    t: z
      .string({ error: says("errors.follow.tokenText") })
      .max(64)
      .optional(),
    reason: cancelReason,
  },
  { error: says("errors.follow.cancelShape") },
);

/** The RMA page's cancellation form: the reason alone (the page's signed link says who asks). */
export const cancelFormSchema = z.strictObject({ reason: cancelReason });
