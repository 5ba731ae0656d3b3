/** The dashboard's filter from its query: a period of request months and, optionally, one model. */
import { VALIDATION_TEXT } from "../../domain/input.ts";
import { Refusal } from "../../errors.ts";
import { encodeText, type Text, text } from "../../i18n/text.ts";

const says = (key: Text["key"]) => encodeText(text(key));

export interface DashboardFilter {
  /** First and last request month of the period, `YYYY-MM`, both included. */
  from: string;
  to: string;
  /** One model, or every model. */
  model: string | null;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const total = y * 12 + (m - 1) - n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}`;
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to && out.length < 240; m = monthsBefore(m, -1)) out.push(m);
  return out;
}

/** By default the last 12 months up to this one, every model. A bad value is refused naming its field. */
export function parseDashboardFilter(query: URLSearchParams, now: Date): DashboardFilter {
  const thisMonth = now.toISOString().slice(0, 7);
  const fields: Record<string, string> = {};
  const month = (name: "from" | "to", fallback: string) => {
    const v = query.get(name)?.trim() ?? "";
    if (v === "") return fallback;
    if (!MONTH.test(v))
      fields[name] = says(name === "from" ? "errors.desk.dashboard.fromMonth" : "errors.desk.dashboard.toMonth");
    return v;
  };
  const to = month("to", thisMonth);
  const from = month("from", monthsBefore(MONTH.test(to) ? to : thisMonth, 11));
  if (!fields["from"] && !fields["to"] && from > to) fields["from"] = says("errors.desk.dashboard.order");
  if (!fields["from"] && !fields["to"] && monthsBetween(from, to).length >= 240)
    fields["from"] = says("errors.desk.dashboard.tooLong");
  const model = query.get("model")?.trim() ?? "";
  if (model.length > 80) fields["model"] = says("errors.desk.dashboard.model");
  if (Object.keys(fields).length > 0) throw new Refusal("validation_failed", VALIDATION_TEXT, fields);
  return { from, to, model: model === "" ? null : model };
}
