/**
 * The evidence checks a self-assessment return faces (issue 18): for agency X, its return's
 * partnerships P and period [start of the first quarter, E = end of the last], what the warehouse
 * holds about how X actually uses the escalation procedure, each escalation judged by its own
 * procedure version. A check is raised (listed with its figures) or not listed at all.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { addCalendarMonths, type IsoDate } from "../calendar/dates";
import { quarterPeriod, quarterRange, type Quarter } from "../calendar/quarters";
import { NotFoundError } from "../errors";
import { escalationBreakdowns, escalationsPointInTime } from "./escalationMeasures";
import { percent } from "./percent";
import { partnershipIdList, resolveScope } from "./scope";

/** At least this many of the agency's stage completions before its timescale is compared. */
export const TIMESCALE_MINIMUM_COMPLETIONS = 10;
/** Points (one decimal each) below the partnership's within-limit share that raise the flag. */
export const TIMESCALE_GAP_POINTS = 10;

export type EvidenceCheck =
  | { check: "no_escalation_activity"; raised: 0; received: 0 }
  | { check: "received_overdue"; count: number }
  | { check: "timescale_below_partnership"; agencyWithinLimitPct: number; partnershipWithinLimitPct: number; agencyCompletions: number }
  | { check: "missing_upload_months"; months: string[] };

export interface EvidenceFigures {
  agency: string;
  partnerships: string[];
  period: { from: Quarter; to: Quarter; start: IsoDate; end: IsoDate };
  raised: number;
  received: number;
  receivedOverdueAtEnd: number;
  completions: { agency: { completed: number; withinLimit: number; pct: number | null }; partnership: { completed: number; withinLimit: number; pct: number | null } };
  monthsWithoutUpload: string[];
  checks: EvidenceCheck[];
}

export interface EvidenceCheckParams {
  agency: string;
  /** Default: every partnership the agency belongs to. */
  partnerships?: string[];
  from: Quarter;
  to: Quarter;
}

/** The evidence figures and the checks they raise. */
export async function getEvidenceChecks(db: Db, params: EvidenceCheckParams): Promise<EvidenceFigures> {
  const [agency] = await queryRows<{ id: number; code: string; partnerships: string[] | null }>(
    db,
    sql`select a.id, a.code,
          (select array_agg(p.code order by p.code) from agency_partnerships m join partnerships p on p.id = m.partnership_id where m.agency_id = a.id) as partnerships
        from agencies a where lower(a.code) = lower(${params.agency})`,
  );
  if (!agency) throw new NotFoundError(`There is no agency with the code "${params.agency}".`);
  const partnerships = params.partnerships ?? agency.partnerships ?? [];
  if (partnerships.length === 0) throw new NotFoundError(`Agency ${agency.code} belongs to no partnership, so it has no escalation evidence.`);
  const start = quarterPeriod(params.from).start;
  const end = quarterPeriod(params.to).end;
  // As of E: the period's world as it stood at its end.
  const base = { partnerships, quarter: params.to, from: params.from, asOf: end };
  const [whole, either, receiving] = await Promise.all([
    resolveScope(db, base),
    resolveScope(db, { ...base, agency: agency.code, agencyRole: "either" }),
    resolveScope(db, { ...base, agency: agency.code, agencyRole: "receiving" }),
  ]);
  const ids = partnershipIdList(whole);

  const [activity] = await queryRows<{ raised: number; received: number }>(
    db,
    sql`select count(*) filter (where e.raising_agency_id = ${agency.id})::int as raised,
               count(*) filter (where e.receiving_agency_id = ${agency.id})::int as received
        from escalations e
        where e.partnership_id in (${ids}) and e.concern_arose_on between ${start}::date and ${end}::date`,
  );
  const uploadMonths = await queryRows<{ month: string }>(
    db,
    sql`select distinct to_char((b.uploaded_at at time zone 'Europe/London')::date, 'YYYY-MM') as month
        from import_batches b
        where b.agency_id = ${agency.id} and b.kind = 'escalations' and b.status = 'in_force'
          and (b.uploaded_at at time zone 'Europe/London')::date between ${start}::date and ${end}::date`,
  );
  const [[overdue], agencyStages, partnershipStages] = await Promise.all([
    escalationsPointInTime(db, receiving, [end]),
    escalationBreakdowns(db, either),
    escalationBreakdowns(db, whole),
  ]);
  const sum = (quarters: typeof agencyStages) => {
    const all = quarters.flatMap((q) => q.timescale);
    const completed = all.reduce((n, t) => n + t.completed, 0);
    const withinLimit = all.reduce((n, t) => n + t.withinLimit, 0);
    return { completed, withinLimit, pct: percent(withinLimit, completed) };
  };
  const mine = sum(agencyStages);
  const theirs = sum(partnershipStages);
  const uploaded = new Set(uploadMonths.map((m) => m.month));
  const months: string[] = [];
  for (let m = start; m <= end; m = addCalendarMonths(m, 1)) months.push(m.slice(0, 7));
  const monthsWithoutUpload = months.filter((m) => !uploaded.has(m));

  const checks: EvidenceCheck[] = [];
  if (activity!.raised === 0 && activity!.received === 0) checks.push({ check: "no_escalation_activity", raised: 0, received: 0 });
  if (overdue!.overdue >= 1) checks.push({ check: "received_overdue", count: overdue!.overdue });
  // Both percentages rounded as published, then compared in tenths (exactly: 73.6 − 63.6 is not 10 in binary).
  if (mine.completed >= TIMESCALE_MINIMUM_COMPLETIONS && mine.pct !== null && theirs.pct !== null) {
    if (Math.round(theirs.pct * 10) - Math.round(mine.pct * 10) >= TIMESCALE_GAP_POINTS * 10) {
      checks.push({ check: "timescale_below_partnership", agencyWithinLimitPct: mine.pct, partnershipWithinLimitPct: theirs.pct, agencyCompletions: mine.completed });
    }
  }
  if (monthsWithoutUpload.length) checks.push({ check: "missing_upload_months", months: monthsWithoutUpload });

  return {
    agency: agency.code,
    partnerships: whole.partnershipCodes,
    period: { from: params.from, to: params.to, start, end },
    raised: activity!.raised,
    received: activity!.received,
    receivedOverdueAtEnd: overdue!.overdue,
    completions: { agency: mine, partnership: theirs },
    monthsWithoutUpload,
    checks,
  };
}

export type Corroboration = "contradicted" | "supported" | "consistent";

/**
 * The verdict on the standard that covers escalation: a top rating with any flag raised is
 * contradicted, a top rating with none supported, any other rating consistent.
 */
export function corroboration(ratedAtTop: boolean, checks: EvidenceCheck[]): Corroboration {
  if (!ratedAtTop) return "consistent";
  return checks.length > 0 ? "contradicted" : "supported";
}

/** Quarters of a return's period, for callers that list them. */
export const periodQuarters = (from: Quarter, to: Quarter): Quarter[] => quarterRange(from, to);
