/**
 * Translation's cost on the API's error answers (issue 13): the same invalid request (422
 * `validation_failed`, four field messages) answered in English — the baseline, the path as it was — and
 * in Italian (`Accept-Language: it`) and German (a body `locale`), through the built Worker; and, in this
 * process, the cost of saying one such error (`toBody(locale)`) per call. Its rows go into the report's
 * notes, each beside its English baseline.
 */

import { VALIDATION_TEXT } from "../functions/domain/input.ts";
import { parseRmaRequestTexts } from "../functions/domain/request-input.ts";
import { ApiError } from "../functions/errors.ts";
import type { Locale } from "../functions/i18n/index.ts";
import type { CellResult } from "./stats.ts";

/** A request wrong in four fields, as a client might send it. */
function invalidRequest(extra: Record<string, unknown> = {}) {
  return {
    contact: { name: "", email: "not-an-address", phone: "+39 050 123 4567", country: "Italy" },
    returnAddress: { street: "Via Roma 1", postalCode: "56100", city: "Pisa", country: "Italy" },
    units: [{ model: "Vega V640", serialNumber: "VE2300123", issueDescription: "broken" }],
    acceptTerms: false,
    ...extra,
  };
}

const VARIANTS: { label: string; headers: Record<string, string>; body: Record<string, unknown> }[] = [
  { label: "English (baseline: no Accept-Language)", headers: {}, body: invalidRequest() },
  { label: "Italian (Accept-Language: it)", headers: { "accept-language": "it-IT,it;q=0.9" }, body: invalidRequest() },
  { label: 'German (body "locale": "de")', headers: {}, body: invalidRequest({ locale: "de" }) },
];

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

/** Nanoseconds per `toBody(locale)` of the 422 above (its message and four field messages said), best of five runs. */
function sayCost(locale: Locale, rounds = 20_000): number {
  const parsed = parseRmaRequestTexts(invalidRequest());
  if (parsed.ok) throw new Error("bench/i18n: the invalid request was accepted");
  const error = new ApiError(422, "validation_failed", VALIDATION_TEXT, parsed.fields);
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 5; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) JSON.stringify(error.toBody(locale));
    best = Math.min(best, Number(process.hrtime.bigint() - start) / rounds);
  }
  return best;
}

/**
 * Measures the three variants at each concurrency with `loop` (the runner's cell: guard, timing, log) and
 * returns the report's notes: each translated row beside the English one.
 */
export async function measureI18n(
  workerUrl: string,
  concurrencies: number[],
  loop: (label: string, op: () => Promise<unknown>, concurrency: number) => Promise<CellResult>,
): Promise<string[]> {
  const notes: string[] = [];
  for (const c of concurrencies) {
    const cells: { label: string; result: CellResult }[] = [];
    for (const v of VARIANTS) {
      const body = JSON.stringify(v.body);
      const headers = { "content-type": "application/json", ...v.headers };
      // The answer is a refusal by design: an op succeeds when it is the 422 with its fields, read whole.
      const op = async () => {
        const res = await fetch(`${workerUrl}/api/rma-requests`, { method: "POST", headers, body });
        const answer = (await res.json()) as { error?: { fields?: Record<string, string> } };
        if (res.status !== 422 || Object.keys(answer.error?.fields ?? {}).length !== 4)
          throw new Error(`bench/i18n: unexpected answer ${res.status}`);
      };
      const result = await loop(`i18n: POST /api/rma-requests 422, ${v.label}, c=${c}`, op, c);
      cells.push({ label: v.label, result });
    }
    const [base, ...translated] = cells;
    if (!base) continue;
    const perSecond = (r: CellResult) => r.rps.toFixed(0);
    const line = (x: { label: string; result: CellResult }) =>
      `${x.label} p50 ${ms(x.result.p50)} ms, p95 ${ms(x.result.p95)} ms, ${perSecond(x.result)} answers/s`;
    notes.push(
      `Error answer in the reader's language (issue 13), POST /api/rma-requests → 422, c=${c}: ${translated.map(line).join("; ")} — beside ${line(base)}.`,
    );
  }
  const en = sayCost("en");
  const it = sayCost("it");
  const de = sayCost("de");
  notes.push(
    `Saying that 422 (message and four field messages) in-process, per answer: Italian ${(it / 1000).toFixed(1)} µs, German ${(de / 1000).toFixed(1)} µs — beside English ${(en / 1000).toFixed(1)} µs (the baseline).`,
  );
  return notes;
}
