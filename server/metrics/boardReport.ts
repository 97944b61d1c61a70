/**
 * The board report as data: every figure of METRICS.md for one partnership (or several together),
 * a quarter and an as-of date, in the JSON contract METRICS.md gives. Exact figures; publication
 * applies disclosure control in reports/.
 */
import type { Db } from "../../db/client";
import type { IsoDate } from "../calendar/dates";
import { addQuarters, quarterPeriod, type Period, type Quarter } from "../calendar/quarters";
import { dissentQuarters, type DissentMeasures } from "./dissentMeasures";
import { escalationBreakdowns, escalationQuarters, escalationsPointInTime, recurringThemes, type RecurringTheme, type StageTimescale } from "./escalationMeasures";
import { getSpc, type Spc } from "./monthlySeries";
import { resolveScope } from "./scope";

export interface BoardReport {
  partnership: string;
  partnerships: string[];
  quarter: Quarter;
  asOf: IsoDate;
  period: Period;
  escalations: {
    raised: number;
    closed: number;
    resolved: number;
    withdrawn: number;
    openAtPeriodEnd: number;
    stageReached: Record<string, number>;
    resolvedAtLowestLevelPct: number | null;
    medianWorkingDaysToClose: number | null;
    timescale: StageTimescale[];
    overdueAtAsOf: number;
    unresolvedAfterFinalStage: number;
    byRaisingAgency: Record<string, number>;
    byReceivingAgency: Record<string, number>;
    themes: Record<string, number>;
    recurringThemes: RecurringTheme[];
    learningWithinOneMonthPct: number | null;
    /** Null for a partnership with no total limit in any version (METRICS.md, "total limit"). */
    totalLimit: TotalLimitFigures | null;
  };
  dissent: DissentMeasures;
  /**
   * Statistical process control: each measure's monthly series over the 24 months ending with the
   * quarter, as an XmR chart (METRICS.md). Left out only where a caller asked for the figures alone.
   */
  spc?: Spc;
  /** The counts behind each percentage, rate and median (what disclosure control needs). */
  fractions: {
    resolvedAtLowestLevel: { numerator: number; denominator: number };
    learningWithinOneMonth: { numerator: number; denominator: number };
    medianWorkingDaysToClose: { values: number };
    chairFollowUpWithinLimit: { numerator: number; denominator: number };
    ratePer100Conferences: { numerator: number; denominator: number | null };
  };
}

export interface TotalLimitFigures {
  /** That of the version in force on the quarter's last day (null when it has none, or partnerships differ). */
  limitWorkingDays: number | null;
  closed: number;
  withinLimit: number;
  overdueAtAsOf: number;
}

export interface BoardReportParams {
  /** One partnership code, or several reported together. */
  partnerships: string[];
  quarter: Quarter;
  /** Defaults to today in Europe/London; must be on or after the quarter's last day. */
  asOf?: IsoDate;
  /** False: leave out `spc` (callers that compare or trend the quarterly figures only). */
  spc?: boolean;
}

/** A quarter of a run, counted as the board report counts it (the figures a trend shows). */
export interface QuarterFigures {
  quarter: Quarter;
  period: Period;
  escalations: Omit<BoardReport["escalations"], "overdueAtAsOf" | "unresolvedAfterFinalStage" | "recurringThemes" | "totalLimit"> & {
    /** The quarter's closures against the total limit (overdue is the state at A, in the report only). */
    totalLimit: Omit<TotalLimitFigures, "overdueAtAsOf"> | null;
  };
  dissent: DissentMeasures;
  fractions: BoardReport["fractions"];
}

export interface BoardReportRun {
  /** The report of the run's last quarter, in full. */
  report: BoardReport;
  /** Every quarter of the run, oldest first; the last is the report's own quarter. */
  quarters: QuarterFigures[];
}

export interface BoardReportRunParams extends BoardReportParams {
  /** How many quarters, ending with `quarter` (1 for the report alone). */
  quarters?: number;
}

/**
 * The board report of a quarter and the same counts for the quarters before it, from one reading
 * of each measure over the run (ADR 0009): the document's trends need no report per quarter.
 * Overdue and unresolved are the state at A, once; recurring themes are the last quarter's.
 */
export async function getBoardReportRun(db: Db, params: BoardReportRunParams): Promise<BoardReportRun> {
  const run = Math.max(1, params.quarters ?? 1);
  const scope = await resolveScope(db, { ...params, from: addQuarters(params.quarter, -(run - 1)) });
  const last = { ...scope, quarters: [scope.quarter], period: quarterPeriod(scope.quarter) };
  // Independent reads: concurrent on a server's pool (the embedded database takes them in turn).
  const [headlines, by, dissent, atAsOf, recurring, spc] = await Promise.all([
    escalationQuarters(db, scope),
    escalationBreakdowns(db, scope),
    dissentQuarters(db, scope),
    escalationsPointInTime(db, last, [scope.asOf]),
    recurringThemes(db, scope),
    params.spc === false ? null : getSpc(db, { partnerships: scope.partnershipCodes, quarter: scope.quarter, asOf: scope.asOf }),
  ]);
  const quarters: QuarterFigures[] = scope.quarters.map((quarter, i) => {
    const h = headlines[i]!;
    const b = by[i]!;
    const { fractions: dissentFractions, quarter: _quarter, ...measures } = dissent[i]!;
    return {
      quarter,
      period: quarterPeriod(quarter),
      escalations: {
        raised: h.raised,
        closed: h.closed,
        resolved: h.resolved,
        withdrawn: h.withdrawn,
        openAtPeriodEnd: h.openAtPeriodEnd,
        stageReached: b.stageReached,
        resolvedAtLowestLevelPct: h.resolvedAtLowestLevelPct,
        medianWorkingDaysToClose: h.medianWorkingDaysToClose,
        timescale: b.timescale,
        byRaisingAgency: b.byRaisingAgency,
        byReceivingAgency: b.byReceivingAgency,
        themes: b.themes,
        learningWithinOneMonthPct: h.learningWithinOneMonthPct,
        totalLimit: b.totalLimitWorkingDays === undefined ? null : { limitWorkingDays: b.totalLimitWorkingDays, ...h.totalLimit },
      },
      dissent: measures,
      fractions: {
        resolvedAtLowestLevel: { numerator: h.resolvedAtLowestLevel, denominator: h.resolved },
        learningWithinOneMonth: h.learningWithinOneMonth,
        medianWorkingDaysToClose: { values: h.resolved },
        chairFollowUpWithinLimit: dissentFractions.chairFollowUpWithinLimit,
        ratePer100Conferences: { numerator: measures.count, denominator: dissentFractions.conferences },
      },
    };
  });
  const now = quarters.at(-1)!;
  const e = now.escalations;
  return {
    report: {
      partnership: scope.partnershipCodes.join("+"),
      partnerships: scope.partnershipCodes,
      quarter: scope.quarter,
      asOf: scope.asOf,
      period: now.period,
      escalations: {
        raised: e.raised,
        closed: e.closed,
        resolved: e.resolved,
        withdrawn: e.withdrawn,
        openAtPeriodEnd: e.openAtPeriodEnd,
        stageReached: e.stageReached,
        resolvedAtLowestLevelPct: e.resolvedAtLowestLevelPct,
        medianWorkingDaysToClose: e.medianWorkingDaysToClose,
        timescale: e.timescale,
        overdueAtAsOf: atAsOf[0]!.overdue,
        unresolvedAfterFinalStage: atAsOf[0]!.unresolvedAfterFinalStage,
        byRaisingAgency: e.byRaisingAgency,
        byReceivingAgency: e.byReceivingAgency,
        themes: e.themes,
        recurringThemes: recurring,
        learningWithinOneMonthPct: e.learningWithinOneMonthPct,
        totalLimit: e.totalLimit === null ? null : { ...e.totalLimit, overdueAtAsOf: atAsOf[0]!.overdueTotalLimit },
      },
      dissent: now.dissent,
      ...(spc ? { spc: spc.spc } : {}),
      fractions: now.fractions,
    },
    quarters,
  };
}

/** The board report of one quarter: a run of one. */
export async function getBoardReport(db: Db, params: BoardReportParams): Promise<BoardReport> {
  return (await getBoardReportRun(db, params)).report;
}
