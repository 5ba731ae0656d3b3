/** The RMA page's action forms as the input of the staff action services. */

import type { AstroGlobal } from "astro";
import type { FailureCategoryRow } from "@/db/schema/insight.ts";
import { CANCELLATION_OUTCOME } from "@/functions/domain/cancellation.ts";
import { type QuoteField, quoteLabel } from "@/functions/domain/quote.ts";
import type { StaffAction } from "@/functions/domain/staff-input.ts";
import { ApiError, asApiError, Refusal } from "@/functions/errors.ts";
import { multipartBoundary } from "@/functions/http/multipart.ts";
import { assertCan } from "@/functions/http/staff-guard.ts";
import type { MessageKey, Translator } from "@/functions/i18n/index.ts";
import { text } from "@/functions/i18n/text.ts";
import { MAX_MESSAGE_FIELD_BYTES, postStaffReply } from "@/functions/services/messages/post.ts";
import { rmaNotFound } from "@/functions/services/rma/action-context.ts";
import type { RmaDetail } from "@/functions/services/rma/detail.ts";
import { loadRma } from "@/functions/services/rma/view.ts";
import { eurosToCents, type Failure, type FormValues, scoped } from "./forms.ts";
import type { AdminPage } from "./page.ts";

export const QUOTE_FIELDS = ["labourCents", "partsAndSuppliesCents", "handlingFeeCents", "returnShippingCents"] as const;
const QUOTE_FIELD_LABELS = Object.fromEntries(QUOTE_FIELDS.map((key: QuoteField) => [key, quoteLabel(key)]));

/** A form's fields without their prefix; the quote's amounts, typed in euros, become cents. */
export function actionInput(action: string, values: FormValues): Record<string, unknown> {
  const input: Record<string, unknown> = scoped(values, action);
  if (action !== "quote") return input;
  const { cents, errors } = eurosToCents(scoped(values, action), QUOTE_FIELDS, QUOTE_FIELD_LABELS);
  if (Object.keys(errors).length > 0) {
    throw new ApiError(422, "validation_failed", text("errors.desk.quoteAmounts"), errors);
  }
  return { ...input, ...cents };
}

/** What every action form of the RMA page is given. */
export interface ActionProps {
  detail: RmaDetail;
  failure: Failure | null;
  now: Date;
  /** The failure categories offered at diagnosis (`activeCategories`). */
  categories?: readonly Pick<FailureCategoryRow, "code" | "name">[];
}

/** The actions whose form also records the diagnosis details (src/components/rma/DiagnosisAction.astro). */
export const DIAGNOSIS_ACTIONS = ["confirm-warranty", "refuse-warranty", "finish-repair"] as const;
export type DiagnosisAction = (typeof DIAGNOSIS_ACTIONS)[number];
export const isDiagnosisAction = (a: string): a is DiagnosisAction => (DIAGNOSIS_ACTIONS as readonly string[]).includes(a);

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

/** The staff reply form's refusal, shown at the form with what was typed. */
export interface ReplyFailure {
  status: number;
  message: string;
  /** The text as typed (read back from the start of the post, where the form puts it before the files). */
  body: string;
}

/** Bytes of a post kept to give its text back after a refusal: the message field comes before the files. */
const KEPT_BYTES = MAX_MESSAGE_FIELD_BYTES + 4096;

/** The body stream, with its first `KEPT_BYTES` copied aside as they pass. */
function keepingStart(body: ReadableStream<Uint8Array> | null): {
  stream: ReadableStream<Uint8Array> | null;
  start: () => Uint8Array;
} {
  const kept: Uint8Array[] = [];
  let size = 0;
  if (!body) return { stream: null, start: () => new Uint8Array() };
  const stream = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (size < KEPT_BYTES) {
          const part = chunk.subarray(0, KEPT_BYTES - size);
          kept.push(part.slice());
          size += part.length;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return {
    stream,
    start: () => {
      const out = new Uint8Array(size);
      let at = 0;
      for (const k of kept) {
        out.set(k, at);
        at += k.length;
      }
      return out;
    },
  };
}

/** The text of the form field `name` in the start of a multipart body ("" when it is not all there). */
export function fieldFromStart(start: Uint8Array, boundary: string, name: string): string {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(start);
  const header = new RegExp(`content-disposition:\\s*form-data;\\s*name="${name}"\\r\\n(?:[^\\r\\n]+\\r\\n)*\\r\\n`, "i");
  const m = header.exec(text);
  if (!m) return "";
  const from = m.index + m[0].length;
  const end = text.indexOf(`\r\n--${boundary}`, from);
  return end === -1 ? "" : text.slice(from, end);
}

/**
 * The staff RMA page's reply form (multipart, posted to the page itself at `?reply`): its files streamed
 * into R2 and the message written as `POST /api/admin/rmas/{n}/messages` does (same services, same
 * limits), then a 303 back to the history. A refusal (a file, the text, the role) comes back as the page
 * with the message at the form and the text kept; nothing of a refused reply is stored.
 */
export async function postReply(astro: AstroGlobal, page: AdminPage, rmaNumber: string): Promise<Response | ReplyFailure | null> {
  if (astro.request.method !== "POST" || !astro.url.searchParams.has("reply")) return null;
  const boundary = multipartBoundary(astro.request.headers.get("content-type"));
  const { stream, start } = keepingStart(astro.request.body);
  try {
    assertCan(page.staff, "rma.message", "message");
    if (!boundary) throw new ApiError(415, "unsupported_media_type", text("workshop.replyNotMultipart"));
    const record = await loadRma(page.db, rmaNumber);
    if (!record) throw new Refusal("not_found", rmaNotFound(rmaNumber));
    const locale = page.staff.locale;
    const posted = await postStaffReply(page.db, page.env, {
      record,
      staffEmail: page.staff.email,
      stream,
      boundary,
      locale,
      links: page.ctx.links,
      now: page.now,
    });
    page.sendLater(posted.emailIds);
    return astro.redirect(`/admin/rma/${record.rma.rmaNumber}?sent=message#history`, 303);
  } catch (err) {
    const refusal = asApiError(err);
    if (refusal.status >= 500) throw err;
    // Whatever was not read of a refused post is let go.
    await stream?.cancel().catch(() => undefined);
    astro.response.status = refusal.status;
    return {
      status: refusal.status,
      message: refusal.messageIn(page.staff.locale),
      body: boundary ? fieldFromStart(start(), boundary, "body").replace(/\r\n?/g, "\n") : "",
    };
  }
}
