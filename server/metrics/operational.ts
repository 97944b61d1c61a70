/**
 * The views a business manager works from: the escalations overdue now, who escalates to whom, and
 * how the headline figures moved over recent quarters.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { todayInLondon, type IsoDate } from "../calendar/dates";
import { addQuarters, lastCompleteQuarter, quarterPeriod, type Quarter } from "../calendar/quarters";
import { dissentQuarters } from "./dissentMeasures";
import { escalationQuarters, escalationsAsOf, escalationsPointInTime, wd } from "./escalationMeasures";
import { resolveScope, type AgencyRole } from "./scope";

export interface OverdueEscalation {
  partnership: string;
  /** The escalation's id within its partnership (for the record's page). */
  id: number;
  recordRef: string;
  uploadedBy: string;
  raisingAgency: string;
  receivingAgency: string;
  concernAroseOn: IsoDate;
  currentStage: number;
  stageName: string;
  clockStartedOn: IsoDate;
  /** The running stage's limit, in `limitUnit` days (the name is older than calendar-day limits). */
  limitWorkingDays: number;
  limitUnit: "working" | "calendar";
  workingDaysElapsed: number;
  workingDaysOver: number;
  themes: string[];
}

/**
 * Escalations overdue on the as-of date (default today): open, their current stage undated, its clock
 * past the limit. Most overdue first. Record-level: no child reference is ever returned.
 */
export async function getOverdueEscalations(
  db: Db,
  params: { partnerships: string[]; asOf?: IsoDate; agency?: string; theme?: string },
): Promise<OverdueEscalation[]> {
  const asOf = params.asOf ?? todayInLondon();
  const scope = await resolveScope(db, { ...params, quarter: lastCompleteQuarter(asOf), asOf });
  // In the running stage's own unit: calendar days, or working days.
  const elapsed = sql`case when s.running_calendar then ${asOf}::date - s.running_clock_start
    else ${wd(sql`s.partnership_id`, sql`s.running_clock_start`, sql`${asOf}::date`)} end`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with ${escalationsAsOf(scope)},
        late as (select s.*, ${elapsed} as elapsed from running s)
        select p.code as partnership, s.id, s.record_ref, up.code as uploaded_by, ra.code as raising, rc.code as receiving,
               s.arose::text as arose, s.k_max + 1 as stage, ps.name as stage_name, s.running_clock_start::text as clock_start,
               s.running_limit as limit_days, s.running_calendar, s.elapsed, s.themes
        from late s
        join partnerships p on p.id = s.partnership_id
        join procedure_version_stages ps on ps.version_id = s.version_id and ps.number = s.k_max + 1
        join agencies up on up.id = s.uploaded_by_id
        join agencies ra on ra.id = s.raising_agency_id
        join agencies rc on rc.id = s.receiving_agency_id
        where s.elapsed > s.running_limit
        order by s.elapsed - s.running_limit desc, s.arose, s.record_ref`,
  );
  return rows.map((r) => ({
    partnership: String(r.partnership),
    id: Number(r.id),
    recordRef: String(r.record_ref),
    uploadedBy: String(r.uploaded_by),
    raisingAgency: String(r.raising),
    receivingAgency: String(r.receiving),
    concernAroseOn: String(r.arose),
    currentStage: Number(r.stage),
    stageName: String(r.stage_name),
    clockStartedOn: String(r.clock_start),
    limitWorkingDays: Number(r.limit_days),
    limitUnit: r.running_calendar === true ? ("calendar" as const) : ("working" as const),
    workingDaysElapsed: Number(r.elapsed),
    workingDaysOver: Number(r.elapsed) - Number(r.limit_days),
    themes: r.themes as string[],
  }));
}

export interface MatrixCell {
  raisingAgency: string;
  receivingAgency: string;
  count: number;
}

/** Who escalates to whom: the quarter's raised escalations by raising × receiving agency. */
export async function getAgencyMatrix(db: Db, params: { partnerships: string[]; quarter: Quarter; asOf?: IsoDate }): Promise<MatrixCell[]> {
  const scope = await resolveScope(db, params);
  const rows = await queryRows<{ raising: string; receiving: string; count: number }>(
    db,
    sql`with ${escalationsAsOf(scope)}
        select ra.code as raising, rc.code as receiving, count(*)::int as count
        from reached r join agencies ra on ra.id = r.raising_agency_id join agencies rc on rc.id = r.receiving_agency_id
        where r.arose between ${scope.period.start}::date and ${scope.period.end}::date
        group by ra.code, rc.code order by ra.code, rc.code`,
  );
  return rows.map((r) => ({ raisingAgency: r.raising, receivingAgency: r.receiving, count: r.count }));
}

export interface TrendPoint {
  quarter: Quarter;
  raised: number;
  closed: number;
  openAtPeriodEnd: number;
  resolvedAtLowestLevelPct: number | null;
  medianWorkingDaysToClose: number | null;
  learningWithinOneMonthPct: number | null;
  /** At the quarter's last day (point-in-time figures are taken then). */
  overdueAtQuarterEnd: number;
  unresolvedAfterFinalStageAtQuarterEnd: number;
  dissent: number;
  dissentRatePer100Conferences: number | null;
  chairFollowUpWithinLimitPct: number | null;
}

export interface TrendsParams {
  partnerships: string[];
  /** How many quarters, ending with `to`. */
  quarters: number;
  /** The last quarter; defaults to the last complete quarter on or before the as-of date. */
  to?: Quarter;
  asOf?: IsoDate;
  agency?: string;
  agencyRole?: AgencyRole;
  theme?: string;
}

/**
 * The headline figures for each of `quarters` quarters ending with `to`, oldest first, as the
 * records stand on the as-of date; overdue and unresolved as they stood at each quarter's end.
 */
export async function getTrends(db: Db, params: TrendsParams): Promise<TrendPoint[]> {
  const asOf = params.asOf ?? todayInLondon();
  const last = params.to ?? lastCompleteQuarter(asOf);
  const scope = await resolveScope(db, { ...params, quarter: last, from: addQuarters(last, -(params.quarters - 1)), asOf });
  // Independent reads: concurrent on a server's pool (the embedded database takes them in turn).
  const [figures, atEnds, dissent] = await Promise.all([
    escalationQuarters(db, scope),
    escalationsPointInTime(db, scope, scope.quarters.map((q) => quarterPeriod(q).end)),
    dissentQuarters(db, scope),
  ]);
  return figures.map((now, i) => ({
    quarter: now.quarter,
    raised: now.raised,
    closed: now.closed,
    openAtPeriodEnd: now.openAtPeriodEnd,
    resolvedAtLowestLevelPct: now.resolvedAtLowestLevelPct,
    medianWorkingDaysToClose: now.medianWorkingDaysToClose,
    learningWithinOneMonthPct: now.learningWithinOneMonthPct,
    overdueAtQuarterEnd: atEnds[i]!.overdue,
    unresolvedAfterFinalStageAtQuarterEnd: atEnds[i]!.unresolvedAfterFinalStage,
    dissent: dissent[i]!.count,
    dissentRatePer100Conferences: dissent[i]!.ratePer100Conferences,
    chairFollowUpWithinLimitPct: dissent[i]!.chairFollowUpWithinLimitPct,
  }));
}
