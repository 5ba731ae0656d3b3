/** The dashboard's filter from its query: a period of request months and, optionally, one model. */
import { Refusal } from "../../errors.ts";

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
    if (!MONTH.test(v)) fields[name] = `${name === "from" ? "The first" : "The last"} month must be a month like 2026-03.`;
    return v;
  };
  const to = month("to", thisMonth);
  const from = month("from", monthsBefore(MONTH.test(to) ? to : thisMonth, 11));
  if (!fields["from"] && !fields["to"] && from > to) fields["from"] = "The first month must not be after the last one.";
  if (!fields["from"] && !fields["to"] && monthsBetween(from, to).length >= 240)
    fields["from"] = "The period can be at most 20 years.";
  const model = query.get("model")?.trim() ?? "";
  if (model.length > 80) fields["model"] = "The model is at most 80 characters.";
  if (Object.keys(fields).length > 0)
    throw new Refusal("validation_failed", "Some fields need attention: see the message beside each of them.", fields);
  return { from, to, model: model === "" ? null : model };
}
