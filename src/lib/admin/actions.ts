/** The RMA page's action forms as the input of the staff action services. */

import { CANCELLATION_OUTCOME } from "@/functions/domain/cancellation.ts";
import { QUOTE_LABELS } from "@/functions/domain/quote.ts";
import type { StaffAction } from "@/functions/domain/staff-input.ts";
import { ApiError } from "@/functions/errors.ts";
import type { MessageKey, Translator } from "@/functions/i18n/index.ts";
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

/** The actions whose form is only words, as `actions/Simple.astro` shows them (their words in `desk.actions.*`). */
export const SIMPLE_ACTIONS = {
  reject: {
    title: "desk.actions.reject.title",
    submit: "desk.actions.reject.submit",
    danger: true,
    reason: { label: "desk.actions.reject.reason", rows: 3 },
  },
  "confirm-warranty": {
    title: "desk.actions.confirmWarranty.title",
    submit: "desk.actions.confirmWarranty.submit",
    note: "desk.actions.noteToCustomer",
    description: (d, tr) => tr.t("desk.actions.confirmWarranty.description", { date: d.rma.warrantyUntil }),
  },
  "refuse-warranty": {
    title: "desk.actions.refuseWarranty.title",
    submit: "desk.actions.refuseWarranty.submit",
    danger: true,
    description: (_d, tr) => tr.t("desk.actions.refuseWarranty.description"),
    reason: { label: "desk.actions.refuseWarranty.reason", rows: 3 },
  },
  "finish-repair": {
    title: "desk.actions.finishRepair.title",
    submit: "desk.actions.finishRepair.submit",
    note: "desk.actions.finishRepair.note",
  },
  close: { title: "desk.actions.close.title", submit: "desk.actions.close.submit", note: "desk.actions.close.note" },
  "grant-cancellation": {
    title: "desk.actions.grantCancellation.title",
    submit: "desk.actions.grantCancellation.submit",
    note: "desk.actions.noteToCustomer",
    description: (d, tr) =>
      tr.t(
        CANCELLATION_OUTCOME[d.status] === "cancelled"
          ? "desk.actions.grantCancellation.cancelled"
          : "desk.actions.grantCancellation.returned",
      ),
  },
  "refuse-cancellation": {
    title: "desk.actions.refuseCancellation.title",
    submit: "desk.actions.refuseCancellation.submit",
    danger: true,
    reason: { label: "desk.actions.refuseCancellation.reason", rows: 2 },
  },
  cancel: {
    title: "desk.actions.cancel.title",
    submit: "desk.actions.cancel.submit",
    danger: true,
    description: (_d, tr) => tr.t("desk.actions.cancel.description"),
    reason: { label: "desk.actions.cancel.reason", rows: 2 },
  },
} satisfies Partial<Record<StaffAction, SimpleForm>>;

export type SimpleAction = keyof typeof SIMPLE_ACTIONS;

export interface SimpleForm {
  title: MessageKey;
  submit: MessageKey;
  danger?: boolean;
  /** The label of the optional note field. */
  note?: MessageKey;
  /** A required reason, emailed to the customer. */
  reason?: { label: MessageKey; rows: number };
  description?: (detail: RmaDetail, tr: Translator) => string;
}
