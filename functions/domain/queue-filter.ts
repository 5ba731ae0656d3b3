/**
 * The staff queue's filters, read from a query string (the page's GET form and the API alike): status,
 * model, warranty, requested between two dates, a search text, and the page number. A value that
 * cannot be used is dropped with a message for its field, a `Text` (`readQueueFilter`), or said in the page's
 * language (`parseQueueFilter`).
 */
import type { FieldErrors } from "../errors.ts";
import { DEFAULT_LOCALE, type Locale } from "../i18n/index.ts";
import { encodeText, sayAll, type TextParam, text } from "../i18n/text.ts";
import { isIsoDate } from "./dates.ts";
import { RMA_STATUSES, type RmaStatus } from "./status.ts";

export const QUEUE_PAGE_SIZE = 50;

/** A `page` query parameter as a page number: 1 to 999 999, or null when it is not one. */
export function pageNumberOf(value: string | null | undefined): number | null {
  return value && /^\d{1,6}$/.test(value) && Number(value) >= 1 ? Number(value) : null;
}

export interface QueueFilter {
  status?: RmaStatus;
  model?: string;
  /** `covered`: under warranty (as judged at request, or after diagnosis). */
  warranty?: "covered" | "not-covered";
  /** Requested on or after this day (`YYYY-MM-DD`). */
  from?: string;
  /** Requested on or before this day. */
  to?: string;
  /** The beginning of an RMA number, serial number, email or company name. */
  q?: string;
  page: number;
}

export const FILTER_KEYS = ["status", "model", "warranty", "from", "to", "q"] as const;

type Params = URLSearchParams | Record<string, string | undefined>;

const get = (params: Params, key: string) =>
  (params instanceof URLSearchParams ? params.get(key) : params[key])?.trim() || undefined;

/** The filters, and for each value that cannot be used its message as an encoded `Text` (the API says it at its edge). */
export function readQueueFilter(params: Params): { filter: QueueFilter; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const refuse = (
    field: string,
    key: `errors.desk.filters.${"status" | "model" | "warranty" | "date" | "dateOrder" | "q" | "page"}`,
    params?: Record<string, TextParam>,
  ) => {
    errors[field] = encodeText(text(key, params));
  };
  const filter: QueueFilter = { page: 1 };
  const status = get(params, "status");
  if (status) {
    if ((RMA_STATUSES as readonly string[]).includes(status)) filter.status = status as RmaStatus;
    else refuse("status", "errors.desk.filters.status", { value: status.slice(0, 30), statuses: RMA_STATUSES.join(", ") });
  }
  const model = get(params, "model");
  if (model) {
    if (model.length <= 60) filter.model = model;
    else refuse("model", "errors.desk.filters.model");
  }
  const warranty = get(params, "warranty");
  if (warranty) {
    if (warranty === "covered" || warranty === "not-covered") filter.warranty = warranty;
    else refuse("warranty", "errors.desk.filters.warranty");
  }
  for (const key of ["from", "to"] as const) {
    const day = get(params, key);
    if (!day) continue;
    if (isIsoDate(day)) filter[key] = day;
    else refuse(key, "errors.desk.filters.date", { value: day.slice(0, 20) });
  }
  if (filter.from && filter.to && filter.from > filter.to) refuse("to", "errors.desk.filters.dateOrder");
  const q = get(params, "q");
  if (q) {
    if (q.length <= 100) filter.q = q;
    else refuse("q", "errors.desk.filters.q");
  }
  const page = get(params, "page");
  if (page) {
    const n = pageNumberOf(page);
    if (n) filter.page = n;
    else refuse("page", "errors.desk.filters.page");
  }
  return { filter, errors };
}

/** As `readQueueFilter`, its messages said in `locale` (a page's reader: the queue page, the CSV export). */
export function parseQueueFilter(
  params: Params,
  locale: Locale = DEFAULT_LOCALE,
): { filter: QueueFilter; errors: Record<string, string> } {
  const { filter, errors } = readQueueFilter(params);
  return { filter, errors: sayAll(locale, errors) };
}

/** The query string of a filter (for links to other pages of the same list). */
export function filterQuery(filter: QueueFilter, page = filter.page): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const v = filter[key];
    if (v) params.set(key, v);
  }
  if (page > 1) params.set("page", String(page));
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** The smallest text greater than every text that starts with `prefix` (for index range scans). */
export function prefixEnd(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
