/**
 * Charts as SVG, drawn on the server with Observable Plot over linkedom's DOM: the dashboard shows
 * them without client JavaScript, and the documents (board report, evidence) embed the same SVG.
 * Colours are the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies),
 * and never the only carrier of meaning: every line has its own marker and a label at its end,
 * every bar and cell prints its value, and each chart comes with its data as a table.
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

export const SAFE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"] as const;
const SYMBOLS = ["circle", "square", "triangle", "diamond", "cross", "star", "wye", "plus"] as const;
const FONT = "arial, sans-serif";

function documentForPlot(): Document {
  return parseHTML("<!doctype html><html><body></body></html>").document as unknown as Document;
}

/** Plot's element as SVG text, described for assistive technology by the chart's title and summary. */
function svgOf(element: Element, description: string): string {
  const svg = element.tagName.toLowerCase() === "svg" ? element : element.querySelector("svg")!;
  // The chart is one image described once: Plot's labels on its inner groups are not allowed on
  // elements without a role (and a screen reader would not reach them inside role="img").
  for (const inner of Array.from(svg.querySelectorAll("[aria-label], [aria-description]"))) {
    inner.removeAttribute("aria-label");
    inner.removeAttribute("aria-description");
  }
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", description);
  svg.setAttribute("focusable", "false");
  return svg.outerHTML;
}

export interface LineSeries {
  name: string;
  points: Array<{ x: string; y: number | null }>;
}

/** Lines over quarters (x in order given); gaps where a value is null (e.g. a percentage of nothing). */
export function lineChart(params: { series: LineSeries[]; yLabel: string; description: string; percent?: boolean; width?: number }): string {
  const order = params.series[0]?.points.map((p) => p.x) ?? [];
  const data = params.series.flatMap((s, i) => s.points.map((p) => ({ series: s.name, x: p.x, y: p.y, i })));
  const last = params.series.map((s, i) => {
    const known = s.points.filter((p) => p.y !== null);
    const end = known.at(-1);
    return end ? { series: s.name, x: end.x, y: end.y, i } : null;
  }).filter((p): p is NonNullable<typeof p> => p !== null);
  const names = params.series.map((s) => s.name);
  const element = Plot.plot({
    document: documentForPlot(),
    width: params.width ?? 720,
    height: 300,
    marginLeft: 50,
    marginRight: params.series.length > 1 ? 150 : 30,
    marginBottom: 40,
    style: { fontFamily: FONT, fontSize: "13px" },
    x: { type: "point", domain: order, label: null, tickRotate: order.length > 8 ? -30 : 0 },
    y: { grid: true, label: params.yLabel, zero: true, ...(params.percent ? { domain: [0, 100] } : {}) },
    color: { domain: names, range: SAFE_COLOURS.slice(0, Math.max(1, names.length)) as unknown as string[] },
    symbol: { domain: names, range: SYMBOLS.slice(0, Math.max(1, names.length)) as unknown as string[] },
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(data, { x: "x", y: "y", z: "series", stroke: "series", strokeWidth: 2.5 }),
      Plot.dot(data.filter((d) => d.y !== null), { x: "x", y: "y", stroke: "series", fill: "series", symbol: "series", r: 4 }),
      ...(params.series.length > 1
        ? [Plot.text(last, { x: "x", y: "y", text: "series", dx: 10, textAnchor: "start", fill: "series", fontWeight: "bold" })]
        : []),
    ],
  });
  return svgOf(element, params.description);
}

/** Horizontal bars, one per label, each with its value printed beside it. */
export function barChart(params: { bars: Array<{ label: string; value: number }>; xLabel: string; description: string; width?: number }): string {
  const element = Plot.plot({
    document: documentForPlot(),
    width: params.width ?? 720,
    height: Math.max(80, 34 * params.bars.length + 50),
    marginLeft: Math.min(280, 12 + 7 * Math.max(4, ...params.bars.map((b) => b.label.length))),
    marginRight: 60,
    style: { fontFamily: FONT, fontSize: "13px" },
    x: { grid: true, label: params.xLabel },
    y: { domain: params.bars.map((b) => b.label), label: null },
    marks: [
      Plot.barX(params.bars, { x: "value", y: "label", fill: SAFE_COLOURS[0] }),
      Plot.text(params.bars, { x: "value", y: "label", text: (d: { value: number }) => d.value.toLocaleString("en-GB"), dx: 6, textAnchor: "start" }),
      Plot.ruleX([0]),
    ],
  });
  return svgOf(element, params.description);
}

/** A grid of counts (rows × columns), shaded by count in one hue, each cell printing its number. */
export function heatmap(params: { rows: string[]; columns: string[]; cells: Array<{ row: string; column: string; value: number }>; rowLabel: string; columnLabel: string; description: string }): string {
  const max = Math.max(1, ...params.cells.map((c) => c.value));
  const element = Plot.plot({
    document: documentForPlot(),
    width: Math.max(360, 120 + 56 * params.columns.length),
    height: Math.max(120, 90 + 32 * params.rows.length),
    marginLeft: 110,
    marginTop: 60,
    style: { fontFamily: FONT, fontSize: "12px" },
    x: { domain: params.columns, label: params.columnLabel, axis: "top", tickRotate: -35 },
    y: { domain: params.rows, label: params.rowLabel },
    color: { type: "linear", domain: [0, max], range: ["#f3f8fc", "#08306b"] },
    marks: [
      Plot.cell(params.cells, { x: "column", y: "row", fill: "value", inset: 0.5 }),
      Plot.text(params.cells, { x: "column", y: "row", text: (d: { value: number }) => String(d.value), fill: (d: { value: number }) => (d.value > max * 0.55 ? "white" : "black") }),
    ],
  });
  return svgOf(element, params.description);
}

/** A small trend line for a headline figure (decorative: the figure and its change are given in text). */
export function sparkline(values: Array<number | null>): string {
  if (values.every((v) => v === null)) return "";
  const data = values.map((y, i) => ({ i, y }));
  const element = Plot.plot({
    document: documentForPlot(),
    width: 160,
    height: 36,
    margin: 4,
    axis: null,
    y: { zero: true },
    marks: [Plot.lineY(data, { x: "i", y: "y", stroke: SAFE_COLOURS[0], strokeWidth: 2 })],
  });
  const svg = element.tagName.toLowerCase() === "svg" ? element : element.querySelector("svg")!;
  for (const inner of Array.from(svg.querySelectorAll("[aria-label], [aria-description]"))) inner.removeAttribute("aria-label");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  return svg.outerHTML;
}

/** What a flagged point means, read by the measure's polarity (Making Data Count's colours: blue, orange, purple). */
export type FlagMeaning = "improvement" | "concern" | "neither";
export const FLAG_COLOURS: Record<FlagMeaning, string> = { improvement: "#0072B2", concern: "#D55E00", neither: "#CC79A7" };
/** Each rule's marker (a point flagged by several is drawn with the first rule's). */
export const RULE_SYMBOLS = { outside_limits: "diamond", two_of_three: "triangle", shift: "square", trend: "star" } as const;

/**
 * An XmR chart (statistical process control): the monthly values as a line with a dot per month (a
 * month with no value, or too small to publish, is left out: a gap), the mean as a solid line and the
 * process limits as dashed lines, each labelled with its value at the right; flagged points are
 * drawn larger in the colour of their meaning with the marker of their rule.
 */
export function xmrChartSvg(params: {
  points: Array<{ x: string; y: number | null }>;
  mean: number | null;
  upperLimit: number | null;
  lowerLimit: number | null;
  flags: Array<{ x: string; rule: keyof typeof RULE_SYMBOLS; meaning: FlagMeaning }>;
  yLabel: string;
  description: string;
  percent?: boolean;
  width?: number;
}): string {
  const order = params.points.map((p) => p.x);
  const known = params.points.filter((p): p is { x: string; y: number } => p.y !== null);
  const lines = [
    { name: "Upper limit", y: params.upperLimit, dash: "6,4" },
    { name: "Mean", y: params.mean, dash: null },
    { name: "Lower limit", y: params.lowerLimit, dash: "6,4" },
  ].filter((l): l is { name: string; y: number; dash: string | null } => l.y !== null);
  const values = [...known.map((p) => p.y), ...lines.map((l) => l.y), 0, ...(params.percent ? [100] : [])];
  const last = order.at(-1) ?? "";
  // One mark per flagged point: the first of its rules (outside the limits, two of three, shift, trend).
  const firstRule = ["outside_limits", "two_of_three", "shift", "trend"] as const;
  const flagged = known.flatMap((p) => {
    const f = firstRule.map((rule) => params.flags.find((x) => x.x === p.x && x.rule === rule)).find(Boolean);
    return f ? [{ x: p.x, y: p.y, symbol: RULE_SYMBOLS[f.rule], fill: FLAG_COLOURS[f.meaning] }] : [];
  });
  const format = (y: number) => y.toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const element = Plot.plot({
    document: documentForPlot(),
    width: params.width ?? 720,
    height: 320,
    marginLeft: 50,
    marginRight: 130,
    marginBottom: 55,
    style: { fontFamily: FONT, fontSize: "12px" },
    x: { type: "point", domain: order, label: null, tickRotate: -45 },
    y: { grid: true, label: params.yLabel, domain: [Math.min(...values), Math.max(...values)], nice: true },
    marks: [
      ...lines.map((l) => Plot.ruleY([l.y], { stroke: "#0b0c0c", strokeWidth: l.dash ? 1.5 : 2, ...(l.dash ? { strokeDasharray: l.dash } : {}) })),
      Plot.text(lines, { x: () => last, y: "y", text: (l: { name: string; y: number }) => `${l.name} ${format(l.y)}`, dx: 12, textAnchor: "start", fill: "#0b0c0c" }),
      Plot.lineY(params.points, { x: "x", y: "y", stroke: "#505a5f", strokeWidth: 2 }),
      Plot.dot(known, { x: "x", y: "y", r: 3, fill: "#505a5f" }),
      Plot.dot(flagged, { x: "x", y: "y", r: 6, symbol: "symbol", fill: "fill", stroke: "#0b0c0c", strokeWidth: 1 }),
    ],
  });
  return svgOf(element, params.description);
}
