/**
 * The dashboard's charts, drawn by Observable Plot on the server into SVG text (a DOM from linkedom):
 * the page needs no JavaScript and prints. Each chart comes with the rows of its data table, which the
 * page shows beside it for screen readers and for reading exact figures.
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import type { DashboardFigures } from "./dashboard.ts";

export type ChartKey = "per-month" | "return-rates" | "failures" | "repairs" | "quotes" | "turnaround";

export interface Chart {
  key: ChartKey;
  /** The SVG markup, or null when there is nothing to draw. */
  svg: string | null;
  /** How many marks (bars or dots) the chart draws: one per row of data. */
  marks: number;
}

/** Words the charts need, in the page's language. */
export interface ChartWords {
  month: string;
  rmas: string;
  model: string;
  returnRate: string;
  failures: string;
  category: string;
  repairs: string;
  warranty: string;
  paid: string;
  acceptance: string;
  workingDays: string;
  stage: string;
  stages: Record<string, string>;
}

const WIDTH = 640;
const HEIGHT = 300;

/**
 * One chart as SVG markup. The page hides the picture from screen readers (the table below it says the same
 * figures), so Plot's ARIA labels are dropped (a mark's group keeps its kind as `data-mark`); its `<style>` elements and inline styles go too (valid HTML:
 * no `<style>` inside a `<div>`, no inline styles): ChartFigure.astro styles the `plot` classes instead.
 */
function draw(options: Plot.PlotOptions): string {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  // The SVG, or a <figure> of a legend and the SVG; classes `plot`, `plot-swatches`, `plot-swatch`, ….
  const drawn = Plot.plot({
    ...options,
    document: document as unknown as Document,
    width: WIDTH,
    height: HEIGHT,
    className: "plot",
  }) as unknown as Element;
  for (const style of [...drawn.querySelectorAll("style")]) style.remove();
  for (const element of [drawn, ...drawn.querySelectorAll("*")]) {
    // A mark's group keeps its kind ("bar", "dot", "x-axis tick") as `data-mark`.
    const label = element.getAttribute("aria-label");
    if (label !== null && element.tagName.toLowerCase() === "g") element.setAttribute("data-mark", label);
    for (const attribute of ["style", "aria-label", "aria-description"]) element.removeAttribute(attribute);
  }
  return drawn.outerHTML;
}

export function drawCharts(f: DashboardFigures, w: ChartWords): Chart[] {
  const charts: Chart[] = [];
  const months = [...new Set([...f.perMonth.map((r) => r.month), ...f.repairs.map((r) => r.month)])].sort();

  charts.push({
    key: "per-month",
    marks: f.perMonth.length,
    svg:
      f.perMonth.length === 0
        ? null
        : draw({
            x: { label: w.month, domain: months, type: "band" },
            y: { label: w.rmas, grid: true },
            color: { legend: true, label: w.model },
            marks: [
              Plot.barY(f.perMonth, { x: "month", y: "n", fill: "model", title: (d) => `${d.month} ${d.model}: ${d.n}` }),
              Plot.ruleY([0]),
            ],
          }),
  });

  const rates = f.returnRates
    .filter((r) => r.rate !== null)
    .map((r) => ({ ...r, label: r.batch ? `${r.model} · ${r.batch}` : r.model, pct: (r.rate as number) * 100 }));
  charts.push({
    key: "return-rates",
    marks: rates.length,
    svg:
      rates.length === 0
        ? null
        : draw({
            marginLeft: 140,
            x: { label: `${w.returnRate} (%)`, grid: true },
            y: { label: null },
            marks: [
              Plot.barX(rates, {
                y: "label",
                x: "pct",
                fill: "var(--accent, #1f5fa8)",
                title: (d) => `${d.label}: ${d.pct.toFixed(2)}%`,
              }),
              Plot.ruleX([0]),
            ],
          }),
  });

  charts.push({
    key: "failures",
    marks: f.failures.length,
    svg:
      f.failures.length === 0
        ? null
        : draw({
            x: { label: w.model, type: "band" },
            y: { label: w.failures, grid: true },
            color: { legend: true, label: w.category },
            marks: [
              Plot.barY(f.failures, {
                x: "model",
                y: "n",
                fill: "categoryName",
                title: (d) => `${d.model} ${d.categoryName}: ${d.n}`,
              }),
              Plot.ruleY([0]),
            ],
          }),
  });

  const repairs = f.repairs.flatMap((r) => [
    { month: r.month, kind: w.warranty, n: r.warranty },
    { month: r.month, kind: w.paid, n: r.paid },
  ]);
  charts.push({
    key: "repairs",
    marks: repairs.length,
    svg:
      f.repairs.length === 0
        ? null
        : draw({
            x: { label: w.month, type: "band" },
            y: { label: w.repairs, grid: true },
            color: { legend: true, domain: [w.warranty, w.paid] },
            marks: [
              Plot.barY(repairs, { x: "month", y: "n", fill: "kind", title: (d) => `${d.month} ${d.kind}: ${d.n}` }),
              Plot.ruleY([0]),
            ],
          }),
  });

  const quotes = f.quotes.filter((q) => q.rate !== null).map((q) => ({ month: q.month, pct: (q.rate as number) * 100 }));
  charts.push({
    key: "quotes",
    marks: quotes.length,
    svg:
      quotes.length === 0
        ? null
        : draw({
            x: { label: w.month, type: "band" },
            y: { label: `${w.acceptance} (%)`, domain: [0, 100], grid: true },
            marks: [
              Plot.dot(quotes, {
                x: "month",
                y: "pct",
                r: 5,
                fill: "currentColor",
                title: (d) => `${d.month}: ${d.pct.toFixed(0)}%`,
              }),
            ],
          }),
  });

  const stages = f.turnaround.map((t) => ({ ...t, stageName: w.stages[t.stage] ?? t.stage }));
  const targets = [...new Map(stages.filter((s) => s.target !== null).map((s) => [s.stage, s])).values()];
  charts.push({
    key: "turnaround",
    marks: stages.length,
    svg:
      stages.length === 0
        ? null
        : draw({
            x: { label: w.month, type: "band" },
            y: { label: w.workingDays, grid: true },
            color: { legend: true, label: w.stage },
            marks: [
              Plot.dot(stages, {
                x: "month",
                y: "median",
                fill: "stageName",
                r: 4,
                title: (d) => `${d.month} ${d.stageName}: ${d.median} / ${d.p90}`,
              }),
              Plot.tickY(stages, { x: "month", y: "p90", stroke: "stageName", strokeDasharray: "3,2" }),
              Plot.ruleY(targets, { y: "target", stroke: "stageName", strokeOpacity: 0.5 }),
            ],
          }),
  });
  return charts;
}
