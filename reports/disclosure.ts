/**
 * Disclosure control for published outputs (METRICS.md, "Disclosure control"), implemented once, over
 * a whole published output at a time (ADR 0016):
 *
 * - `dfe` (default): a count from 1 to 5 is shown as `c` (a true 0 stays 0); secondary suppression
 *   then hides further cells, the smallest first and totals last, until the attacker of
 *   reports/attacker.ts can work out no hidden cell from what the output shows; a percentage (or
 *   median) is withheld when a count it is made of, or bounded by, is hidden, when its denominator
 *   is under 10 (a median: fewer than 6 values), or when its unpublished numerator is from 1 to 5.
 * - `nhs`: a count from 1 to 7 is shown as `*`, every other count rounded to the nearest 5, and
 *   percentages computed from the rounded counts; the same attacker (knowing the rounding) checks it,
 *   and the same secondary step hides more while it can work a cell out (the output then says so,
 *   and its reader no longer takes every * for 1 to 7).
 *
 * Counts about professionals (one agency's dissent in a quarter) are protected like counts about children.
 */
import { InvalidRequestError } from "../server/errors";
import { percent } from "../server/metrics/percent";
import type { BoardReport } from "../server/metrics/boardReport";
import { quarterOf } from "../server/calendar/quarters";
import { SPC_MEASURES, type MonthlySeries, type SpcMeasure } from "../server/metrics/monthlySeries";
import type { Assurance, Polarity, SpecialCause, Variation } from "../server/metrics/spc";
import { attack, type ChartView, type Pinned, type ReaderRules, type ReaderView, type Seen } from "./attacker";

export type DisclosureProfile = "dfe" | "nhs";
export type Published = number | "c" | "*" | null;

const HIDDEN: Record<DisclosureProfile, "c" | "*"> = { dfe: "c", nhs: "*" };

/**
 * What a reader of each profile knows of its rules from the statement printed with an output. Only
 * what the reader assumes: suppression hides more under either profile while a cell can be worked out
 * (an nhs output that did says so, and is read under `rulesFor(profile, true)`).
 */
export const READER_RULES: Record<DisclosureProfile, ReaderRules> = {
  dfe: { largestHidden: 5, rounding: 1, secondary: true, smallestPercentDenominator: 10, smallestMedianValues: 6 },
  nhs: { largestHidden: 7, rounding: 5, secondary: false, smallestPercentDenominator: 1, smallestMedianValues: 8 },
};

/**
 * A published output with its exact figures: the counts it shows, the unpublished quantities
 * behind its percentages, and every relation a reader knows between them.
 */
export interface Publication {
  cells: Record<string, number>;
  /** Totals boards need (raised, closed, dissent): hidden only when no other cell would do. */
  totals: string[];
  latents: Record<string, number>;
  sums: ReaderView["sums"];
  atMost: ReaderView["atMost"];
  atLeast: ReaderView["atLeast"];
  percents: Array<{ key: string; numerator: string; denominator: string; exact: number | null; nullMeansZero: boolean }>;
  medians: Array<{ key: string; values: string; exact: number | null }>;
  /**
   * XmR charts of counts, shown with their mean, limits and flags (from the exact points): what they
   * imply of the points is read by the attacker (ChartView). As a last resort a chart's summary is
   * withheld (its key joins the withheld figures) where no cell can be hidden to protect a point.
   */
  charts?: ChartView[];
}

/** What suppression decided for one output, and the attacker's verdict on it. */
export interface DisclosureCheck {
  profile: DisclosureProfile;
  /** Counts in the output (cells that could be hidden). */
  cells: number;
  /** Hidden by the small-number rule. */
  primary: number;
  /** Hidden further, so that no hidden cell can be worked out. */
  secondary: number;
  /** Percentages and medians withheld. */
  withheld: number;
  /** True when the attacker can work out no hidden cell. */
  passed: boolean;
  /** Hidden cells the attacker could work out (empty when passed). */
  pinned: Pinned[];
  /** Time taken to choose the cells and check them, in milliseconds. */
  milliseconds: number;
}

export interface Suppression {
  hidden: Set<string>;
  /** Percentages and medians withheld, by key. */
  withheld: Set<string>;
  check: DisclosureCheck;
}

const small = (n: number, profile: DisclosureProfile) => n >= 1 && n <= READER_RULES[profile].largestHidden;

/** The rules a reader of an output holds: under nhs, a * is 1 to 7 unless the output says further cells were hidden. */
export function rulesFor(profile: DisclosureProfile, furtherHidden: boolean): ReaderRules {
  return furtherHidden ? { ...READER_RULES[profile], secondary: true } : READER_RULES[profile];
}

/** Whether cells beyond the small ones were hidden (secondary suppression never hides a small cell: those are hidden already). */
function hidesFurther(publication: Publication, hidden: Set<string>, profile: DisclosureProfile): boolean {
  return [...hidden].some((k) => !small(publication.cells[k]!, profile));
}

/** The nhs rule on one count. */
export function nhsCount(n: number): number | "*" {
  if (n >= 1 && n <= 7) return "*";
  return Math.round(n / 5) * 5;
}

/** Cells each latent quantity is bounded by (a numerator by its denominator's count, and so on). */
function basisOf(publication: Publication, key: string, seen = new Set<string>()): string[] {
  if (key in publication.cells) return [key];
  if (seen.has(key)) return [];
  seen.add(key);
  return publication.atMost.filter((a) => a.small === key).flatMap((a) => basisOf(publication, a.large, seen));
}

/** Which percentages and medians are withheld, given the hidden cells. */
function withheldFigures(publication: Publication, hidden: Set<string>, profile: DisclosureProfile): Set<string> {
  const value = (key: string) => publication.cells[key] ?? publication.latents[key]!;
  const concealed = (key: string) => basisOf(publication, key).some((c) => hidden.has(c)) || small(value(key), profile);
  const out = new Set<string>();
  for (const p of publication.percents) {
    if (p.exact === null) continue;
    if (concealed(p.numerator) || concealed(p.denominator)) out.add(p.key);
    else if (value(p.denominator) < READER_RULES[profile].smallestPercentDenominator) out.add(p.key);
  }
  for (const m of publication.medians) {
    if (m.exact === null) continue;
    if (concealed(m.values) || value(m.values) < READER_RULES[profile].smallestMedianValues) out.add(m.key);
  }
  return out;
}

/** A count as published, given the hidden cells. */
function shownCount(n: number, isHidden: boolean, profile: DisclosureProfile): Published {
  if (isHidden) return HIDDEN[profile];
  return profile === "nhs" ? nhsCount(n) : n;
}

/** A percentage as published: exact under dfe, from the rounded counts under nhs. */
function shownPercent(publication: Publication, p: Publication["percents"][number], withheld: Set<string>, profile: DisclosureProfile): Published {
  if (p.exact === null) return null;
  if (withheld.has(p.key)) return HIDDEN[profile];
  if (profile === "dfe") return p.exact;
  const value = (key: string) => publication.cells[key] ?? publication.latents[key]!;
  return percent(nhsCount(value(p.numerator)) as number, nhsCount(value(p.denominator)) as number);
}

/** What a reader sees of a publication: its shown counts and figures, and the relations. */
export function readerView(publication: Publication, suppression: Pick<Suppression, "hidden" | "withheld">, profile: DisclosureProfile): ReaderView {
  const cells: Record<string, Seen> = {};
  for (const [key, n] of Object.entries(publication.cells)) {
    const shown = shownCount(n, suppression.hidden.has(key), profile);
    cells[key] = typeof shown === "number" ? shown : "hidden";
  }
  return {
    rules: rulesFor(profile, hidesFurther(publication, suppression.hidden, profile)),
    cells,
    latents: Object.keys(publication.latents),
    sums: publication.sums,
    atMost: publication.atMost,
    atLeast: publication.atLeast,
    percents: publication.percents
      .filter((p) => !suppression.withheld.has(p.key))
      .map((p) => ({ key: p.key, numerator: p.numerator, denominator: p.denominator, nullMeansZero: p.nullMeansZero, shown: shownPercent(publication, p, suppression.withheld, profile) as number | null })),
    medians: publication.medians.filter((m) => !suppression.withheld.has(m.key)).map((m) => ({ key: m.key, values: m.values, shown: m.exact })),
    charts: (publication.charts ?? []).filter((c) => !suppression.withheld.has(c.key)),
    // The exact figures order the attacker's search (the publisher knows them); its verdict does not depend on them.
    hint: { ...publication.latents, ...publication.cells },
  };
}

/**
 * Primary suppression, then secondary until the attacker pins nothing: for the first hidden cell it
 * can work out, hide a shown, non-zero cell of a total (or chart) that cell belongs to: the smallest
 * that sets it free (or else the smallest), parts before a chart's summary, and that before the
 * totals boards need. Where nothing tied to the cell can be hidden, the relations of the hidden cells
 * tied to it are looked at next. A zero is never hidden.
 */
export function suppress(publication: Publication, profile: DisclosureProfile): Suppression {
  const started = performance.now();
  const hidden = new Set(Object.keys(publication.cells).filter((k) => small(publication.cells[k]!, profile)));
  const primary = hidden.size;
  const charts = new Set<string>();
  const run = () => {
    const withheld = withheldFigures(publication, hidden, profile);
    for (const c of charts) withheld.add(c);
    return { withheld, result: attack(readerView(publication, { hidden, withheld }, profile)) };
  };
  const pinnedOf = (r: ReturnType<typeof attack>) => [...r.pinned.map((p) => p.cell), ...r.undecided];
  let { withheld, result } = run();
  let stuck = false;
  // Under both profiles: what a reader assumes (READER_RULES) is not whether more may be hidden.
  while (pinnedOf(result).length && !stuck) {
    const target = pinnedOf(result)[0]!;
    const options = protections(publication, hidden, charts, target);
    if (options.length === 0) {
      stuck = true;
      break;
    }
    const apply = (o: Protection, on: boolean) => {
      const set = o.kind === "cell" ? hidden : charts;
      if (on) set.add(o.key);
      else set.delete(o.key);
    };
    let chosen = options[0]!;
    for (const option of options) {
      apply(option, true);
      const trial = run();
      apply(option, false);
      if (!pinnedOf(trial.result).includes(target)) {
        chosen = option;
        break;
      }
    }
    apply(chosen, true);
    ({ withheld, result } = run());
  }
  const pinned = [...result.pinned, ...result.undecided.map((cell) => ({ cell, value: Number.NaN }))];
  return {
    hidden,
    withheld,
    check: {
      profile,
      cells: Object.keys(publication.cells).length,
      primary,
      secondary: hidden.size - primary,
      withheld: withheld.size,
      passed: pinned.length === 0 && result.consistent,
      pinned,
      milliseconds: Math.round((performance.now() - started) * 10) / 10,
    },
  };
}

type Protection = { kind: "cell" | "chart"; key: string };

/**
 * What could protect a pinned cell, in the order tried: the relations it is in (each total with its
 * parts, each chart with its points) give shown non-zero parts, then the charts' summaries, then the
 * totals boards need; where they give nothing, the relations of the hidden cells tied to it, and so on.
 */
function protections(publication: Publication, hidden: Set<string>, withheldCharts: Set<string>, target: string): Protection[] {
  const totals = new Set(publication.totals);
  const relations = [
    ...publication.sums.map((s) => ({ chart: null as string | null, members: [s.total, ...s.parts] })),
    ...(publication.charts ?? []).map((c) => ({ chart: c.key, members: c.points })),
  ];
  const used = new Set<number>();
  let frontier = new Set([target]);
  const reached = new Set([target]);
  while (frontier.size) {
    const cells = new Set<string>();
    const charts: string[] = [];
    const next = new Set<string>();
    relations.forEach((r, i) => {
      if (used.has(i) || !r.members.some((k) => frontier.has(k))) return;
      used.add(i);
      if (r.chart && !withheldCharts.has(r.chart)) charts.push(r.chart);
      for (const k of r.members) {
        if (!(k in publication.cells)) continue;
        if (!hidden.has(k) && publication.cells[k]! > 0) cells.add(k);
        else if (hidden.has(k) && !reached.has(k)) {
          reached.add(k);
          next.add(k);
        }
      }
    });
    const order = (a: string, b: string) => publication.cells[a]! - publication.cells[b]! || a.localeCompare(b);
    const parts = [...cells].filter((k) => !totals.has(k)).sort(order);
    const boards = [...cells].filter((k) => totals.has(k)).sort(order);
    const options: Protection[] = [...parts.map((key) => ({ kind: "cell" as const, key })), ...charts.map((key) => ({ kind: "chart" as const, key })), ...boards.map((key) => ({ kind: "cell" as const, key }))];
    if (options.length) return options;
    frontier = next;
  }
  return [];
}

/** One chart of `spc`, exact or as published. */
interface ChartShape<V> {
  months: string[];
  values: V[];
  mean: number | Published;
  upperLimit: number | Published;
  lowerLimit: number | Published;
  specialCause: SpecialCause[] | Published;
}

/** The counts and relations of a board report (exact or as published: the shape is the same). */
interface ReportShape<V> {
  quarter: string;
  asOf: string;
  period: { end: string };
  spc?: Record<SpcMeasure, ChartShape<V | null>>;
  escalations: {
    raised: V; closed: V; resolved: V; withdrawn: V; openAtPeriodEnd: V; overdueAtAsOf: V; unresolvedAfterFinalStage: V;
    stageReached: Record<string, V>; byRaisingAgency: Record<string, V>; byReceivingAgency: Record<string, V>; themes: Record<string, V>;
    timescale: Array<{ stage: number; completed: V; withinLimit: V }>;
    recurringThemes: Array<{ count: V }>;
    totalLimit?: { closed: V; withinLimit: V; overdueAtAsOf: V } | null;
  };
  dissent: { count: V; escalated: V; byAgency: Record<string, V>; byDecision: Record<string, V>; byConferenceType: Record<string, V>; themes: Record<string, V> };
}

/** Keys of the derived figures and the quantities behind them (the same for every board report). */
const DERIVED = {
  percents: [
    { key: "e.resolvedAtLowestLevelPct", numerator: "e.resolvedAtLowestLevel", denominator: "e.resolved", nullMeansZero: true },
    { key: "e.learningWithinOneMonthPct", numerator: "e.learning.numerator", denominator: "e.learning.denominator", nullMeansZero: true },
    { key: "d.ratePer100Conferences", numerator: "d.count", denominator: "d.conferences", nullMeansZero: false },
    { key: "d.chairFollowUpWithinLimitPct", numerator: "d.chairFollowUp", denominator: "d.count", nullMeansZero: true },
  ],
  medians: [{ key: "e.medianWorkingDaysToClose", values: "e.resolved" }],
  latentBounds: [
    { small: "e.resolvedAtLowestLevel", large: "e.resolved" },
    { small: "e.learning.numerator", large: "e.learning.denominator" },
    { small: "e.learning.denominator", large: "e.resolved" },
    { small: "d.chairFollowUp", large: "d.count" },
  ],
};

/** A board report's cells and the relations a reader knows among them; `prefix` keeps a document's quarters apart. */
export function boardReportStructure<V>(report: ReportShape<V>, prefix = "") {
  const e = report.escalations;
  const d = report.dissent;
  const cells: Record<string, V> = {};
  const key = (k: string) => `${prefix}${k}`;
  const put = (name: string, map: Record<string, V>) => Object.keys(map).sort().map((k) => ((cells[key(`${name}.${k}`)] = map[k]!), key(`${name}.${k}`)));
  for (const k of ["raised", "closed", "resolved", "withdrawn", "openAtPeriodEnd", "overdueAtAsOf", "unresolvedAfterFinalStage"] as const) cells[key(`e.${k}`)] = e[k];
  const stages = put("e.stageReached", e.stageReached);
  const raising = put("e.byRaisingAgency", e.byRaisingAgency);
  const receiving = put("e.byReceivingAgency", e.byReceivingAgency);
  const themes = put("e.themes", e.themes);
  const atMost: ReaderView["atMost"] = [];
  e.timescale.forEach((t) => {
    cells[key(`e.timescale.${t.stage}.completed`)] = t.completed;
    cells[key(`e.timescale.${t.stage}.withinLimit`)] = t.withinLimit;
    atMost.push({ small: key(`e.timescale.${t.stage}.withinLimit`), large: key(`e.timescale.${t.stage}.completed`) });
  });
  const total = e.totalLimit;
  if (total) {
    // Closed under a total limit: some of the quarter's closures; within the limit, some of those.
    cells[key("e.totalLimit.closed")] = total.closed;
    cells[key("e.totalLimit.withinLimit")] = total.withinLimit;
    cells[key("e.totalLimit.overdueAtAsOf")] = total.overdueAtAsOf;
    atMost.push({ small: key("e.totalLimit.withinLimit"), large: key("e.totalLimit.closed") });
    atMost.push({ small: key("e.totalLimit.closed"), large: key("e.closed") });
  }
  const atLeast: Record<string, number> = {};
  e.recurringThemes.forEach((r, i) => {
    cells[key(`e.recurring.${i}`)] = r.count;
    atLeast[key(`e.recurring.${i}`)] = 3;
  });
  cells[key("d.count")] = d.count;
  cells[key("d.escalated")] = d.escalated;
  const byAgency = put("d.byAgency", d.byAgency);
  const byDecision = put("d.byDecision", d.byDecision);
  const byType = put("d.byConferenceType", d.byConferenceType);
  const dissentThemes = put("d.themes", d.themes);
  // Themes overlap (an escalation with two themes counts under each): each is at most the total, no sum.
  for (const t of themes) atMost.push({ small: t, large: key("e.raised") });
  for (const t of dissentThemes) atMost.push({ small: t, large: key("d.count") });
  atMost.push({ small: key("d.escalated"), large: key("d.count") });
  for (const b of DERIVED.latentBounds) atMost.push({ small: key(b.small), large: key(b.large) });
  const sums = [
    { total: key("e.raised"), parts: stages },
    { total: key("e.raised"), parts: raising },
    { total: key("e.raised"), parts: receiving },
    { total: key("e.closed"), parts: [key("e.resolved"), key("e.withdrawn")] },
    { total: key("d.count"), parts: byAgency },
    { total: key("d.count"), parts: byDecision },
    { total: key("d.count"), parts: byType },
  ].filter((s) => s.parts.length > 0);
  const spc = spcStructure(report, key, e.timescale.map((t) => t.stage));
  Object.assign(cells, spc.cells);
  return {
    cells,
    totals: [key("e.raised"), key("e.closed"), key("d.count")],
    sums: [...sums, ...spc.sums],
    atMost: [...atMost, ...spc.atMost],
    atLeast,
    latents: [...["e.resolvedAtLowestLevel", "e.learning.numerator", "e.learning.denominator", "d.chairFollowUp", "d.conferences"].map(key), ...spc.latents],
    percents: DERIVED.percents.map((p) => ({ ...p, key: key(p.key), numerator: key(p.numerator), denominator: key(p.denominator) })),
    medians: DERIVED.medians.map((m) => ({ key: key(m.key), values: key(m.values) })),
    spcPercents: spc.percents,
    charts: spc.charts,
  };
}

/** The series of `spc` whose points are counts (cells); the others are percentages of counts not published. */
export const SPC_COUNTS = ["raised", "overdueAtMonthEnd", "dissentCount"] as const satisfies readonly SpcMeasure[];
const SPC_PERCENTS = ["withinLimitPct", "resolvedAtLowestLevelPct", "chairFollowUpWithinLimitPct"] as const satisfies readonly SpcMeasure[];
const isCountSeries = (m: SpcMeasure): m is (typeof SPC_COUNTS)[number] => (SPC_COUNTS as readonly string[]).includes(m);

/** The key of a chart's point (a count cell, or a percentage) and of a percentage's parts. */
export const spcKey = (measure: SpcMeasure, month: string, part?: "numerator" | "denominator") =>
  measure === "chairFollowUpWithinLimitPct" && part === "denominator" ? `spc.dissentCount.${month}` : `spc.${measure}.${month}${part ? `.${part}` : ""}`;

/**
 * The cells and relations of `spc` (METRICS.md, "Statistical process control"): each month of the
 * count series is a cell; each month of a percentage series is a percentage of two counts not
 * published (chair follow-up's denominator is the month's dissent, a cell). A reader knows that the
 * quarter's months add up to its figures (raised, dissent, resolved and those at the lowest level,
 * stage completions and those within the limit, chair follow-ups), that overdue at the quarter's
 * last month end is among the escalations open then (and is overdue at the as-of date when that is
 * the quarter's last day), and what each chart of counts implies (ChartView).
 */
function spcStructure<V>(report: ReportShape<V>, key: (k: string) => string, stages: number[]) {
  const cells: Record<string, V> = {};
  const latents: string[] = [];
  const sums: Array<{ total: string; parts: string[] }> = [];
  const atMost: ReaderView["atMost"] = [];
  const percents: Array<{ key: string; numerator: string; denominator: string; nullMeansZero: boolean; value: V | null }> = [];
  const charts: ChartView[] = [];
  const spc = report.spc;
  if (!spc) return { cells, latents, sums, atMost, percents, charts };
  const months = spc.raised.months;
  const quarterMonths = months.filter((m) => quarterOf(`${m}-01`) === report.quarter);
  const k = (measure: SpcMeasure, month: string, part?: "numerator" | "denominator") => key(spcKey(measure, month, part));
  for (const measure of SPC_COUNTS) {
    const chart = spc[measure];
    chart.months.forEach((month, i) => (cells[k(measure, month)] = chart.values[i] as V));
    const shown = typeof chart.mean === "number" && typeof chart.upperLimit === "number" && typeof chart.lowerLimit === "number" && Array.isArray(chart.specialCause);
    if (shown) {
      charts.push({
        key: key(`spc.${measure}`),
        points: chart.months.filter((_, i) => chart.values[i] !== null).map((m) => k(measure, m)),
        mean: chart.mean as number,
        upperLimit: chart.upperLimit as number,
        lowerLimit: chart.lowerLimit as number,
        flags: (chart.specialCause as SpecialCause[]).map((f) => ({ point: k(measure, f.month), rule: f.rule, side: f.side })),
      });
    }
  }
  for (const measure of SPC_PERCENTS) {
    spc[measure].months.forEach((month, i) => {
      const numerator = k(measure, month, "numerator");
      const denominator = k(measure, month, "denominator");
      latents.push(numerator);
      if (!(denominator in cells)) latents.push(denominator);
      atMost.push({ small: numerator, large: denominator });
      percents.push({ key: k(measure, month), numerator, denominator, nullMeansZero: true, value: spc[measure].values[i] ?? null });
    });
  }
  const of = (measure: SpcMeasure, part?: "numerator" | "denominator") => quarterMonths.map((m) => k(measure, m, part));
  // The quarter's stage completions (and those within the limit) over its stages, and over its months.
  latents.push(key("e.timescale.completed"), key("e.timescale.withinLimit"));
  sums.push(
    { total: key("e.raised"), parts: of("raised") },
    { total: key("d.count"), parts: of("dissentCount") },
    { total: key("e.resolved"), parts: of("resolvedAtLowestLevelPct", "denominator") },
    { total: key("e.resolvedAtLowestLevel"), parts: of("resolvedAtLowestLevelPct", "numerator") },
    { total: key("d.chairFollowUp"), parts: of("chairFollowUpWithinLimitPct", "numerator") },
    { total: key("e.timescale.completed"), parts: stages.map((t) => key(`e.timescale.${t}.completed`)) },
    { total: key("e.timescale.completed"), parts: of("withinLimitPct", "denominator") },
    { total: key("e.timescale.withinLimit"), parts: stages.map((t) => key(`e.timescale.${t}.withinLimit`)) },
    { total: key("e.timescale.withinLimit"), parts: of("withinLimitPct", "numerator") },
  );
  const last = months.at(-1)!;
  atMost.push({ small: k("overdueAtMonthEnd", last), large: key("e.openAtPeriodEnd") });
  if (report.asOf === report.period.end) sums.push({ total: key("e.overdueAtAsOf"), parts: [k("overdueAtMonthEnd", last)] });
  return { cells, latents, sums: sums.filter((x) => x.parts.length > 0), atMost, percents, charts };
}

/** The exact values of the quantities `spc`'s structure names but does not publish. */
function spcLatents(report: BoardReport, series: MonthlySeries, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const measure of SPC_PERCENTS) {
    for (const m of series[measure]) {
      out[`${prefix}${spcKey(measure, m.month, "numerator")}`] = m.numerator;
      if (measure !== "chairFollowUpWithinLimitPct") out[`${prefix}${spcKey(measure, m.month, "denominator")}`] = m.denominator ?? 0;
    }
  }
  out[`${prefix}e.timescale.completed`] = report.escalations.timescale.reduce((n, t) => n + t.completed, 0);
  out[`${prefix}e.timescale.withinLimit`] = report.escalations.timescale.reduce((n, t) => n + t.withinLimit, 0);
  return out;
}

/**
 * A board report with its exact figures, as one publication (or a part of a document's). A report
 * with `spc` needs its monthly series (the counts behind each month's percentage).
 */
export function boardReportPublication(report: BoardReport, prefix = "", series?: MonthlySeries): Publication {
  if (report.spc && !series) throw new Error("A board report with spc is published with its monthly series (the counts behind its percentages).");
  const s = boardReportStructure(report, prefix);
  const f = report.fractions;
  const latents: Record<string, number> = {
    ...(series ? spcLatents(report, series, prefix) : {}),
    [`${prefix}e.resolvedAtLowestLevel`]: f.resolvedAtLowestLevel.numerator,
    [`${prefix}e.learning.numerator`]: f.learningWithinOneMonth.numerator,
    [`${prefix}e.learning.denominator`]: f.learningWithinOneMonth.denominator,
    [`${prefix}d.chairFollowUp`]: f.chairFollowUpWithinLimit.numerator,
    [`${prefix}d.conferences`]: f.ratePer100Conferences.denominator ?? 0,
  };
  const exact: Record<string, number | null> = {
    "e.resolvedAtLowestLevelPct": report.escalations.resolvedAtLowestLevelPct,
    "e.learningWithinOneMonthPct": report.escalations.learningWithinOneMonthPct,
    "d.ratePer100Conferences": report.dissent.ratePer100Conferences,
    "d.chairFollowUpWithinLimitPct": report.dissent.chairFollowUpWithinLimitPct,
    "e.medianWorkingDaysToClose": report.escalations.medianWorkingDaysToClose,
  };
  return {
    cells: s.cells,
    totals: s.totals,
    latents,
    sums: s.sums,
    atMost: s.atMost,
    atLeast: s.atLeast,
    percents: [
      ...s.percents.map((p) => ({ ...p, exact: exact[p.key.slice(prefix.length)]! })),
      ...s.spcPercents.map(({ value, ...p }) => ({ ...p, exact: value as number | null })),
    ],
    medians: s.medians.map((m) => ({ ...m, exact: exact[m.key.slice(prefix.length)]! })),
    charts: s.charts,
  };
}

/** Several publications shown together as one output (a document's quarters and sections). */
export function mergePublications(...parts: Publication[]): Publication {
  return {
    cells: Object.assign({}, ...parts.map((p) => p.cells)),
    totals: parts.flatMap((p) => p.totals),
    latents: Object.assign({}, ...parts.map((p) => p.latents)),
    sums: parts.flatMap((p) => p.sums),
    atMost: parts.flatMap((p) => p.atMost),
    atLeast: Object.assign({}, ...parts.map((p) => p.atLeast)),
    percents: parts.flatMap((p) => p.percents),
    medians: parts.flatMap((p) => p.medians),
    charts: parts.flatMap((p) => p.charts ?? []),
  };
}

/**
 * What a reader of a published board report (the JSON of `report board --published`) can set up for
 * the attacker: its cells as shown, and the relations every board report has.
 */
export function readPublishedBoardReport(published: PublishedBoardReport): ReaderView {
  const s = boardReportStructure(published as unknown as ReportShape<Published>);
  const profile = published.disclosure.profile;
  const further = published.disclosure.statement === disclosureStatement(profile, true);
  const cells: Record<string, Seen> = {};
  for (const [k, v] of Object.entries(s.cells)) cells[k] = typeof v === "number" ? v : "hidden";
  const shown: Record<string, Published> = {
    "e.resolvedAtLowestLevelPct": published.escalations.resolvedAtLowestLevelPct,
    "e.learningWithinOneMonthPct": published.escalations.learningWithinOneMonthPct,
    "d.ratePer100Conferences": published.dissent.ratePer100Conferences,
    "d.chairFollowUpWithinLimitPct": published.dissent.chairFollowUpWithinLimitPct,
    "e.medianWorkingDaysToClose": published.escalations.medianWorkingDaysToClose,
  };
  const visible = (v: Published): v is number | null => v === null || typeof v === "number";
  return {
    rules: rulesFor(profile, further),
    cells,
    latents: s.latents,
    sums: s.sums,
    atMost: s.atMost,
    atLeast: s.atLeast,
    percents: [
      ...s.percents.filter((p) => visible(shown[p.key]!)).map((p) => ({ ...p, shown: shown[p.key] as number | null })),
      ...s.spcPercents.filter((p) => visible(p.value)).map(({ value, ...p }) => ({ ...p, shown: value as number | null })),
    ],
    medians: s.medians.filter((m) => visible(shown[m.key]!)).map((m) => ({ ...m, shown: shown[m.key] as number | null })),
    charts: s.charts,
  };
}

/** A chart of `spc` as published: hidden months as c (or *); the summary withheld only where it would give a month away. */
export interface PublishedSpcChart {
  polarity: Polarity;
  months: string[];
  values: Published[];
  mean: number | "c" | "*" | null;
  upperLimit: number | "c" | "*" | null;
  lowerLimit: number | "c" | "*" | null;
  specialCause: SpecialCause[] | "c" | "*" | null;
  variation: Variation | "c" | "*" | null;
  target: number | null;
  assurance: Assurance | "c" | "*" | null;
}

export type PublishedSpc = Record<SpcMeasure, PublishedSpcChart>;

export type PublishedBoardReport = Omit<BoardReport, "escalations" | "dissent" | "fractions" | "spc"> & {
  spc?: PublishedSpc;
  disclosure: { profile: DisclosureProfile; statement: string; check: ReportCheck };
  escalations: { [K in Exclude<keyof BoardReport["escalations"], "totalLimit">]: PublishedShape<BoardReport["escalations"][K]> } & {
    totalLimit: { limitWorkingDays: number | null; closed: Published; withinLimit: Published; overdueAtAsOf: Published } | null;
  };
  dissent: { [K in keyof BoardReport["dissent"]]: PublishedShape<BoardReport["dissent"][K]> };
};
type PublishedShape<T> = T extends number | null
  ? Published
  : T extends Array<infer U>
    ? Array<{ [K in keyof U]: U[K] extends number ? Published : U[K] }>
    : T extends Record<string, number>
      ? Record<string, Published>
      : T;

/** The statement printed with a published output. */
export const DISCLOSURE_STATEMENT: Record<DisclosureProfile, string> = {
  dfe: "Published figures: counts from 1 to 5 are shown as c, with further cells hidden (never a zero) until no hidden count can be worked out from the others; a percentage or median is withheld when a count it is made of is hidden, when its denominator is under 10 (a median: fewer than 6 values), or when its numerator is from 1 to 5.",
  nhs: "Published figures: counts from 1 to 7 are shown as *, other counts are rounded to the nearest 5, and percentages are computed from the rounded counts; a percentage or median is withheld when a count it is made of is hidden.",
};

/** The statement of an output: under nhs it says so when further cells were hidden (the reader then reads a * as any count). */
export function disclosureStatement(profile: DisclosureProfile, furtherHidden: boolean): string {
  if (profile === "dfe" || !furtherHidden) return DISCLOSURE_STATEMENT[profile];
  return `${DISCLOSURE_STATEMENT.nhs} Further counts (never a zero) are shown as * too, where the others would let a reader work a hidden count out; each group of * tied by a total holds at least one count from 1 to 7.`;
}

/** A published output that fails the test: a reader could work out a hidden figure. Refused, never served. */
export class NotPublishableError extends InvalidRequestError {
  override name = "NotPublishableError";
}

/**
 * Refuses a published output the attacker can read a hidden figure from. `what` names it for the
 * reader ("The 2025-Q4 board report for North"); `exactly` says how to ask for exact figures instead.
 */
export function refuseUnlessPassed(check: DisclosureCheck, what: string, exactly = "ask for exact figures (not for publication)"): void {
  if (check.passed) return;
  const cells = check.pinned.length;
  throw new NotPublishableError(
    `${what} cannot be published: ` +
      (cells
        ? `a reader could work out ${cells === 1 ? "1 hidden figure" : `${cells} hidden figures`} from the others it shows, and hiding more cells did not prevent it. `
        : "its figures could not be checked against the disclosure rules. ") +
      `To see the figures, ${exactly}; to publish them, ask the warehouse's administrators to look at the report.`,
  );
}

/** The verdict on one report's own cells (within a document, the document's verdict on it). */
export type ReportCheck = Pick<DisclosureCheck, "cells" | "primary" | "secondary" | "withheld" | "passed">;

function ownCheck(
  publication: Publication,
  suppression: Suppression,
  profile: DisclosureProfile,
  prefix: string,
  structure: { cells: Record<string, unknown>; percents: Array<{ key: string }>; medians: Array<{ key: string }>; spcPercents: Array<{ key: string }>; charts: Array<{ key: string }> },
): ReportCheck {
  const keys = Object.keys(structure.cells);
  const primary = keys.filter((k) => small(publication.cells[k]!, profile)).length;
  const hidden = keys.filter((k) => suppression.hidden.has(k)).length;
  const figures = [...structure.percents, ...structure.medians, ...structure.spcPercents, ...structure.charts].filter((f) => f.key.startsWith(prefix) && suppression.withheld.has(f.key)).length;
  return { cells: keys.length, primary, secondary: hidden - primary, withheld: figures, passed: suppression.check.passed };
}

/** A board report as published from a suppression decided for it (alone, or within a document). */
export function publishedFromSuppression(report: BoardReport, publication: Publication, suppression: Suppression, profile: DisclosureProfile, prefix = ""): PublishedBoardReport {
  const e = report.escalations;
  const d = report.dissent;
  const count = (key: string): Published => shownCount(publication.cells[`${prefix}${key}`]!, suppression.hidden.has(`${prefix}${key}`), profile);
  const figure = (key: string): Published => {
    const p = publication.percents.find((x) => x.key === `${prefix}${key}`);
    if (p) return shownPercent(publication, p, suppression.withheld, profile);
    const m = publication.medians.find((x) => x.key === `${prefix}${key}`)!;
    return m.exact === null ? null : suppression.withheld.has(m.key) ? HIDDEN[profile] : m.exact;
  };
  const map = (name: string, source: Record<string, number>) => Object.fromEntries(Object.keys(source).map((k) => [k, count(`${name}.${k}`)]));
  return {
    partnership: report.partnership,
    partnerships: report.partnerships,
    quarter: report.quarter,
    asOf: report.asOf,
    period: report.period,
    disclosure: { profile, statement: disclosureStatement(profile, hidesFurther(publication, suppression.hidden, profile)), check: ownCheck(publication, suppression, profile, prefix, boardReportStructure(report, prefix)) },
    escalations: {
      raised: count("e.raised"),
      closed: count("e.closed"),
      resolved: count("e.resolved"),
      withdrawn: count("e.withdrawn"),
      openAtPeriodEnd: count("e.openAtPeriodEnd"),
      stageReached: map("e.stageReached", e.stageReached),
      resolvedAtLowestLevelPct: figure("e.resolvedAtLowestLevelPct"),
      medianWorkingDaysToClose: figure("e.medianWorkingDaysToClose"),
      timescale: e.timescale.map((t) => ({
        stage: t.stage,
        ...(t.limitWorkingDays !== undefined ? { limitWorkingDays: t.limitWorkingDays } : {}),
        ...(t.limitCalendarDays !== undefined ? { limitCalendarDays: t.limitCalendarDays } : {}),
        completed: count(`e.timescale.${t.stage}.completed`),
        withinLimit: count(`e.timescale.${t.stage}.withinLimit`),
        ...(t.limitsVary ? { limitsVary: true as const } : {}),
      })),
      overdueAtAsOf: count("e.overdueAtAsOf"),
      unresolvedAfterFinalStage: count("e.unresolvedAfterFinalStage"),
      byRaisingAgency: map("e.byRaisingAgency", e.byRaisingAgency),
      byReceivingAgency: map("e.byReceivingAgency", e.byReceivingAgency),
      themes: map("e.themes", e.themes),
      recurringThemes: e.recurringThemes.map((r, i) => ({ receivingAgency: r.receivingAgency, theme: r.theme, count: count(`e.recurring.${i}`) })),
      learningWithinOneMonthPct: figure("e.learningWithinOneMonthPct"),
      totalLimit:
        e.totalLimit === null
          ? null
          : {
              limitWorkingDays: e.totalLimit.limitWorkingDays,
              closed: count("e.totalLimit.closed"),
              withinLimit: count("e.totalLimit.withinLimit"),
              overdueAtAsOf: count("e.totalLimit.overdueAtAsOf"),
            },
    },
    dissent: {
      count: count("d.count"),
      byAgency: map("d.byAgency", d.byAgency),
      byDecision: map("d.byDecision", d.byDecision),
      byConferenceType: map("d.byConferenceType", d.byConferenceType),
      themes: map("d.themes", d.themes),
      ratePer100Conferences: figure("d.ratePer100Conferences"),
      chairFollowUpWithinLimitPct: figure("d.chairFollowUpWithinLimitPct"),
      escalated: count("d.escalated"),
    },
    ...(report.spc ? { spc: publishedSpc(report, suppression, profile, count, figure, prefix) } : {}),
  };
}

/**
 * `spc` as published: each month's count or percentage under the profile (hidden: c or *, as every
 * table shows it); the mean, limits, flags and icons from the exact values, unless suppression had
 * to withhold a chart's summary (then c or * too).
 */
function publishedSpc(report: BoardReport, suppression: Suppression, profile: DisclosureProfile, count: (key: string) => Published, figure: (key: string) => Published, prefix: string): PublishedSpc {
  return Object.fromEntries(
    SPC_MEASURES.map((measure) => {
      const chart = report.spc![measure];
      const withheld = suppression.withheld.has(`${prefix}spc.${measure}`);
      const summary = <T,>(value: T): T | "c" | "*" => (withheld ? HIDDEN[profile] : value);
      const out: PublishedSpcChart = {
        polarity: chart.polarity,
        months: chart.months,
        values: chart.months.map((month) => (isCountSeries(measure) ? count(spcKey(measure, month)) : figure(spcKey(measure, month)))),
        mean: summary(chart.mean),
        upperLimit: summary(chart.upperLimit),
        lowerLimit: summary(chart.lowerLimit),
        specialCause: summary(chart.specialCause),
        variation: summary(chart.variation),
        target: chart.target,
        assurance: summary(chart.assurance),
      };
      return [measure, out];
    }),
  ) as PublishedSpc;
}

/** Applies the partnership's profile to a board report on its own (the JSON of `report board --published`). */
export function publishBoardReport(report: BoardReport, profile: DisclosureProfile = "dfe", series?: MonthlySeries): PublishedBoardReport {
  const publication = boardReportPublication(report, "", series);
  return publishedFromSuppression(report, publication, suppress(publication, profile), profile);
}

/** A cell of a publication as printed under a suppression. */
export function publishedCount(publication: Publication, suppression: Pick<Suppression, "hidden">, profile: DisclosureProfile, key: string): Published {
  return shownCount(publication.cells[key]!, suppression.hidden.has(key), profile);
}

/** One count under a profile's primary rule (a count with no published total beside it). */
export function publishCount(n: number, profile: DisclosureProfile): Published {
  if (profile === "nhs") return nhsCount(n);
  return n >= 1 && n <= 5 ? "c" : n;
}
