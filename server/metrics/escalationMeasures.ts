/**
 * The escalation measures of METRICS.md, in SQL over the warehouse. Every date after the as-of
 * date A is treated as not having happened yet; working days are differences of the calendar's
 * running working-day number.
 */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import type { IsoDate } from "../calendar/dates";
import { quarterPeriod, type Quarter } from "../calendar/quarters";
import { escalationFilter, partnershipIdList, quarterRelation, type MetricScope } from "./scope";

/**
 * Escalations as they stood on A, with stage reached and the clock start of each stage. Only those
 * that can count in the scope's quarters are read: an escalation closed before the first quarter
 * began counts in none of their figures (recurring themes, which look back a year, read the table
 * directly). With several `asOfDates` (the ends of a run of quarters), each escalation appears once
 * per date in which it was open (the point-in-time figures count nothing else), masked as it stood
 * then, and `as_of_date` says which.
 */
export function escalationsAsOf(scope: Pick<MetricScope, "partnershipIds" | "asOf" | "period" | "filter">, asOfDates?: IsoDate[]): SQL {
  const ids = partnershipIdList(scope);
  const dates = asOfDates ?? [scope.asOf];
  const several = dates.length > 1;
  const asOf = several ? sql`ad.a` : sql`${dates[0]}::date`;
  const onDates = several ? sql`cross join (values ${sql.join(dates.map((d) => sql`(${d}::date)`), sql`, `)}) as ad(a)` : sql``;
  const openOnDate = several ? sql`and (e.closed_on is null or e.closed_on > ad.a)` : sql``;
  const upTo = (column: string) => sql`case when e.${sql.raw(column)} <= ${asOf} then e.${sql.raw(column)} end`;
  return sql`
    procedure_of as materialized (
      -- stage_limits[k]: stage k's limit in working days, null when the procedure has no stage k (a
      -- limit is never null): read by position on each escalation's row instead of a join per stage.
      select p.id as partnership_id, pr.learning_within_months,
             (select count(*)::int from procedure_stages s where s.procedure_id = p.procedure_id) as stage_count,
             array(select s.limit_working_days from generate_series(1, 5) k
                   left join procedure_stages s on s.procedure_id = p.procedure_id and s.number = k order by k) as stage_limits
      from partnerships p join procedures pr on pr.id = p.procedure_id
      where p.id in (${ids})
    ),
    as_of as (
      select e.id, e.partnership_id, e.raising_agency_id, e.receiving_agency_id, e.themes,
             e.agency_id as uploaded_by_id, e.record_ref_as_uploaded as record_ref, e.child_ref_hash,
             ${asOf} as as_of_date,
             e.concern_arose_on as arose,
             ${upTo("stage1_on")} as s1, ${upTo("stage2_on")} as s2, ${upTo("stage3_on")} as s3,
             ${upTo("stage4_on")} as s4, ${upTo("stage5_on")} as s5,
             ${upTo("closed_on")} as closed,
             case when e.closed_on <= ${asOf} then e.status else 'open' end as status,
             ${upTo("learning_disseminated_on")} as learning,
             po.stage_count, po.learning_within_months, po.stage_limits
      from escalations e join procedure_of po on po.partnership_id = e.partnership_id ${onDates}
      where e.partnership_id in (${ids}) and e.concern_arose_on <= ${asOf}
        and (e.closed_on is null or e.closed_on >= ${scope.period.start}::date)
        and ${escalationFilter(scope.filter)} ${openOnDate}
    ),
    reached as (
      -- running_clock_start: an open escalation whose last stage is not yet dated has its current stage
      -- (k_max + 1) running, and that stage's clock started at the highest stage dated (the concern when
      -- none is): the stages view's rule for that one stage, kept on one row per escalation.
      select a.*,
             case when a.status <> 'open' then greatest(h.k_max, 1) else greatest(least(h.k_max + 1, a.stage_count), 1) end as stage_reached,
             h.k_max,
             case when a.status = 'open' and h.k_max < a.stage_count
                  then case h.k_max when 0 then a.arose when 1 then a.s1 when 2 then a.s2 when 3 then a.s3 else a.s4 end end as running_clock_start
      from as_of a
      cross join lateral (
        select case when a.s5 is not null then 5 when a.s4 is not null then 4 when a.s3 is not null then 3
                    when a.s2 is not null then 2 when a.s1 is not null then 1 else 0 end as k_max
      ) h
    ),
    running as (
      -- The stage running now (open escalations only), with its limit.
      select r.*, r.stage_limits[r.k_max + 1] as running_limit
      from reached r
      where r.running_clock_start is not null and r.stage_limits[r.k_max + 1] is not null
    ),
    stages as (
      -- One row per escalation and stage: the stage's date (if reached by A) and when its clock started:
      -- the latest earlier date recorded (the nearest earlier stage date present, or the concern date).
      select r.*, st.k, st.done_on, st.clock_start, r.stage_limits[st.k] as limit_working_days
      from reached r
      cross join lateral (values
        (1, r.s1, r.arose),
        (2, r.s2, coalesce(r.s1, r.arose)),
        (3, r.s3, coalesce(r.s2, r.s1, r.arose)),
        (4, r.s4, coalesce(r.s3, r.s2, r.s1, r.arose)),
        (5, r.s5, coalesce(r.s4, r.s3, r.s2, r.s1, r.arose))
      ) as st(k, done_on, clock_start)
      where r.stage_limits[st.k] is not null
    )`;
}

/**
 * calendar_numbers(partnership_id, d0, n): each partnership's running working-day numbers as one array
 * from the calendar's first day, so that wd(a, b) = n[b - d0 + 1] - n[a - d0 + 1] without a lookup. The
 * calendar holds every day of 2015–2030 for every partnership (tests/calendar-sql.test.ts), so a
 * date's position is its distance from d0.
 */
export function calendarNumbers(scope: Pick<MetricScope, "partnershipIds">): SQL {
  return sql`calendar_numbers as materialized (
      select cd.partnership_id, min(cd.date) as d0, array_agg(cd.working_day_number order by cd.date) as n
      from calendar_days cd where cd.partnership_id in (${partnershipIdList(scope)}) group by cd.partnership_id
    )`;
}

/** wd(a, b) in the escalation's partnership calendar (a and b are SQL date expressions). */
export function wd(partnership: SQL, a: SQL, b: SQL): SQL {
  return sql`((select wd_b.working_day_number from calendar_days wd_b where wd_b.partnership_id = ${partnership} and wd_b.date = ${b})
    - (select wd_a.working_day_number from calendar_days wd_a where wd_a.partnership_id = ${partnership} and wd_a.date = ${a}))`;
}

const pct = (num: SQL, den: SQL) => sql`round(100.0 * (${num}) / nullif(${den}, 0), 1)`;

/** The escalation figures of one quarter, as the records stand on A. */
export interface EscalationQuarter {
  quarter: Quarter;
  raised: number;
  closed: number;
  resolved: number;
  withdrawn: number;
  openAtPeriodEnd: number;
  resolvedAtLowestLevelPct: number | null;
  medianWorkingDaysToClose: number | null;
  learningWithinOneMonthPct: number | null;
  /** Numerators and denominators behind the percentages, for disclosure control. */
  resolvedAtLowestLevel: number;
  learningWithinOneMonth: { numerator: number; denominator: number };
}

/** The state of the partnership on a date: escalations overdue, and open after their final stage. */
export interface PointInTime {
  date: IsoDate;
  overdue: number;
  unresolvedAfterFinalStage: number;
}

export interface EscalationHeadlines extends Omit<EscalationQuarter, "quarter"> {
  overdueAtAsOf: number;
  unresolvedAfterFinalStage: number;
}

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/**
 * Every quarter of the scope in one statement: the quarterly report reads a run of one quarter,
 * trends a run of several, so both count by the same SQL.
 */
export async function escalationQuarters(db: Db, scope: MetricScope): Promise<EscalationQuarter[]> {
  const inQ = (column: string) => sql`${sql.raw(column)} between q.q_start and q.q_end`;
  const resolvedInQ = sql`c.status = 'resolved' and ${inQ("c.closed")}`;
  const lastStageLearning = sql`${resolvedInQ} and c.stage_reached = c.stage_count`;
  const learnedInTime = sql`${lastStageLearning} and c.learning is not null
    and c.learning <= (c.closed + make_interval(months => c.learning_within_months))::date`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with ${escalationsAsOf(scope)}, ${calendarNumbers(scope)},
      closing as materialized (
        -- Working days to close, once per escalation (not once per escalation and quarter).
        select r.*, case when r.status = 'resolved' then c.n[r.closed - c.d0 + 1] - c.n[r.arose - c.d0 + 1] end as wd_close
        from reached r join calendar_numbers c on c.partnership_id = r.partnership_id
      )
      select q.quarter,
        count(c.id) filter (where ${inQ("c.arose")})::int as raised,
        count(c.id) filter (where ${inQ("c.closed")})::int as closed,
        count(c.id) filter (where ${resolvedInQ})::int as resolved,
        count(c.id) filter (where c.status = 'withdrawn' and ${inQ("c.closed")})::int as withdrawn,
        count(c.id) filter (where c.arose <= q.q_end and (c.closed is null or c.closed > q.q_end))::int as open_at_period_end,
        ${pct(sql`count(c.id) filter (where ${resolvedInQ} and c.stage_reached <= 2)`, sql`count(c.id) filter (where ${resolvedInQ})`)} as resolved_low_pct,
        count(c.id) filter (where ${resolvedInQ} and c.stage_reached <= 2)::int as resolved_low,
        count(c.id) filter (where ${learnedInTime})::int as learning_num,
        count(c.id) filter (where ${lastStageLearning})::int as learning_den,
        ${pct(sql`count(c.id) filter (where ${learnedInTime})`, sql`count(c.id) filter (where ${lastStageLearning})`)} as learning_pct,
        percentile_cont(0.5) within group (order by case when ${resolvedInQ} then c.wd_close end) as median_wd
      from ${quarterRelation(scope)}
      -- Only the escalations that can count in the quarter: the disjunction of every filter above
      -- (raised in it, closed in it, or open at its end), so that the rows to group are not every
      -- escalation once per quarter (nine quarters of a partnership of 6,000 did not fit in work_mem).
      left join closing c on ${inQ("c.arose")} or ${inQ("c.closed")} or (c.arose <= q.q_end and (c.closed is null or c.closed > q.q_end))
      group by q.quarter, q.q_start
      order by q.q_start`,
  );
  return rows.map((row) => ({
    quarter: String(row.quarter),
    raised: Number(row.raised),
    closed: Number(row.closed),
    resolved: Number(row.resolved),
    withdrawn: Number(row.withdrawn),
    openAtPeriodEnd: Number(row.open_at_period_end),
    resolvedAtLowestLevelPct: num(row.resolved_low_pct),
    medianWorkingDaysToClose: num(row.median_wd),
    learningWithinOneMonthPct: num(row.learning_pct),
    resolvedAtLowestLevel: Number(row.resolved_low),
    learningWithinOneMonth: { numerator: Number(row.learning_num), denominator: Number(row.learning_den) },
  }));
}

/**
 * Overdue and unresolved-after-the-final-stage on each date: every escalation open then, whichever
 * quarter it was raised in, as it stood on that date.
 */
export async function escalationsPointInTime(db: Db, scope: MetricScope, dates: IsoDate[]): Promise<PointInTime[]> {
  const rows = await queryRows<{ date: string; overdue: number; unresolved: number }>(
    db,
    // Counted for every date in one pass over the escalations, grouped by date (a count per date
    // read all of them once per date: nine quarter ends, nine passes).
    sql`with ${escalationsAsOf(scope, dates)}, ${calendarNumbers(scope)},
      unresolved as (
        select r.as_of_date, count(*)::int as n from reached r where r.status = 'open' and r.k_max = r.stage_count group by r.as_of_date
      ),
      overdue as (
        select s.as_of_date, count(*)::int as n from running s join calendar_numbers c on c.partnership_id = s.partnership_id
        where c.n[s.as_of_date - c.d0 + 1] - c.n[s.running_clock_start - c.d0 + 1] > s.running_limit group by s.as_of_date
      )
      select d.a::text as date, coalesce(u.n, 0) as unresolved, coalesce(o.n, 0) as overdue
      from (values ${sql.join(dates.map((d) => sql`(${d}::date)`), sql`, `)}) as d(a)
      left join unresolved u on u.as_of_date = d.a
      left join overdue o on o.as_of_date = d.a
      order by d.a`,
  );
  return rows.map((r) => ({ date: r.date, overdue: r.overdue, unresolvedAfterFinalStage: r.unresolved }));
}

/** The headline figures of the scope's (last) quarter, with overdue and unresolved at A. */
export async function escalationHeadlines(db: Db, scope: MetricScope): Promise<EscalationHeadlines> {
  const quarter = { ...scope, quarters: [scope.quarter], period: quarterPeriodOf(scope) };
  const [figures] = await escalationQuarters(db, quarter);
  const [atAsOf] = await escalationsPointInTime(db, quarter, [scope.asOf]);
  const { quarter: _quarter, ...rest } = figures!;
  return { ...rest, overdueAtAsOf: atAsOf!.overdue, unresolvedAfterFinalStage: atAsOf!.unresolvedAfterFinalStage };
}

const quarterPeriodOf = (scope: MetricScope) => quarterPeriod(scope.quarter);

export interface StageTimescale {
  stage: number;
  limitWorkingDays: number | null;
  completed: number;
  withinLimit: number;
}

export interface ThemeAgencyCount {
  receivingAgency: string;
  theme: string;
  count: number;
}

export interface QuarterBreakdowns {
  quarter: Quarter;
  stageReached: Record<string, number>;
  timescale: StageTimescale[];
  byRaisingAgency: Record<string, number>;
  byReceivingAgency: Record<string, number>;
  themes: Record<string, number>;
  /** Escalations raised in the quarter by receiving agency and theme. */
  themesByReceivingAgency: ThemeAgencyCount[];
}

/**
 * Stage reached, timescale per stage, and each quarter's raised escalations by agency and theme,
 * from one reading of the as-of view, for every quarter of the scope.
 */
export async function escalationBreakdowns(db: Db, scope: MetricScope): Promise<QuarterBreakdowns[]> {
  const raisedInQ = sql`r.arose between q.q_start and q.q_end`;
  const quarters = quarterRelation(scope);
  const rows = await queryRows<{ quarter: string | null; dimension: string; key: string; count: number; within: number | null }>(
    db,
    sql`with ${escalationsAsOf(scope)}, ${calendarNumbers(scope)}
        select q.quarter, 'stage' as dimension, r.stage_reached::text as key, count(*)::int as count, null::int as within
          from reached r join ${quarters} on ${raisedInQ} group by q.quarter, r.stage_reached
        union all
        -- Working days from each partnership's calendar as one array (c.n[i] is the running number of day d0 + i - 1):
        -- thousands of stage completions read it by position, where a join on the computed clock start would mislead
        -- the planner (PGlite above all) and a lookup per date costs two index probes.
        select q.quarter, 'timescale', s.k::text, count(*)::int,
               count(*) filter (where c.n[s.done_on - c.d0 + 1] - c.n[s.clock_start - c.d0 + 1] <= s.limit_working_days)::int
          from stages s join ${quarters} on s.done_on between q.q_start and q.q_end
          join calendar_numbers c on c.partnership_id = s.partnership_id
          -- The same rows as the join alone; said first, it drops the undated stages before each meets every quarter.
          where s.done_on between ${scope.period.start}::date and ${scope.period.end}::date
          group by q.quarter, s.k
        union all
        select q.quarter, 'raising', a.code, count(*)::int, null
          from reached r join ${quarters} on ${raisedInQ} join agencies a on a.id = r.raising_agency_id group by q.quarter, a.code
        union all
        select q.quarter, 'receiving', a.code, count(*)::int, null
          from reached r join ${quarters} on ${raisedInQ} join agencies a on a.id = r.receiving_agency_id group by q.quarter, a.code
        union all
        select q.quarter, 'theme', t.theme, count(*)::int, null
          from reached r join ${quarters} on ${raisedInQ} cross join lateral unnest(r.themes) as t(theme) group by q.quarter, t.theme
        union all
        select q.quarter, 'receiving_theme', a.code || chr(31) || t.theme, count(*)::int, null
          from reached r join ${quarters} on ${raisedInQ} join agencies a on a.id = r.receiving_agency_id
          cross join lateral unnest(r.themes) as t(theme) group by q.quarter, a.code, t.theme
        union all
        -- Each stage of the procedures: the limit, when all the partnerships share it.
        select null, 'limit', ps.number::text, min(ps.limit_working_days)::int, max(ps.limit_working_days)::int
          from partnerships p join procedure_stages ps on ps.procedure_id = p.procedure_id where p.id in (${partnershipIdList(scope)}) group by ps.number`,
  );
  const limits = rows.filter((r) => r.dimension === "limit").sort((a, b) => Number(a.key) - Number(b.key));
  return scope.quarters.map((quarter) => {
    const of = (dimension: string) => rows.filter((r) => r.quarter === quarter && r.dimension === dimension);
    const toMap = (dimension: string) =>
      Object.fromEntries(of(dimension).map((r) => [r.key, r.count] as const).sort(([a], [b]) => a.localeCompare(b)));
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
    const themesByReceivingAgency = of("receiving_theme")
      .map((r) => {
        const [receivingAgency, theme] = r.key.split("\u001f") as [string, string];
        return { receivingAgency, theme, count: r.count };
      })
      .sort((a, b) => a.receivingAgency.localeCompare(b.receivingAgency) || a.theme.localeCompare(b.theme));
    return {
      quarter,
      stageReached,
      timescale,
      byRaisingAgency: toMap("raising"),
      byReceivingAgency: toMap("receiving"),
      themes: toMap("theme"),
      themesByReceivingAgency,
    };
  });
}

export interface RecurringTheme {
  receivingAgency: string;
  theme: string;
  count: number;
}

/**
 * Recurring: a (receiving agency, theme) pair in 3 or more escalations whose concern arose in the
 * 365 days ending at the quarter's end (end − 364 days to end, inclusive).
 */
export async function recurringThemes(db: Db, scope: MetricScope): Promise<RecurringTheme[]> {
  const end = quarterPeriod(scope.quarter).end;
  const rows = await queryRows<{ receiving_agency: string; theme: string; count: number }>(
    db,
    sql`select a.code as receiving_agency, t.theme, count(*)::int as count
        from escalations e join agencies a on a.id = e.receiving_agency_id cross join lateral unnest(e.themes) as t(theme)
        where e.partnership_id in (${partnershipIdList(scope)})
          and e.concern_arose_on between (${end}::date - 364) and ${end}::date
          and ${escalationFilter(scope.filter)}
        group by a.code, t.theme having count(*) >= 3
        order by count(*) desc, a.code, t.theme`,
  );
  return rows.map((r) => ({ receivingAgency: r.receiving_agency, theme: r.theme, count: r.count }));
}

/** The breakdowns of the scope's (last) quarter and its recurring themes, as the board report shows them. */
export async function breakdowns(db: Db, scope: MetricScope): Promise<Omit<QuarterBreakdowns, "quarter"> & { recurringThemes: RecurringTheme[] }> {
  const quarter = { ...scope, quarters: [scope.quarter], period: quarterPeriodOf(scope) };
  const [counted] = await escalationBreakdowns(db, quarter);
  const { quarter: _quarter, ...rest } = counted!;
  return { ...rest, recurringThemes: await recurringThemes(db, scope) };
}
