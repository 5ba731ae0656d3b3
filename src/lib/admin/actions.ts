/** The RMA page's action forms as the input of the staff action services. */

import { CANCELLATION_OUTCOME } from "@/functions/domain/cancellation.ts";
import { QUOTE_LABELS } from "@/functions/domain/quote.ts";
import type { StaffAction } from "@/functions/domain/staff-input.ts";
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

/** The actions whose form is only words, as `actions/Simple.astro` shows them. */
export const SIMPLE_ACTIONS = {
  reject: { title: "Reject", submit: "Reject", danger: true, reason: { label: "Reason, emailed to the customer", rows: 3 } },
  "confirm-warranty": {
    title: "Diagnosis: warranty confirmed",
    submit: "Confirm warranty and start the repair",
    note: "Note to the customer",
    description: (d) =>
      `A manufacturing defect, under warranty until ${d.rma.warrantyUntil}: free repair, return shipping at our expense (CPT).`,
  },
  "refuse-warranty": {
    title: "Diagnosis: warranty refused",
    submit: "Refuse the warranty",
    danger: true,
    description: () => "The damage was caused by the customer: the unit is then quoted before any repair.",
    reason: { label: "What was found, emailed to the customer", rows: 3 },
  },
  "finish-repair": { title: "Repair finished", submit: "Repair finished: prepare the return", note: "What was done" },
  close: { title: "Close", submit: "Close the RMA", note: "Note" },
  "grant-cancellation": {
    title: "Grant the cancellation",
    submit: "Grant",
    note: "Note to the customer",
    description: (d) =>
      CANCELLATION_OUTCOME[d.status] === "cancelled"
        ? "The RMA is cancelled."
        : "The unit is sent back unrepaired (the RMA moves to returning).",
  },
  "refuse-cancellation": {
    title: "Refuse the cancellation",
    submit: "Refuse",
    danger: true,
    reason: { label: "Reason, emailed to the customer", rows: 2 },
  },
  cancel: {
    title: "Cancel at the customer's request",
    submit: "Cancel the RMA",
    danger: true,
    description: () => "When the customer asked Sales to cancel (before the unit reaches us).",
    reason: { label: "Reason, emailed to the customer", rows: 2 },
  },
} satisfies Partial<Record<StaffAction, SimpleForm>>;

export type SimpleAction = keyof typeof SIMPLE_ACTIONS;

export interface SimpleForm {
  title: string;
  submit: string;
  danger?: boolean;
  /** The label of the optional note field. */
  note?: string;
  /** A required reason, emailed to the customer. */
  reason?: { label: string; rows: number };
  description?: (detail: RmaDetail) => string;
}
