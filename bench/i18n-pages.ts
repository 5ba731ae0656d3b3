/**
 * Does translation cost the on-demand pages anything? Each customer page rendered by the Worker, in
 * English (the baseline: the same page, the same data, the same words looked up) and in Italian, one
 * after the other under the same load: requests per second and latency, and the Italian p50 as a ratio of
 * the English one. The RMA pages are of one real request issued through the API first, opened by their
 * signed links.
 */
import { requestPath, rmaPath } from "../functions/links.ts";
import type { HttpLoad } from "./load.ts";
import type { CellResult } from "./stats.ts";

export interface I18nPageRow {
  page: string;
  en: CellResult;
  it: CellResult;
}

export interface I18nPagesInput {
  workerUrl: string;
  secret: string;
  /** A request body of one registered unit (JSON), to issue the RMA whose pages are measured. */
  body: string;
  connections: number;
  /** Runs one load cell (the benchmark's own, with its guard and log). */
  http: (label: string, load: HttpLoad) => Promise<CellResult>;
}

export async function measureI18nPages(input: I18nPagesInput): Promise<I18nPageRow[]> {
  const res = await fetch(`${input.workerUrl}/api/rma-requests`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: input.workerUrl },
    body: input.body,
  });
  const issued = (await res.json()) as { requestId?: string; rmas?: { rmaNumber: string }[] };
  const rmaNumber = issued.rmas?.[0]?.rmaNumber;
  if (res.status !== 201 || !issued.requestId || !rmaNumber) throw new Error(`bench: issuing the RMA refused (${res.status})`);
  const rma = await rmaPath(input.secret, rmaNumber);
  const pages: [string, string][] = [
    ["request form", "/rma/new"],
    ["status", "/status"],
    ["RMA page", rma],
    ["print page", rma.replace("?", "/print?")],
    ["confirmation", await requestPath(input.secret, issued.requestId)],
  ];
  const rows: I18nPageRow[] = [];
  for (const [page, path] of pages) {
    const en = await input.http(`i18n ${page} en`, { url: `${input.workerUrl}${path}`, connections: input.connections });
    const it = await input.http(`i18n ${page} it`, { url: `${input.workerUrl}/it${path}`, connections: input.connections });
    rows.push({ page, en, it });
  }
  return rows;
}

/** One line per page for the report's notes: Italian beside its English baseline. */
export function describeI18nPages(rows: readonly I18nPageRow[]): string[] {
  const cell = (r: CellResult) =>
    `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms${
      Object.keys(r.errors).length ? `, errors ${JSON.stringify(r.errors)}` : ""
    }`;
  return rows.map(
    (r) =>
      `on-demand page in Italian vs English, ${r.page}: it ${cell(r.it)}; en (baseline) ${cell(r.en)}; p50 it/en ${(
        r.it.p50 / r.en.p50
      ).toFixed(2)}`,
  );
}
