/**
 * What a customer sends to follow an RMA: the RMA number and email of the status form
 * (`POST /api/rmas/lookup`, `/status`), and a cancellation's reason (`POST /api/rmas/{n}/cancel`, the
 * RMA page's form). Parsed with `parseWith` by the API and the pages alike.
 */
import { z } from "zod";
import { hasControlCharacters } from "./input.ts";

const email = z.string({ error: "Email must be text." }).trim().max(254, { error: "Email is too long." });
const rmaNumber = z.string({ error: "RMA number must be text." }).max(40, { error: "RMA number is too long." });

export const lookupSchema = z.strictObject({ rmaNumber, email }, { error: "Send a JSON object with rmaNumber and email." });

const REASON_LENGTH = "Tell us briefly why you want to cancel (5 to 1000 characters).";

/** Why the customer cancels: 5 to 1000 characters once trimmed, no control characters. */
export const cancelReason = z
  .string({ error: "Reason must be text." })
  .max(1000, { error: "Reason is too long: at most 1000 characters." })
  .trim()
  .min(5, { error: REASON_LENGTH })
  .refine((v) => !hasControlCharacters(v), { error: "The reason contains control characters; please type it again." });

export const cancelSchema = z.strictObject(
  {
    email: email.optional(),
    t: z.string({ error: "t must be the token from the email's link." }).max(64).optional(),
    reason: cancelReason,
  },
  { error: "Send a JSON object with reason and either email or t." },
);

/** The RMA page's cancellation form: the reason alone (the page's signed link says who asks). */
export const cancelFormSchema = z.strictObject({ reason: cancelReason });
