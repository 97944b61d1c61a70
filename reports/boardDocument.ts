/**
 * The quarterly board report as a document model: cover, a plain-English summary written from the
 * figures (nothing the figures do not say), every METRICS.md section with its charts and tables,
 * data-quality caveats and the glossary. One model; HTML, PDF and Word are renderings of it.
 * Published (disclosure-controlled) unless exact figures are asked for; an exact document is marked
 * "not for publication" on every page.
 */
import type { Db } from "../db/client";
import { formatUkDate } from "../server/calendar/dates";
import { quarterLabel, quarterPeriod, type Quarter, type QuarterLabelling } from "../server/calendar/quarters";
import { getDataQuality } from "../server/metrics/dataQuality";
import { GLOSSARY } from "../server/metrics/glossary";
import { listPartnerships } from "../server/partnerships/list";
import { listAgencies } from "../server/reference/agencies";
import { listProcedureVersions, type ProcedureVersion } from "../server/reference/procedureVersions";
import { listThemes } from "../server/reference/themes";
import { getBoardReportRun, type BoardReport, type BoardReportRun } from "../server/metrics/boardReport";
import { getSpc, SPC_MEASURES, type MonthlySeries, type SpcMeasure } from "../server/metrics/monthlySeries";
import { quarterOf } from "../server/calendar/quarters";
import type { BoardReportRequest } from "./boardReport";
import { profileFor } from "./profile";
import { barChart, lineChart, xmrChartSvg } from "./charts";
import { assuranceWords, changeClause, monthShort, monthWords, POLARITY_WORDS, RULE_SHORT, SPC_IS_PERCENT, SPC_MEASURE_NAMES, variationWords, type ChartSummary } from "./spcText";
import { inForceText, isFirstVersion, limitVaries, stageLimitText, stagesText, theLimit, totalLimitText, VARIES_NOTE, versionsInForceOver } from "./procedureText";
import {
  boardReportPublication,
  mergePublications,
  publishedCount,
  publishedFromSuppression,
  refuseUnlessPassed,
  suppress,
  type DisclosureCheck,
  spcKey,
  type DisclosureProfile,
  type Publication,
  type Published,
  type PublishedBoardReport,
  type Suppression,
} from "./disclosure";
import { findingsSummary, RATINGS } from "../server/scrutiny/samples";

export type Cell = Published | string;

export type Block =
  | { kind: "paragraph"; text: string }
  | {
      kind: "table";
      caption: string;
      columns: string[];
      rows: Cell[][];
      /** Columns holding counts (checked by disclosure tests). */
      countColumns: number[];
      /** A footnote printed under the table (e.g. what "varies" means). */
      note?: string;
    }
  | { kind: "chart"; title: string; description: string; svg: string };

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}

/** What every document rendering (HTML, PDF, Word) needs: the board report and the evidence returns. */
export interface ReportDocument {
  title: string;
  /** Names shown under the title (partnerships, or an agency and its partnerships). */
  partnerships: string[];
  /** The (last) quarter covered. */
  quarter: Quarter;
  /** The period as the reader knows it (e.g. "2025-Q4", or "Q1 2025/26 to Q4 2025/26"). */
  quarterLabel: string;
  /** The dates covered, in words; defaults to the quarter's. */
  periodWords?: string;
  asOf: string;
  published: boolean;
  /** On every page of an exact document. */
  marking: string | null;
  disclosureStatement: string;
  summary: string[];
  sections: Section[];
  caveats: string[];
  glossary: Array<{ name: string; definition: string }>;
}

export interface BoardDocument extends ReportDocument {
  /** The figures the document shows, as `report board --format json` gives them. */
  figures: BoardReport | PublishedBoardReport;
  /** The trend chart's points, oldest quarter first, as printed. */
  trend: Array<{ quarter: Quarter; raised: Cell; closed: Cell }>;
  /** Disclosure control over the whole document (null for exact figures): cells hidden, and the attacker's verdict. */
  disclosure: DisclosureCheck | null;
  /**
   * Every procedure version of the partnerships when the document was made (oldest first within each):
   * what judged its escalations. Kept with an issued report, so that a version revised or removed later is named.
   */
  procedureVersions: ProcedureVersion[];
}

/**
 * Everything the document prints as a count, with what a reader knows between them: the quarter's
 * report (with its 24 months of `spc` when the run's report carries it: then `series` gives the
 * counts behind each month's percentage), the trend's earlier quarters (raised and closed, each the
 * sum of its months shown in the charts: raised as their sum, closed at least those resolved), the
 * scrutineer's findings by rating, and the counts its caveats print (rows rejected, escalations with
 * a skipped stage). Without `series` the report's quarterly figures alone are published.
 */
export function documentPublication(run: BoardReportRun, findings: { rated: number; byRating: Record<string, number> }, quality?: DocumentQuality, series?: MonthlySeries): Publication {
  const earlier: Publication = { cells: {}, totals: [], latents: {}, sums: [], atMost: [], atLeast: {}, percents: [], medians: [] };
  const report = series ? run.report : withoutSpc(run.report);
  const months = report.spc?.raised.months ?? [];
  for (const q of run.quarters.slice(0, -1)) {
    earlier.cells[`trend.${q.quarter}.raised`] = q.escalations.raised;
    earlier.cells[`trend.${q.quarter}.closed`] = q.escalations.closed;
    const own = months.filter((m) => quarterOf(`${m}-01`) === q.quarter);
    if (!series || own.length !== 3) continue;
    earlier.sums.push({ total: `trend.${q.quarter}.raised`, parts: own.map((m) => spcKey("raised", m)) });
    // Resolved in the quarter: the sum of its months' (the lowest-level percentages' denominators), among those closed.
    const resolved = `trend.${q.quarter}.resolved`;
    earlier.latents[resolved] = series.resolvedAtLowestLevelPct.filter((m) => own.includes(m.month)).reduce((n, m) => n + (m.denominator ?? 0), 0);
    earlier.sums.push({ total: resolved, parts: own.map((m) => spcKey("resolvedAtLowestLevelPct", m, "denominator")) });
    earlier.atMost.push({ small: resolved, large: `trend.${q.quarter}.closed` });
  }
  const scrutiny: Publication = {
    cells: { "scrutiny.rated": findings.rated, ...Object.fromEntries(RATINGS.map((r) => [`scrutiny.${r}`, findings.byRating[r] ?? 0])) },
    totals: ["scrutiny.rated"],
    latents: {},
    sums: findings.rated ? [{ total: "scrutiny.rated", parts: RATINGS.map((r) => `scrutiny.${r}`) }] : [],
    atMost: [],
    atLeast: {},
    percents: [],
    medians: [],
  };
  const caveats: Publication = { cells: {}, totals: [], latents: {}, sums: [], atMost: [], atLeast: {}, percents: [], medians: [] };
  if (quality) {
    caveats.cells["quality.rowsRejected"] = quality.rowsRejected;
    caveats.cells["quality.skippedStages"] = quality.skippedStages;
    // Escalations with a skipped stage are among those raised in the quarter, as today's records stand; a reader
    // knows that, so the attacker does too. (Read as of an earlier date the two may disagree: then the reader cannot rely on it.)
    if (quality.skippedStages <= run.report.escalations.raised) caveats.atMost.push({ small: "quality.skippedStages", large: "e.raised" });
  }
  return mergePublications(boardReportPublication(report, "", series), earlier, scrutiny, caveats);
}

/** A report without its charts (its quarterly figures alone). */
function withoutSpc(report: BoardReport): BoardReport {
  const { spc: _spc, ...rest } = report;
  return rest;
}

/** The data-quality counts a document's caveats print. */
export interface DocumentQuality {
  /** Uploaded rows rejected during the quarter (no other figure is made of them). */
  rowsRejected: number;
  /** Escalations raised in the quarter with a stage left without a date below a later dated stage. */
  skippedStages: number;
}

export const NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION: exact figures for the partnership's own use";

type Figures = BoardReport | PublishedBoardReport;
const isNumber = (v: Cell | undefined): v is number => typeof v === "number";

/** A published or exact value as the document prints it. */
export function show(value: Cell | undefined, unit: "count" | "percent" | "days" = "count"): string {
  if (value === null || value === undefined) return "none";
  if (value === "c" || value === "*") return value;
  if (typeof value === "string") return value;
  if (unit === "percent") return `${value.toLocaleString("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
  return value.toLocaleString("en-GB");
}

/**
 * A quarter's count beside the previous quarter's. It says only what the two figures are: whether the
 * measure rose or fell is for its chart to say (changeClause), never the difference of two quarters.
 */
function beside(now: Cell | undefined, before: Cell | undefined, noun: string, quarterLabel: string, previousLabel: string): string {
  if (!isNumber(now)) return `The number of ${noun} in ${quarterLabel} is too small to publish (shown as ${show(now)})`;
  if (!isNumber(before)) return `${show(now)} ${noun} in ${quarterLabel} (the number in ${previousLabel} is too small to publish)`;
  return `${show(now)} ${noun} in ${quarterLabel} (${show(before)} in ${previousLabel})`;
}

/** Figures with their charts as the summary reads them (published or exact). */
type ChartOf = (measure: SpcMeasure) => ChartSummary | null;

/** A sentence's ending: its chart's verdict when the document has charts. */
const withChart = (sentence: string, chart: ChartSummary | null, what: string) => (chart ? `${sentence}; ${changeClause(chart, what)}.` : `${sentence}.`);

/**
 * The summary: sentences built only from figures the document prints. A measure "rose" or "fell"
 * only where its chart shows special cause; otherwise the chart shows no significant change, and a
 * comparison with the previous quarter gives the two figures without calling it a change.
 */
function summarise(now: Figures, before: { quarter: Quarter; escalations: { raised: Cell; closed: Cell } }, label: (q: Quarter) => string, agencyName: (c: string) => string, themeLabel: (c: string) => string, chartOf: ChartOf): string[] {
  const e = now.escalations;
  const d = now.dissent;
  const previous = label(before.quarter);
  const q = label(now.quarter);
  const lines = [
    withChart(beside(e.raised, before.escalations.raised, "escalations were raised", q, previous), chartOf("raised"), "the number raised"),
    `${beside(e.closed, before.escalations.closed, "escalations were closed", q, previous)}.`,
  ];
  if (isNumber(e.resolvedAtLowestLevelPct)) lines.push(withChart(`${show(e.resolvedAtLowestLevelPct, "percent")} of the escalations resolved in the quarter were resolved at stage 1 or 2`, chartOf("resolvedAtLowestLevelPct"), "the share resolved at stage 1 or 2"));
  else if (chartOf("resolvedAtLowestLevelPct")) lines.push(`Escalations resolved at stage 1 or 2: ${changeClause(chartOf("resolvedAtLowestLevelPct")!, "their share")}.`);
  const late = e.timescale.filter((t) => isNumber(t.completed) && isNumber(t.withinLimit) && t.withinLimit < t.completed);
  for (const t of late) {
    // In the stage's own unit; where the versions set no single limit, each completion against its own version's.
    const limit = theLimit(t);
    lines.push(
      `Stage ${t.stage}: ${show(t.withinLimit)} of ${show(t.completed)} stage completions came within ` +
        (limit ? `${limit}.` : "their limits (which varied: each was judged by the procedure version in force on its escalation's concern date)."),
    );
  }
  if (e.timescale.some((t) => !isNumber(t.completed) || !isNumber(t.withinLimit))) lines.push("Some stages' timescale counts are too small to publish.");
  if (chartOf("withinLimitPct")) lines.push(`Stage completions within their limit (every stage): ${changeClause(chartOf("withinLimitPct")!, "their share")}.`);
  lines.push(
    withChart(
      `On ${formatUkDate(now.asOf)}, ${show(e.overdueAtAsOf)} escalations were overdue and ${show(e.unresolvedAfterFinalStage)} were still open after the final stage`,
      chartOf("overdueAtMonthEnd"),
      "the number overdue at the month's end",
    ),
  );
  const total = e.totalLimit;
  if (total) {
    const limit = total.limitWorkingDays === null ? "the total limit of their procedure version" : `the total limit of ${total.limitWorkingDays} working days`;
    lines.push(
      `Of the escalations closed in the quarter under a total limit, ${show(total.withinLimit)} of ${show(total.closed)} were closed within ${limit}; ` +
        `on ${formatUkDate(now.asOf)}, ${show(total.overdueAtAsOf)} open escalations had passed theirs.`,
    );
  }
  if (e.recurringThemes.length) {
    const pairs = e.recurringThemes.slice(0, 3).map((r) => `${agencyName(r.receivingAgency)} on "${themeLabel(r.theme)}" (${show(r.count)})`);
    lines.push(`Recurring themes in the year to ${label(now.quarter)}: ${pairs.join("; ")}${e.recurringThemes.length > 3 ? `, and ${e.recurringThemes.length - 3} more` : ""}.`);
  } else lines.push(`No agency received 3 or more escalations on one theme in the year to ${label(now.quarter)}.`);
  lines.push(
    withChart(
      `${show(d.count)} professionals dissented from a conference decision` +
        (isNumber(d.ratePer100Conferences) ? ` (${show(d.ratePer100Conferences)} per 100 conferences)` : "") +
        (isNumber(d.chairFollowUpWithinLimitPct) ? `; the chair followed up ${show(d.chairFollowUpWithinLimitPct, "percent")} within the limit` : "") +
        `; ${show(d.escalated)} became escalations`,
      chartOf("dissentCount"),
      "the number of dissents",
    ),
  );
  if (chartOf("chairFollowUpWithinLimitPct")) lines.push(`The chair's follow-up within the limit: ${changeClause(chartOf("chairFollowUpWithinLimitPct")!, "its share")}.`);
  return lines;
}

/** The charts' summaries as printed (published or exact), by measure. */
function chartsOf(figures: Figures): ChartOf {
  return (measure) => {
    const chart = figures.spc?.[measure];
    if (!chart) return null;
    return {
      months: chart.months.filter((_, i) => chart.values[i] !== null),
      mean: chart.mean,
      variation: chart.variation,
      target: chart.target,
      assurance: chart.assurance,
      polarity: chart.polarity,
      specialCause: chart.specialCause,
    };
  };
}

const decimals = (v: unknown) => (typeof v === "number" ? v.toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : v === null || v === undefined ? "none" : String(v));

/**
 * The "Signal or noise" section: one row per measure (latest value, mean, limits, variation and
 * assurance in words), then each measure's XmR chart with its data table. Months hidden by
 * disclosure control are left out of the charts and shown as c (or *) in the tables; the mean,
 * limits and signals are the exact figures', unless suppression withheld a chart's summary.
 */
function signalOrNoise(figures: Figures, q: string, published: boolean): Section | null {
  const spc = figures.spc;
  if (!spc) return null;
  const end = spc.raised.months.at(-1)!;
  const valueOf = (measure: SpcMeasure, v: Cell): Cell => (SPC_IS_PERCENT[measure] && typeof v === "number" ? show(v, "percent") : v);
  const chartSummary = chartsOf(figures);
  const blocks: Block[] = [
    {
      kind: "paragraph",
      text:
        `Each measure month by month over the 24 months to ${monthWords(end)} (the quarter ${q} is the last three), as an XmR chart as NHS England's "Making Data Count" reads it: ` +
        "the mean, and process limits at the mean plus or minus 2.66 times the mean moving range. A point outside the limits, two of three points beyond the 2σ line, 7 or more points on one side of the mean, " +
        "or 7 or more points each rising or falling, is special cause variation: a signal worth looking into. Anything else is common cause variation: noise, which a change from one quarter to the next does not override." +
        (published ? " Months too small to publish are shown as c (or *) and left out of the charts; the mean, limits and signals are worked from the exact figures." : ""),
    },
    {
      kind: "table",
      caption: `Signal or noise: each measure's latest month, mean, limits, variation and assurance (24 months to ${monthWords(end)})`,
      columns: ["Measure", "Latest month", "Mean", "Lower limit", "Upper limit", "Variation", "Assurance"],
      rows: SPC_MEASURES.map((measure) => {
        const chart = spc[measure];
        const latest = chart.months.map((m, i) => ({ m, v: chart.values[i] as Cell })).filter((p) => p.v !== null).at(-1);
        return [
          SPC_MEASURE_NAMES[measure],
          latest ? `${monthShort(latest.m)}: ${show(valueOf(measure, latest.v))}` : "none",
          decimals(chart.mean),
          decimals(chart.lowerLimit),
          decimals(chart.upperLimit),
          variationWords(chartSummary(measure)!),
          assuranceWords(chartSummary(measure)!),
        ];
      }),
      countColumns: [],
      note: "Latest month: the last month with a value. Variation describes that month; assurance compares the limits with the partnership's target.",
    },
  ];
  for (const measure of SPC_MEASURES) {
    const chart = spc[measure];
    const summary = chartSummary(measure)!;
    const flags = Array.isArray(chart.specialCause) ? chart.specialCause : [];
    const meaning = (side: "high" | "low") =>
      chart.polarity === "neutral" ? ("neither" as const) : (chart.polarity === "higher_is_better") === (side === "high") ? ("improvement" as const) : ("concern" as const);
    const number = (v: unknown) => (typeof v === "number" ? v : null);
    const name = SPC_MEASURE_NAMES[measure];
    const words = `${variationWords(summary)}. ${assuranceWords(summary)}.`;
    blocks.push(
      {
        kind: "chart",
        title: `${name}: XmR chart, 24 months to ${monthWords(end)}`,
        description:
          `${name} each month (${SPC_IS_PERCENT[measure] ? "a percentage" : "a count"}; ${POLARITY_WORDS[chart.polarity]}), with the mean (solid line) and the process limits (dashed lines)` +
          (typeof chart.mean === "number" ? `: mean ${decimals(chart.mean)}, limits ${decimals(chart.lowerLimit)} to ${decimals(chart.upperLimit)}.` : ".") +
          (flags.length ? " Flagged points are drawn larger: a diamond outside the limits, a triangle two of three beyond the 2σ line, a square a shift, a star a trend; blue an improvement, orange a concern, purple neither." : "") +
          ` ${words}` +
          (chart.values.some((v) => v === "c" || v === "*") ? " Months too small to publish are left out of the chart." : "") +
          " The table below gives every month.",
        svg: xmrChartSvg({
          points: chart.months.map((m, i) => ({ x: monthShort(m), y: number(chart.values[i]) })),
          mean: number(chart.mean),
          upperLimit: number(chart.upperLimit),
          lowerLimit: number(chart.lowerLimit),
          flags: flags.map((f) => ({ x: monthShort(f.month), rule: f.rule, meaning: meaning(f.side) })),
          yLabel: SPC_IS_PERCENT[measure] ? "Per cent" : "Number",
          description: `XmR chart of ${name.toLowerCase()} by month. ${words}`,
          percent: SPC_IS_PERCENT[measure],
          width: 660,
        }),
      },
      {
        kind: "table",
        caption: `${name} by month, with the rules that flag each month`,
        columns: ["Month", SPC_IS_PERCENT[measure] ? "Value" : "Number", "Special cause"],
        rows: chart.months.map((m, i) => [
          monthShort(m),
          valueOf(measure, chart.values[i] as Cell),
          flags.filter((f) => f.month === m).map((f) => `${RULE_SHORT[f.rule]} (${f.side})`).join("; ") || (typeof chart.specialCause === "string" ? chart.specialCause : ""),
        ]),
        countColumns: SPC_IS_PERCENT[measure] ? [] : [1],
      },
    );
  }
  return { id: "signal-or-noise", title: "Signal or noise", blocks };
}

export interface BoardDocumentRequest extends BoardReportRequest {
  /** Quarters in the trend chart (this one and those before it). */
  trendQuarters?: number;
}

/**
 * The board document: exact, or as published. A published document the attacker can read a hidden
 * figure from is refused (NotPublishableError), never served (download, CLI, page).
 */
export async function getBoardDocument(db: Db, request: BoardDocumentRequest): Promise<BoardDocument> {
  const document = await readBoardDocument(db, request);
  if (document.disclosure) refuseUnlessPassed(document.disclosure, `The ${document.quarterLabel} board report for ${document.partnerships.join(", ")}`);
  return document;
}

/** What a board document shows, read once: its run of quarters, its charts' series, the publication and how it was suppressed. */
export interface DocumentFigures {
  run: BoardReportRun;
  /** The monthly series behind `spc` (null when the request left the charts out). */
  series: MonthlySeries | null;
  profile: DisclosureProfile | null;
  findings: Awaited<ReturnType<typeof findingsSummary>>;
  quality: Awaited<ReturnType<typeof getDataQuality>>;
  publication: Publication;
  suppression: Suppression | null;
  /** The report's figures as the document prints them (the JSON of `report board --published` when published). */
  figures: BoardReport | PublishedBoardReport;
}

/**
 * The figures of a board document, exact or published: one suppression over everything it prints.
 * `report board --published` gives these same figures, so that the JSON and the document never
 * differ in what they hide (the charts' months tie the report to the trend's quarters).
 */
export async function readDocumentFigures(db: Db, request: BoardDocumentRequest): Promise<DocumentFigures> {
  const published = request.published ?? true;
  const trendQuarters = Math.max(1, request.trendQuarters ?? 4);
  // One reading of every measure over the run (the previous quarter at least, for the summary's comparison),
  // and the charts' monthly series with the counts behind them (what disclosure control needs).
  const [run, spc] = await Promise.all([
    getBoardReportRun(db, { ...request, spc: false, quarters: Math.max(trendQuarters, 2) }),
    request.spc === false ? null : getSpc(db, { partnerships: request.partnerships, quarter: request.quarter, asOf: request.asOf }),
  ]);
  if (spc) {
    const { fractions, ...rest } = run.report;
    run.report = { ...rest, spc: spc.spc, fractions };
  }
  const profile = published ? (request.profile ?? (await profileFor(db, run.report.partnerships))) : null;
  // The scrutineer's findings recorded by the as-of date on samples of these partnerships.
  const findings = await findingsSummary(db, run.report.partnerships, run.report.asOf);
  // One publication for the whole document: every table and chart is suppressed together and checked by the attacker.
  // The caveats' counts are printed too: read them first, so that they are suppressed with everything else.
  const quality = await getDataQuality(db, { partnerships: run.report.partnerships, from: run.report.quarter, to: run.report.quarter });
  const publication = documentPublication(
    run,
    findings,
    { rowsRejected: quality.rows.reduce((n, r) => n + r.rowsRejected, 0), skippedStages: quality.rows.reduce((n, r) => n + r.skippedStageRows, 0) },
    spc?.series,
  );
  const suppression = profile ? suppress(publication, profile) : null;
  const figures = suppression && profile ? publishedFromSuppression(run.report, publication, suppression, profile) : run.report;
  return { run, series: spc?.series ?? null, profile, findings, quality, publication, suppression, figures };
}

/** The board document with its verdict, failing or not: for issuing (which refuses in its own words) and the reports page's check. */
export async function readBoardDocument(db: Db, request: BoardDocumentRequest): Promise<BoardDocument> {
  const published = request.published ?? true;
  const trendQuarters = Math.max(1, request.trendQuarters ?? 4);
  const { run, profile, findings, quality, publication, suppression, figures } = await readDocumentFigures(db, request);
  const count = (key: string): Cell => (suppression && profile ? publishedCount(publication, suppression, profile, key) : publication.cells[key]!);
  const quarterly: Array<{ quarter: Quarter; escalations: { raised: Cell; closed: Cell } }> = run.quarters.map((q, i) =>
    i === run.quarters.length - 1 ? figures : { quarter: q.quarter, escalations: { raised: count(`trend.${q.quarter}.raised`), closed: count(`trend.${q.quarter}.closed`) } },
  );
  const trend = quarterly.slice(-trendQuarters);
  const before = quarterly.at(-2)!;
  const [allPartnerships, agencies, themes, versions] = await Promise.all([listPartnerships(db), listAgencies(db), listThemes(db), listProcedureVersions(db, run.report.partnerships)]);
  const labelling: QuarterLabelling = allPartnerships.find((p) => p.code === figures.partnerships[0])?.quarterLabels ?? "calendar";
  const label = (q: Quarter) => quarterLabel(q, labelling);
  const agencyName = (code: string) => agencies.find((a) => a.code === code)?.name ?? code;
  const themeLabel = (code: string) => themes.find((t) => t.code === code)?.label ?? code;
  const names = figures.partnerships.map((code) => allPartnerships.find((p) => p.code === code)?.name ?? code);
  const e = figures.escalations;
  const d = figures.dissent;
  const q = label(figures.quarter);
  const byCount = (map: Record<string, Cell>) => Object.entries(map).sort(([a], [b]) => a.localeCompare(b));
  const numeric = (v: Cell) => (isNumber(v) ? v : null);
  const period = quarterPeriod(figures.quarter);
  const inForce = versionsInForceOver(versions, period.start, period.end);
  const several = figures.partnerships.length > 1;
  const partnershipName = (code: string) => allPartnerships.find((p) => p.code === code)?.name ?? code;
  const varies = e.timescale.some((t) => limitVaries(t));

  const sections: Section[] = [
    {
      id: "escalations",
      title: "Escalations",
      blocks: [
        {
          kind: "table",
          caption: `Escalations in ${q}`,
          columns: ["Figure", "Number"],
          rows: [
            ["Raised", e.raised],
            ["Closed", e.closed],
            ["Resolved", e.resolved],
            ["Withdrawn", e.withdrawn],
            ["Open at the end of the quarter", e.openAtPeriodEnd],
            [`Overdue on ${formatUkDate(figures.asOf)}`, e.overdueAtAsOf],
            [`Open after the final stage on ${formatUkDate(figures.asOf)}`, e.unresolvedAfterFinalStage],
          ],
          countColumns: [1],
        },
        {
          kind: "table",
          caption: "Resolution",
          columns: ["Figure", "Value"],
          rows: [
            ["Resolved at the lowest level (stage 1 or 2)", show(e.resolvedAtLowestLevelPct, "percent")],
            ["Median working days from the concern to resolution", show(e.medianWorkingDaysToClose)],
            ["Learning from final-stage resolutions shared within the limit", show(e.learningWithinOneMonthPct, "percent")],
          ],
          countColumns: [],
        },
        {
          kind: "chart",
          title: "Escalations raised and closed, by quarter",
          description: `Line chart: escalations raised and closed in each of the ${trend.length} quarters to ${q}. Counts too small to publish are left out.`,
          svg: lineChart({
            series: [
              { name: "Raised", points: trend.map((t) => ({ x: label(t.quarter), y: numeric(t.escalations.raised) })) },
              { name: "Closed", points: trend.map((t) => ({ x: label(t.quarter), y: numeric(t.escalations.closed) })) },
            ],
            yLabel: "Escalations",
            description: "Escalations raised and closed by quarter",
            width: 640,
          }),
        },
        {
          kind: "table",
          caption: `Escalations raised in ${q} by stage reached`,
          columns: ["Stage reached", "Escalations"],
          rows: byCount(e.stageReached).map(([k, v]) => [`Stage ${k}`, v]),
          countColumns: [1],
        },
        {
          kind: "chart",
          title: `Stage reached, ${q}`,
          description: "Bar chart: escalations raised in the quarter by stage reached. Counts too small to publish are left out.",
          svg: barChart({
            bars: byCount(e.stageReached).filter(([, v]) => isNumber(v)).map(([k, v]) => ({ label: `Stage ${k}`, value: v as number })),
            xLabel: "Escalations",
            description: "Escalations by stage reached",
            width: 640,
          }),
        },
        {
          kind: "table",
          caption: `Procedure versions in force during ${q}`,
          columns: ["Version", "In force", "Stages and their limits", "Total limit"],
          rows: inForce.map((v) => [
            several ? `${partnershipName(v.partnershipCode)}: ${v.name}` : v.name,
            inForceText(v, isFirstVersion(versions, v)),
            stagesText(v),
            totalLimitText(v.totalLimitWorkingDays),
          ]),
          countColumns: [],
          note:
            inForce.length > 1
              ? "Each escalation is judged by the version in force on the day its concern arose: its stages, each stage's limit and unit, and any total limit."
              : undefined,
        },
        {
          kind: "table",
          caption: `Timescale adherence: stage completions in ${q} within the stage's limit`,
          columns: ["Stage", "Limit", "Completed", "Within the limit"],
          rows: e.timescale.map((t) => [`Stage ${t.stage}`, stageLimitText(t), t.completed, t.withinLimit]),
          countColumns: [2, 3],
          note: varies ? VARIES_NOTE : undefined,
        },
        ...(e.totalLimit
          ? [
              {
                kind: "table" as const,
                caption:
                  e.totalLimit.limitWorkingDays === null
                    ? `Total limit: escalations closed in ${q} under their procedure version's total limit`
                    : `Total limit: escalations to be closed within ${e.totalLimit.limitWorkingDays} working days of the concern`,
                columns: ["Figure", "Escalations"],
                rows: [
                  [`Closed in ${q} under a total limit`, e.totalLimit.closed],
                  ["Closed within the total limit", e.totalLimit.withinLimit],
                  [`Open and past the total limit on ${formatUkDate(figures.asOf)}`, e.totalLimit.overdueAtAsOf],
                ],
                countColumns: [1],
                note: "Only escalations whose own procedure version sets a total limit are counted, each against that version's limit, in working days from the concern.",
              },
            ]
          : []),
      ],
    },
    {
      id: "agencies",
      title: "Agencies",
      blocks: [
        {
          kind: "table",
          caption: `Escalations raised in ${q} by agency`,
          columns: ["Agency", "Raised by the agency", "Raised with the agency"],
          rows: [...new Set([...Object.keys(e.byRaisingAgency), ...Object.keys(e.byReceivingAgency)])]
            .sort()
            .map((code) => [`${agencyName(code)} (${code})`, e.byRaisingAgency[code] ?? 0, e.byReceivingAgency[code] ?? 0]),
          countColumns: [1, 2],
        },
      ],
    },
    {
      id: "themes",
      title: "Themes",
      blocks: [
        {
          kind: "table",
          caption: `Escalations raised in ${q} by theme (an escalation with two themes counts under each)`,
          columns: ["Theme", "Escalations"],
          rows: byCount(e.themes).map(([k, v]) => [themeLabel(k), v]),
          countColumns: [1],
        },
        e.recurringThemes.length
          ? {
              kind: "table",
              caption: `Recurring themes: an agency receiving 3 or more escalations on one theme in the year to ${q}`,
              columns: ["Receiving agency", "Theme", "Escalations"],
              rows: e.recurringThemes.map((r) => [agencyName(r.receivingAgency), themeLabel(r.theme), r.count]),
              countColumns: [2],
            }
          : { kind: "paragraph", text: `No agency received 3 or more escalations on one theme in the year to ${q}.` },
      ],
    },
    {
      id: "dissent",
      title: "Conference dissent",
      blocks: [
        {
          kind: "table",
          caption: `Dissent from child protection conference decisions in ${q}`,
          columns: ["Figure", "Value"],
          rows: [
            ["Dissents", show(d.count)],
            ["Per 100 initial and review conferences", show(d.ratePer100Conferences)],
            ["Chair's follow-up within the limit", show(d.chairFollowUpWithinLimitPct, "percent")],
            ["Became escalations", show(d.escalated)],
          ],
          countColumns: [],
        },
        { kind: "table", caption: `Dissent in ${q} by decision`, columns: ["Decision", "Dissents"], rows: byCount(d.byDecision).map(([k, v]) => [k.replaceAll("_", " "), v]), countColumns: [1] },
        { kind: "table", caption: `Dissent in ${q} by dissenting agency`, columns: ["Agency", "Dissents"], rows: byCount(d.byAgency).map(([k, v]) => [agencyName(k), v]), countColumns: [1] },
        { kind: "table", caption: `Dissent in ${q} by conference type`, columns: ["Conference", "Dissents"], rows: byCount(d.byConferenceType).map(([k, v]) => [k.replaceAll("_", " "), v]), countColumns: [1] },
      ],
    },
  ];

  const signals = signalOrNoise(figures, q, published);
  if (signals) sections.push(signals);

  const protect = (key: string): Cell => count(key);
  sections.push({
    id: "scrutiny",
    title: "Scrutineer's audit",
    blocks:
      findings.rated === 0
        ? [{ kind: "paragraph", text: `No finding from a scrutiny sample of these records had been recorded by ${formatUkDate(figures.asOf)}.` }]
        : [
            { kind: "paragraph", text: `The scrutineer rated ${show(protect("scrutiny.rated"))} sampled escalation records from ${findings.samples} samples by ${formatUkDate(figures.asOf)}.` },
            {
              kind: "table",
              caption: "Findings on sampled records, by rating",
              columns: ["Rating", "Records"],
              rows: RATINGS.map((r) => [r.replaceAll("_", " "), protect(`scrutiny.${r}`)]),
              countColumns: [1],
            },
          ],
  });

  const silent = quality.rows.filter((r) => r.monthsWithNoUpload.length === 3).map((r) => agencyName(r.agency));
  // Counts of rows and escalations, under the same disclosure control as the tables (agencies are named, not counted people).
  const rejected = count("quality.rowsRejected");
  const skipped = count("quality.skippedStages");
  const caveats = [
    `Figures describe the records as they stood on ${formatUkDate(figures.asOf)}; corrections uploaded later change them.`,
    silent.length ? `${silent.length} of ${quality.agencies.length} agencies uploaded nothing during ${q}: ${silent.join(", ")}.` : `Every agency uploaded during ${q}.`,
    isNumber(rejected)
      ? `${show(rejected)} uploaded rows were rejected during ${q} and are not counted until corrected.`
      : `Some uploaded rows were rejected during ${q} (too few to publish: shown as ${show(rejected)}) and are not counted until corrected.`,
    isNumber(skipped)
      ? `${show(skipped)} escalations raised in ${q} have a stage left without a date below a later dated stage.`
      : `Some escalations raised in ${q} (too few to publish: shown as ${show(skipped)}) have a stage left without a date below a later dated stage.`,
  ];
  const statement = "disclosure" in figures ? figures.disclosure.statement : "Exact figures: small numbers are not hidden. Do not publish this document.";
  return {
    title: `Resolving professional differences: quarterly report, ${q}`,
    partnerships: names,
    quarter: figures.quarter,
    quarterLabel: q,
    asOf: figures.asOf,
    published,
    marking: published ? null : NOT_FOR_PUBLICATION,
    disclosureStatement: statement,
    summary: summarise(figures, before, label, agencyName, themeLabel, chartsOf(figures)),
    sections,
    caveats,
    glossary: GLOSSARY.map((g) => ({ name: g.name, definition: g.definition })),
    figures,
    trend: trend.map((t) => ({ quarter: t.quarter, raised: t.escalations.raised, closed: t.escalations.closed })),
    disclosure: suppression?.check ?? null,
    procedureVersions: versions,
  };
}

export const periodText = (doc: ReportDocument) => {
  if (doc.periodWords) return doc.periodWords;
  const { start, end } = quarterPeriod(doc.quarter);
  return `${formatUkDate(start)} to ${formatUkDate(end)}`;
};
