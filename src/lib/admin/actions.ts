/** The RMA page's action forms as the input of the staff action services. */
import { QUOTE_LABELS } from "@/functions/domain/quote.ts";
import { ApiError } from "@/functions/errors.ts";
import type { RmaDetail } from "@/functions/services/rma/detail.ts";
import { eurosToCents, type Failure, type FormValues, scoped } from "./forms.ts";

export const QUOTE_FIELDS = ["labourCents", "partsAndSuppliesCents", "handlingFeeCents", "returnShippingCents"] as const;

/** A form's fields without their prefix; the quote's amounts, typed in euros, become cents. */
export function actionInput(action: string, values: FormValues): Record<string, unknown> {
  const input: Record<string, unknown> = scoped(values, action);
  if (action !== "quote") return input;
  const { cents, errors } = eurosToCents(scoped(values, action), QUOTE_FIELDS, QUOTE_LABELS);
  if (Object.keys(errors).length > 0) {
    throw new ApiError(422, "validation_failed", "Some amounts need attention: see the message beside each of them.", errors);
  }
  return { ...input, ...cents };
}

/** What every action form of the RMA page is given. */
export interface ActionProps {
  detail: RmaDetail;
  failure: Failure | null;
  now: Date;
}
