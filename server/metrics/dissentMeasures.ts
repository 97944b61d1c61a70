/** The dissent measures of METRICS.md: conference dissent whose conference date falls in the quarter. */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import type { MetricScope } from "./scope";

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

export async function dissentMeasures(db: Db, scope: MetricScope): Promise<DissentMeasures & { fractions: DissentFractions }> {
  const ids = sql.join(scope.partnershipIds.map((id) => sql`${id}`), sql`, `);
  const { start, end } = scope.period;
  const inQuarter = sql`d.partnership_id in (${ids}) and d.conference_date between ${start}::date and ${end}::date`;
  const [totals] = await queryRows<{ count: number; escalated: number; follow_up_pct: string | null; follow_up: number }>(
    db,
    sql`select count(*)::int as count,
               count(*) filter (
                 where d.chair_followup_on <= ${scope.asOf}::date
                   and (select cb.working_day_number from calendar_days cb where cb.partnership_id = d.partnership_id and cb.date = d.chair_followup_on)
                     - (select ca.working_day_number from calendar_days ca where ca.partnership_id = d.partnership_id and ca.date = d.conference_date)
                     <= p.chair_follow_up_limit_working_days
               )::int as follow_up,
               count(*) filter (where d.status = 'escalated')::int as escalated,
               round(100.0 * count(*) filter (
                 where d.chair_followup_on <= ${scope.asOf}::date
                   and (select cb.working_day_number from calendar_days cb where cb.partnership_id = d.partnership_id and cb.date = d.chair_followup_on)
                     - (select ca.working_day_number from calendar_days ca where ca.partnership_id = d.partnership_id and ca.date = d.conference_date)
                     <= p.chair_follow_up_limit_working_days
               ) / nullif(count(*), 0), 1) as follow_up_pct
        from dissents d join partnerships p on p.id = d.partnership_id
        where ${inQuarter}`,
  );
  const groups = await queryRows<{ dimension: string; key: string; count: number }>(
    db,
    sql`select 'agency' as dimension, a.code as key, count(*)::int as count
          from dissents d join agencies a on a.id = d.dissenting_agency_id where ${inQuarter} group by a.code
        union all
        select 'decision', d.decision, count(*)::int from dissents d where ${inQuarter} group by d.decision
        union all
        select 'type', d.conference_type, count(*)::int from dissents d where ${inQuarter} group by d.conference_type
        union all
        select 'theme', t.theme, count(*)::int from dissents d cross join lateral unnest(d.themes) as t(theme)
          where ${inQuarter} group by t.theme`,
  );
  // The rate needs every partnership's conference activity for all three months of the quarter.
  const [activity] = await queryRows<{ complete: boolean; conferences: number; rate: string | null }>(
    db,
    sql`select coalesce(bool_and(months = 3), false) as complete, coalesce(sum(conferences), 0)::int as conferences,
               round(100.0 * (select count(*) from dissents d where ${inQuarter}) / nullif(sum(conferences), 0), 1)::text as rate
        from (
          select p.id, count(c.month)::int as months, coalesce(sum(c.initial_conferences + c.review_conferences), 0) as conferences
          from partnerships p
          left join conference_activity c on c.partnership_id = p.id and c.month between ${start}::date and ${end}::date
          where p.id in (${ids}) group by p.id
        ) per_partnership`,
  );
  const count = totals?.count ?? 0;
  const map = (dimension: string) =>
    Object.fromEntries(groups.filter((g) => g.dimension === dimension).map((g) => [g.key, g.count]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  const rate = activity?.complete && activity.rate !== null ? Number(activity.rate) : null;
  return {
    count,
    byAgency: map("agency"),
    byDecision: map("decision"),
    byConferenceType: map("type"),
    themes: map("theme"),
    ratePer100Conferences: rate,
    chairFollowUpWithinLimitPct: totals?.follow_up_pct === null || totals?.follow_up_pct === undefined ? null : Number(totals.follow_up_pct),
    escalated: totals?.escalated ?? 0,
    fractions: {
      chairFollowUpWithinLimit: { numerator: totals?.follow_up ?? 0, denominator: count },
      conferences: activity?.complete ? activity.conferences : null,
    },
  };
}
