/**
 * The escalation measures of METRICS.md, in SQL over the warehouse. Every date after the as-of
 * date A is treated as not having happened yet; working days are differences of the calendar's
 * running working-day number.
 */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import type { MetricScope } from "./scope";

/**
 * Escalations as they stood on A, with stage reached and the clock start of each stage. Only those
 * that can count in the quarter are read: an escalation closed before the quarter began counts in
 * none of its figures (recurring themes, which look back a year, read the table directly).
 */
export function escalationsAsOf(scope: Pick<MetricScope, "partnershipIds" | "asOf" | "period">): SQL {
  const ids = sql.join(scope.partnershipIds.map((id) => sql`${id}`), sql`, `);
  const asOf = sql`${scope.asOf}::date`;
  const upTo = (column: string) => sql`case when e.${sql.raw(column)} <= ${asOf} then e.${sql.raw(column)} end`;
  return sql`
    procedure_of as materialized (
      select p.id as partnership_id, pr.learning_within_months,
             (select count(*)::int from procedure_stages s where s.procedure_id = p.procedure_id) as stage_count
      from partnerships p join procedures pr on pr.id = p.procedure_id
      where p.id in (${ids})
    ),
    as_of as (
      select e.id, e.partnership_id, e.raising_agency_id, e.receiving_agency_id, e.themes,
             e.concern_arose_on as arose,
             ${upTo("stage1_on")} as s1, ${upTo("stage2_on")} as s2, ${upTo("stage3_on")} as s3,
             ${upTo("stage4_on")} as s4, ${upTo("stage5_on")} as s5,
             ${upTo("closed_on")} as closed,
             case when e.closed_on <= ${asOf} then e.status else 'open' end as status,
             ${upTo("learning_disseminated_on")} as learning,
             po.stage_count, po.learning_within_months
      from escalations e join procedure_of po on po.partnership_id = e.partnership_id
      where e.partnership_id in (${ids}) and e.concern_arose_on <= ${asOf}
        and (e.closed_on is null or e.closed_on >= ${scope.period.start}::date)
    ),
    reached as (
      select a.*,
             case when a.status <> 'open' then greatest(h.k_max, 1) else greatest(least(h.k_max + 1, a.stage_count), 1) end as stage_reached,
             h.k_max
      from as_of a
      cross join lateral (
        select case when a.s5 is not null then 5 when a.s4 is not null then 4 when a.s3 is not null then 3
                    when a.s2 is not null then 2 when a.s1 is not null then 1 else 0 end as k_max
      ) h
    ),
    stages as (
      -- One row per escalation and stage: the stage's date (if reached by A) and when its clock started:
      -- the latest earlier date recorded (the nearest earlier stage date present, or the concern date).
      select r.*, st.k, st.done_on, st.clock_start, ps.limit_working_days
      from reached r
      cross join lateral (values
        (1, r.s1, r.arose),
        (2, r.s2, coalesce(r.s1, r.arose)),
        (3, r.s3, coalesce(r.s2, r.s1, r.arose)),
        (4, r.s4, coalesce(r.s3, r.s2, r.s1, r.arose)),
        (5, r.s5, coalesce(r.s4, r.s3, r.s2, r.s1, r.arose))
      ) as st(k, done_on, clock_start)
      join partnerships p on p.id = r.partnership_id
      join procedure_stages ps on ps.procedure_id = p.procedure_id and ps.number = st.k
    )`;
}

/** wd(a, b) in the escalation's partnership calendar (a and b are SQL date expressions). */
export function wd(partnership: SQL, a: SQL, b: SQL): SQL {
  return sql`((select wd_b.working_day_number from calendar_days wd_b where wd_b.partnership_id = ${partnership} and wd_b.date = ${b})
    - (select wd_a.working_day_number from calendar_days wd_a where wd_a.partnership_id = ${partnership} and wd_a.date = ${a}))`;
}

const pct = (num: SQL, den: SQL) => sql`round(100.0 * (${num}) / nullif(${den}, 0), 1)`;

export interface EscalationHeadlines {
  raised: number;
  closed: number;
  resolved: number;
  withdrawn: number;
  openAtPeriodEnd: number;
  resolvedAtLowestLevelPct: number | null;
  medianWorkingDaysToClose: number | null;
  overdueAtAsOf: number;
  unresolvedAfterFinalStage: number;
  learningWithinOneMonthPct: number | null;
  /** Numerators and denominators behind the percentages, for disclosure control. */
  resolvedAtLowestLevel: number;
  learningWithinOneMonth: { numerator: number; denominator: number };
}

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

export async function escalationHeadlines(db: Db, scope: MetricScope): Promise<EscalationHeadlines> {
  const { start, end } = scope.period;
  const inQ = (column: string) => sql`${sql.raw(column)} between ${start}::date and ${end}::date`;
  const resolvedInQ = sql`r.status = 'resolved' and ${inQ("r.closed")}`;
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`with ${escalationsAsOf(scope)},
      current_stage as (
        -- Open escalations at A whose current stage is not yet dated: the clock of that stage runs.
        select s.* from stages s where s.status = 'open' and s.k = s.stage_reached and s.done_on is null
      )
      select
        count(*) filter (where ${inQ("r.arose")})::int as raised,
        count(*) filter (where ${inQ("r.closed")})::int as closed,
        count(*) filter (where ${resolvedInQ})::int as resolved,
        count(*) filter (where r.status = 'withdrawn' and ${inQ("r.closed")})::int as withdrawn,
        count(*) filter (where r.arose <= ${end}::date and (r.closed is null or r.closed > ${end}::date))::int as open_at_period_end,
        ${pct(sql`count(*) filter (where ${resolvedInQ} and r.stage_reached <= 2)`, sql`count(*) filter (where ${resolvedInQ})`)} as resolved_low_pct,
        count(*) filter (where ${resolvedInQ} and r.stage_reached <= 2)::int as resolved_low,
        count(*) filter (where ${resolvedInQ} and r.stage_reached = r.stage_count and r.learning is not null
          and r.learning <= (r.closed + make_interval(months => r.learning_within_months))::date)::int as learning_num,
        count(*) filter (where ${resolvedInQ} and r.stage_reached = r.stage_count)::int as learning_den,
        percentile_cont(0.5) within group (order by case when ${resolvedInQ} then ${wd(sql`r.partnership_id`, sql`r.arose`, sql`r.closed`)} end) as median_wd,
        count(*) filter (where r.status = 'open' and r.k_max = r.stage_count)::int as unresolved_final,
        ${pct(
          sql`count(*) filter (where ${resolvedInQ} and r.stage_reached = r.stage_count and r.learning is not null
                and r.learning <= (r.closed + make_interval(months => r.learning_within_months))::date)`,
          sql`count(*) filter (where ${resolvedInQ} and r.stage_reached = r.stage_count)`,
        )} as learning_pct,
        (select count(*)::int from current_stage cs
          where ${wd(sql`cs.partnership_id`, sql`cs.clock_start`, sql`${scope.asOf}::date`)} > cs.limit_working_days) as overdue
      from reached r`,
  );
  return {
    raised: Number(row!.raised),
    closed: Number(row!.closed),
    resolved: Number(row!.resolved),
    withdrawn: Number(row!.withdrawn),
    openAtPeriodEnd: Number(row!.open_at_period_end),
    resolvedAtLowestLevelPct: num(row!.resolved_low_pct),
    medianWorkingDaysToClose: num(row!.median_wd),
    overdueAtAsOf: Number(row!.overdue),
    unresolvedAfterFinalStage: Number(row!.unresolved_final),
    learningWithinOneMonthPct: num(row!.learning_pct),
    resolvedAtLowestLevel: Number(row!.resolved_low),
    learningWithinOneMonth: { numerator: Number(row!.learning_num), denominator: Number(row!.learning_den) },
  };
}

export interface StageTimescale {
  stage: number;
  limitWorkingDays: number | null;
  completed: number;
  withinLimit: number;
}

interface Breakdowns {
  stageReached: Record<string, number>;
  timescale: StageTimescale[];
  byRaisingAgency: Record<string, number>;
  byReceivingAgency: Record<string, number>;
  themes: Record<string, number>;
}

/**
 * Stage reached, timescale per stage, and the quarter's raised escalations by agency and theme,
 * from one reading of the as-of view.
 */
async function escalationBreakdowns(db: Db, scope: MetricScope): Promise<Breakdowns> {
  const { start, end } = scope.period;
  const ids = sql.join(scope.partnershipIds.map((id) => sql`${id}`), sql`, `);
  const raisedInQ = sql`r.arose between ${start}::date and ${end}::date`;
  const rows = await queryRows<{ dimension: string; key: string; count: number; within: number | null }>(
    db,
    sql`with ${escalationsAsOf(scope)}
        select 'stage' as dimension, r.stage_reached::text as key, count(*)::int as count, null::int as within
          from reached r where ${raisedInQ} group by r.stage_reached
        union all
        select 'timescale', s.k::text, count(*)::int,
               count(*) filter (where ${wd(sql`s.partnership_id`, sql`s.clock_start`, sql`s.done_on`)} <= s.limit_working_days)::int
          from stages s where s.done_on between ${start}::date and ${end}::date group by s.k
        union all
        select 'raising', a.code, count(*)::int, null from reached r join agencies a on a.id = r.raising_agency_id where ${raisedInQ} group by a.code
        union all
        select 'receiving', a.code, count(*)::int, null from reached r join agencies a on a.id = r.receiving_agency_id where ${raisedInQ} group by a.code
        union all
        select 'theme', t.theme, count(*)::int, null from reached r cross join lateral unnest(r.themes) as t(theme) where ${raisedInQ} group by t.theme
        union all
        -- Each stage of the procedures: the limit, when all the partnerships share it.
        select 'limit', ps.number::text, min(ps.limit_working_days)::int, max(ps.limit_working_days)::int
          from partnerships p join procedure_stages ps on ps.procedure_id = p.procedure_id where p.id in (${ids}) group by ps.number`,
  );
  const of = (dimension: string) => rows.filter((r) => r.dimension === dimension);
  const toMap = (dimension: string) =>
    Object.fromEntries(of(dimension).map((r) => [r.key, r.count]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  const limits = of("limit").sort((a, b) => Number(a.key) - Number(b.key));
  const stageReached: Record<string, number> = {};
  const timescale: StageTimescale[] = [];
  for (const limit of limits) {
    const k = limit.key;
    stageReached[k] = of("stage").find((r) => r.key === k)?.count ?? 0;
    const done = of("timescale").find((r) => r.key === k);
    timescale.push({
      stage: Number(k),
      // Partnerships on different procedures may set different limits for one stage: then there is no single limit.
      limitWorkingDays: limit.count === limit.within ? limit.count : null,
      completed: done?.count ?? 0,
      withinLimit: done?.within ?? 0,
    });
  }
  return { stageReached, timescale, byRaisingAgency: toMap("raising"), byReceivingAgency: toMap("receiving"), themes: toMap("theme") };
}

export interface RecurringTheme {
  receivingAgency: string;
  theme: string;
  count: number;
}

export async function breakdowns(
  db: Db,
  scope: MetricScope,
): Promise<Breakdowns & { recurringThemes: RecurringTheme[] }> {
  const { end } = scope.period;
  const counted = await escalationBreakdowns(db, scope);
  // Recurring: a (receiving agency, theme) pair in 3 or more escalations whose concern arose in the
  // 365 days ending at the quarter's end (end − 364 days to end, inclusive).
  const recurring = await queryRows<{ receiving_agency: string; theme: string; count: number }>(
    db,
    sql`select a.code as receiving_agency, t.theme, count(*)::int as count
        from escalations e join agencies a on a.id = e.receiving_agency_id cross join lateral unnest(e.themes) as t(theme)
        where e.partnership_id in (${sql.join(scope.partnershipIds.map((id) => sql`${id}`), sql`, `)})
          and e.concern_arose_on between (${end}::date - 364) and ${end}::date
        group by a.code, t.theme having count(*) >= 3
        order by count(*) desc, a.code, t.theme`,
  );
  return { ...counted, recurringThemes: recurring.map((r) => ({ receivingAgency: r.receiving_agency, theme: r.theme, count: r.count })) };
}
