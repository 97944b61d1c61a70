/**
 * The dissent measures of METRICS.md: conference dissent whose conference date falls in the quarter,
 * counted for every quarter of the scope in one statement (a report reads a run of one quarter).
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { quarterPeriod, type Quarter } from "../calendar/quarters";
import { dissentFilter, partnershipIdList, quarterRelation, type MetricScope } from "./scope";

export interface DissentMeasures {
  count: number;
  byAgency: Record<string, number>;
  byDecision: Record<string, number>;
  byConferenceType: Record<string, number>;
  themes: Record<string, number>;
  ratePer100Conferences: number | null;
  chairFollowUpWithinLimitPct: number | null;
  escalated: number;
}

/** Numerators and denominators behind the dissent percentages, for disclosure control. */
export interface DissentFractions {
  chairFollowUpWithinLimit: { numerator: number; denominator: number };
  conferences: number | null;
}

export type DissentQuarter = DissentMeasures & { quarter: Quarter; fractions: DissentFractions };

export async function dissentQuarters(db: Db, scope: MetricScope): Promise<DissentQuarter[]> {
  const ids = partnershipIdList(scope);
  const quarters = quarterRelation(scope);
  const inScope = sql`d.partnership_id in (${ids}) and d.conference_date between ${scope.period.start}::date and ${scope.period.end}::date and ${dissentFilter(scope.filter)}`;
  const followedUpInTime = sql`d.chair_followup_on <= ${scope.asOf}::date
    and (select cb.working_day_number from calendar_days cb where cb.partnership_id = d.partnership_id and cb.date = d.chair_followup_on)
      - (select ca.working_day_number from calendar_days ca where ca.partnership_id = d.partnership_id and ca.date = d.conference_date)
      <= p.chair_follow_up_limit_working_days`;
  const totals = await queryRows<{ quarter: string; count: number; escalated: number; follow_up: number; follow_up_pct: string | null }>(
    db,
    sql`with scoped as (
          select d.*, (${followedUpInTime}) as in_time
          from dissents d join partnerships p on p.id = d.partnership_id where ${inScope}
        )
        select q.quarter, count(d.id)::int as count,
               count(d.id) filter (where d.in_time)::int as follow_up,
               count(d.id) filter (where d.status = 'escalated')::int as escalated,
               round(100.0 * count(d.id) filter (where d.in_time) / nullif(count(d.id), 0), 1)::text as follow_up_pct
        from ${quarters} left join scoped d on d.conference_date between q.q_start and q.q_end
        group by q.quarter, q.q_start order by q.q_start`,
  );
  const groups = await queryRows<{ quarter: string; dimension: string; key: string; count: number }>(
    db,
    sql`with scoped as (select d.* from dissents d where ${inScope})
        select q.quarter, 'agency' as dimension, a.code as key, count(*)::int as count
          from scoped d join ${quarters} on d.conference_date between q.q_start and q.q_end
          join agencies a on a.id = d.dissenting_agency_id group by q.quarter, a.code
        union all
        select q.quarter, 'decision', d.decision, count(*)::int
          from scoped d join ${quarters} on d.conference_date between q.q_start and q.q_end group by q.quarter, d.decision
        union all
        select q.quarter, 'type', d.conference_type, count(*)::int
          from scoped d join ${quarters} on d.conference_date between q.q_start and q.q_end group by q.quarter, d.conference_type
        union all
        select q.quarter, 'theme', t.theme, count(*)::int
          from scoped d join ${quarters} on d.conference_date between q.q_start and q.q_end
          cross join lateral unnest(d.themes) as t(theme) group by q.quarter, t.theme`,
  );
  // The rate needs every partnership's conference activity for all three months of the quarter.
  const activity = await queryRows<{ quarter: string; complete: boolean; conferences: number }>(
    db,
    sql`select quarter, bool_and(months = 3) as complete, sum(conferences)::int as conferences
        from (
          select q.quarter, p.id, count(c.month)::int as months, coalesce(sum(c.initial_conferences + c.review_conferences), 0) as conferences
          from ${quarters} cross join partnerships p
          left join conference_activity c on c.partnership_id = p.id and c.month between q.q_start and q.q_end
          where p.id in (${ids}) group by q.quarter, p.id
        ) per_partnership
        group by quarter`,
  );
  return totals.map((t) => {
    const of = (dimension: string) =>
      Object.fromEntries(
        groups.filter((g) => g.quarter === t.quarter && g.dimension === dimension).map((g) => [g.key, g.count] as const).sort(([a], [b]) => a.localeCompare(b)),
      );
    const held = activity.find((a) => a.quarter === t.quarter);
    const conferences = held?.complete ? held.conferences : null;
    // Rounded half away from zero in numeric, as every percentage (METRICS.md "Numbers").
    const rate = conferences ? Math.round((1000 * t.count) / conferences) / 10 : null;
    return {
      quarter: t.quarter,
      count: t.count,
      byAgency: of("agency"),
      byDecision: of("decision"),
      byConferenceType: of("type"),
      themes: of("theme"),
      ratePer100Conferences: rate,
      chairFollowUpWithinLimitPct: t.follow_up_pct === null ? null : Number(t.follow_up_pct),
      escalated: t.escalated,
      fractions: { chairFollowUpWithinLimit: { numerator: t.follow_up, denominator: t.count }, conferences },
    };
  });
}

/** The dissent figures of the scope's (last) quarter. */
export async function dissentMeasures(db: Db, scope: MetricScope): Promise<DissentQuarter> {
  const [quarter] = await dissentQuarters(db, { ...scope, quarters: [scope.quarter], period: quarterPeriod(scope.quarter) });
  return quarter!;
}
