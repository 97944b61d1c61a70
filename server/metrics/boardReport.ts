/**
 * The board report as data: every figure of METRICS.md for one partnership (or several together),
 * a quarter and an as-of date, in the JSON contract METRICS.md gives. Exact figures; publication
 * applies disclosure control in reports/.
 */
import type { Db } from "../../db/client";
import type { IsoDate } from "../calendar/dates";
import type { Period, Quarter } from "../calendar/quarters";
import { dissentMeasures, type DissentMeasures } from "./dissentMeasures";
import { breakdowns, escalationHeadlines, type RecurringTheme, type StageTimescale } from "./escalationMeasures";
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
  };
  dissent: DissentMeasures;
  /** The counts behind each percentage, rate and median (what disclosure control needs). */
  fractions: {
    resolvedAtLowestLevel: { numerator: number; denominator: number };
    learningWithinOneMonth: { numerator: number; denominator: number };
    medianWorkingDaysToClose: { values: number };
    chairFollowUpWithinLimit: { numerator: number; denominator: number };
    ratePer100Conferences: { numerator: number; denominator: number | null };
  };
}

export interface BoardReportParams {
  /** One partnership code, or several reported together. */
  partnerships: string[];
  quarter: Quarter;
  /** Defaults to today in Europe/London; must be on or after the quarter's last day. */
  asOf?: IsoDate;
}

export async function getBoardReport(db: Db, params: BoardReportParams): Promise<BoardReport> {
  const scope = await resolveScope(db, params);
  const headlines = await escalationHeadlines(db, scope);
  const by = await breakdowns(db, scope);
  const { fractions: dissentFractions, quarter: _quarter, ...dissent } = await dissentMeasures(db, scope);
  return {
    partnership: scope.partnershipCodes.join("+"),
    partnerships: scope.partnershipCodes,
    quarter: scope.quarter,
    asOf: scope.asOf,
    period: scope.period,
    escalations: {
      raised: headlines.raised,
      closed: headlines.closed,
      resolved: headlines.resolved,
      withdrawn: headlines.withdrawn,
      openAtPeriodEnd: headlines.openAtPeriodEnd,
      stageReached: by.stageReached,
      resolvedAtLowestLevelPct: headlines.resolvedAtLowestLevelPct,
      medianWorkingDaysToClose: headlines.medianWorkingDaysToClose,
      timescale: by.timescale,
      overdueAtAsOf: headlines.overdueAtAsOf,
      unresolvedAfterFinalStage: headlines.unresolvedAfterFinalStage,
      byRaisingAgency: by.byRaisingAgency,
      byReceivingAgency: by.byReceivingAgency,
      themes: by.themes,
      recurringThemes: by.recurringThemes,
      learningWithinOneMonthPct: headlines.learningWithinOneMonthPct,
    },
    dissent,
    fractions: {
      resolvedAtLowestLevel: { numerator: headlines.resolvedAtLowestLevel, denominator: headlines.resolved },
      learningWithinOneMonth: headlines.learningWithinOneMonth,
      medianWorkingDaysToClose: { values: headlines.resolved },
      chairFollowUpWithinLimit: dissentFractions.chairFollowUpWithinLimit,
      ratePer100Conferences: { numerator: dissent.count, denominator: dissentFractions.conferences },
    },
  };
}
