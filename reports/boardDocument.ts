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
import type { BoardReportRequest } from "./boardReport";
import { profileFor } from "./profile";
import { barChart, lineChart } from "./charts";
import { inForceText, isFirstVersion, limitVaries, stageLimitText, stagesText, theLimit, totalLimitText, VARIES_NOTE, versionsInForceOver } from "./procedureText";
import {
  boardReportPublication,
  mergePublications,
  publishedCount,
  publishedFromSuppression,
  refuseUnlessPassed,
  suppress,
  type DisclosureCheck,
  type Publication,
  type Published,
  type PublishedBoardReport,
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
 * report, the trend's earlier quarters (raised and closed), the scrutineer's findings by rating, and
 * the counts its caveats print (rows rejected, escalations with a skipped stage).
 */
export function documentPublication(run: BoardReportRun, findings: { rated: number; byRating: Record<string, number> }, quality?: DocumentQuality): Publication {
  const earlier: Publication = { cells: {}, totals: [], latents: {}, sums: [], atMost: [], atLeast: {}, percents: [], medians: [] };
  for (const q of run.quarters.slice(0, -1)) {
    earlier.cells[`trend.${q.quarter}.raised`] = q.escalations.raised;
    earlier.cells[`trend.${q.quarter}.closed`] = q.escalations.closed;
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
  return mergePublications(boardReportPublication(run.report), earlier, scrutiny, caveats);
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

function change(now: Cell | undefined, before: Cell | undefined, noun: string, previousLabel: string): string {
  if (!isNumber(now)) return `The number of ${noun} is too small to publish (shown as ${show(now)}).`;
  if (!isNumber(before)) return `${show(now)} ${noun}; the previous quarter's number is too small to publish.`;
  const diff = now - before;
  if (diff === 0) return `${show(now)} ${noun}, the same as in ${previousLabel}.`;
  return `${show(now)} ${noun}, ${diff > 0 ? "up" : "down"} ${Math.abs(diff).toLocaleString("en-GB")} on ${previousLabel} (${show(before)}).`;
}

/** The summary: sentences built only from figures the document prints. */
function summarise(now: Figures, before: { quarter: Quarter; escalations: { raised: Cell; closed: Cell } }, label: (q: Quarter) => string, agencyName: (c: string) => string, themeLabel: (c: string) => string): string[] {
  const e = now.escalations;
  const d = now.dissent;
  const previous = label(before.quarter);
  const lines = [change(e.raised, before.escalations.raised, "escalations were raised", previous), change(e.closed, before.escalations.closed, "escalations were closed", previous)];
  if (isNumber(e.resolvedAtLowestLevelPct)) lines.push(`${show(e.resolvedAtLowestLevelPct, "percent")} of the escalations resolved in the quarter were resolved at stage 1 or 2.`);
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
  lines.push(`On ${formatUkDate(now.asOf)}, ${show(e.overdueAtAsOf)} escalations were overdue and ${show(e.unresolvedAfterFinalStage)} were still open after the final stage.`);
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
    `${show(d.count)} professionals dissented from a conference decision` +
      (isNumber(d.ratePer100Conferences) ? ` (${show(d.ratePer100Conferences)} per 100 conferences)` : "") +
      (isNumber(d.chairFollowUpWithinLimitPct) ? `; the chair followed up ${show(d.chairFollowUpWithinLimitPct, "percent")} within the limit` : "") +
      `; ${show(d.escalated)} became escalations.`,
  );
  return lines;
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

/** The board document with its verdict, failing or not: for issuing (which refuses in its own words) and the reports page's check. */
export async function readBoardDocument(db: Db, request: BoardDocumentRequest): Promise<BoardDocument> {
  const published = request.published ?? true;
  const trendQuarters = Math.max(1, request.trendQuarters ?? 4);
  // One reading of every measure over the run (the previous quarter at least, for the summary's comparison).
  const run = await getBoardReportRun(db, { ...request, quarters: Math.max(trendQuarters, 2) });
  const profile = published ? (request.profile ?? (await profileFor(db, run.report.partnerships))) : null;
  // The scrutineer's findings recorded by the as-of date on samples of these partnerships.
  const findings = await findingsSummary(db, run.report.partnerships, run.report.asOf);
  // One publication for the whole document: every table and chart is suppressed together and checked by the attacker.
  // The caveats' counts are printed too: read them first, so that they are suppressed with everything else.
  const quality = await getDataQuality(db, { partnerships: run.report.partnerships, from: run.report.quarter, to: run.report.quarter });
  const publication = documentPublication(run, findings, {
    rowsRejected: quality.rows.reduce((n, r) => n + r.rowsRejected, 0),
    skippedStages: quality.rows.reduce((n, r) => n + r.skippedStageRows, 0),
  });
  const suppression = profile ? suppress(publication, profile) : null;
  const count = (key: string): Cell => (suppression && profile ? publishedCount(publication, suppression, profile, key) : publication.cells[key]!);
  const figures: Figures = suppression && profile ? publishedFromSuppression(run.report, publication, suppression, profile) : run.report;
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
    summary: summarise(figures, before, label, agencyName, themeLabel),
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
