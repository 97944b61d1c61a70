/**
 * The escalation measures of METRICS.md, in SQL over the warehouse. Every date after the as-of
 * date A is treated as not having happened yet; working days are differences of the calendar's
 * running working-day number.
 */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import type { IsoDate } from "../calendar/dates";
import { quarterPeriod, type Quarter } from "../calendar/quarters";
import { STAGE_NUMBERS, versionsInForceSql } from "../reference/procedureVersions";
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
  const K = STAGE_NUMBERS;
  const stageColumns = sql.join(K.map((k) => sql`${upTo(`stage${k}_on`)} as s${sql.raw(String(k))}`), sql`, `);
  const highest = sql.raw(`case ${[...K].reverse().map((k) => `when a.s${k} is not null then ${k}`).join(" ")} else 0 end`);
  const clockOfRunning = sql.raw(`case h.k_max when 0 then a.arose ${K.slice(0, -1).map((k) => `when ${k} then a.s${k}`).join(" ")} end`);
  // Stage k's clock starts at the latest earlier date recorded: the nearest earlier stage date present, or the concern date.
  const stageRows = sql.raw(
    K.map((k) => `(${k}, r.s${k}, coalesce(${[...K.slice(0, k - 1)].reverse().map((j) => `r.s${j}, `).join("")}r.arose))`).join(",\n        "),
  );
  return sql`
    procedure_of as materialized (
      -- Each partnership's procedure versions with the dates each is in force: an escalation is judged by
      -- the version in force on its concern date (METRICS.md). stage_limits[k] / stage_calendar[k]: stage
      -- k's limit and whether it is in calendar days, null when the version has no stage k, read by
      -- position on each escalation's row instead of a join per stage.
      ${versionsInForceSql(ids)}
    ),
    as_of as (
      select e.id, e.partnership_id, e.raising_agency_id, e.receiving_agency_id, e.themes,
             e.agency_id as uploaded_by_id, e.record_ref_as_uploaded as record_ref, e.child_ref_hash,
             ${asOf} as as_of_date,
             e.concern_arose_on as arose,
             ${stageColumns},
             ${upTo("closed_on")} as closed,
             case when e.closed_on <= ${asOf} then e.status else 'open' end as status,
             ${upTo("learning_disseminated_on")} as learning,
             po.version_id, po.stage_count, po.learning_within_months, po.stage_limits, po.stage_calendar, po.total_limit
      from escalations e
      join procedure_of po on po.partnership_id = e.partnership_id
        and e.concern_arose_on >= po.in_force_from and e.concern_arose_on < po.in_force_to
      ${onDates}
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
             case when a.status = 'open' and h.k_max < a.stage_count then ${clockOfRunning} end as running_clock_start
      from as_of a
      cross join lateral (select ${highest} as k_max) h
    ),
    running as (
      -- The stage running now (open escalations only), with its limit and unit.
      select r.*, r.stage_limits[r.k_max + 1] as running_limit, r.stage_calendar[r.k_max + 1] as running_calendar
      from reached r
      where r.running_clock_start is not null and r.stage_limits[r.k_max + 1] is not null
    ),
    stages as (
      -- One row per escalation and stage of its version: the stage's date (if reached by A) and when its clock started.
      select r.*, st.k, st.done_on, st.clock_start, r.stage_limits[st.k] as limit_days, r.stage_calendar[st.k] as limit_calendar
      from reached r
      cross join lateral (values
        ${stageRows}
      ) as st(k, done_on, clock_start)
      where r.stage_limits[st.k] is not null
    )`;
}

/**
 * Days from a to b in a stage's own unit (SQL): calendar days b − a, or working days from the
 * partnership's calendar numbers `c` (see calendarNumbers).
 */
export function daysInUnit(calendar: SQL, a: SQL, b: SQL): SQL {
  return sql`(case when ${calendar} then ${b} - ${a} else c.n[${b} - c.d0 + 1] - c.n[${a} - c.d0 + 1] end)`;
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
  /** Closed in the quarter under a version with a total limit, and those closed within it. */
  totalLimit: { closed: number; withinLimit: number };
}

/** The state of the partnership on a date: escalations overdue, and open after their final stage. */
export interface PointInTime {
  date: IsoDate;
  overdue: number;
  unresolvedAfterFinalStage: number;
  /** Open on the date under a version with a total limit, and past it. */
  overdueTotalLimit: number;
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
        select r.*, case when r.status = 'resolved' then c.n[r.closed - c.d0 + 1] - c.n[r.arose - c.d0 + 1] end as wd_close,
               -- Against the version's total limit, closure either way counts (resolved or withdrawn).
               case when r.total_limit is not null then c.n[r.closed - c.d0 + 1] - c.n[r.arose - c.d0 + 1] end as wd_total
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
        count(c.id) filter (where ${inQ("c.closed")} and c.total_limit is not null)::int as total_closed,
        count(c.id) filter (where ${inQ("c.closed")} and c.total_limit is not null and c.wd_total <= c.total_limit)::int as total_within,
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
    totalLimit: { closed: Number(row.total_closed), withinLimit: Number(row.total_within) },
  }));
}

/**
 * Overdue and unresolved-after-the-final-stage on each date: every escalation open then, whichever
 * quarter it was raised in, as it stood on that date.
 */
export async function escalationsPointInTime(db: Db, scope: MetricScope, dates: IsoDate[]): Promise<PointInTime[]> {
  const rows = await queryRows<{ date: string; overdue: number; unresolved: number; total_overdue: number }>(
    db,
    // Counted for every date in one pass over the escalations, grouped by date (a count per date
    // read all of them once per date: nine quarter ends, nine passes).
    sql`with ${escalationsAsOf(scope, dates)}, ${calendarNumbers(scope)},
      unresolved as (
        select r.as_of_date, count(*)::int as n from reached r where r.status = 'open' and r.k_max = r.stage_count group by r.as_of_date
      ),
      total_overdue as (
        select r.as_of_date, count(*)::int as n from reached r join calendar_numbers c on c.partnership_id = r.partnership_id
        where r.status = 'open' and r.total_limit is not null and c.n[r.as_of_date - c.d0 + 1] - c.n[r.arose - c.d0 + 1] > r.total_limit
        group by r.as_of_date
      ),
      overdue as (
        select s.as_of_date, count(*)::int as n from running s join calendar_numbers c on c.partnership_id = s.partnership_id
        where ${daysInUnit(sql`s.running_calendar`, sql`s.running_clock_start`, sql`s.as_of_date`)} > s.running_limit group by s.as_of_date
      )
      select d.a::text as date, coalesce(u.n, 0) as unresolved, coalesce(o.n, 0) as overdue, coalesce(t.n, 0) as total_overdue
      from (values ${sql.join(dates.map((d) => sql`(${d}::date)`), sql`, `)}) as d(a)
      left join unresolved u on u.as_of_date = d.a
      left join overdue o on o.as_of_date = d.a
      left join total_overdue t on t.as_of_date = d.a
      order by d.a`,
  );
  return rows.map((r) => ({ date: r.date, overdue: r.overdue, unresolvedAfterFinalStage: r.unresolved, overdueTotalLimit: r.total_overdue }));
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

/**
 * One stage's timescale in a quarter. The limit shown is that of the version in force on the
 * quarter's last day, in its unit (neither when that version has no such stage, or partnerships
 * reported together differ); `limitsVary` when a completion counted was judged against another.
 */
export interface StageTimescale {
  stage: number;
  limitWorkingDays?: number;
  limitCalendarDays?: number;
  completed: number;
  withinLimit: number;
  limitsVary?: true;
}

/** "k|limit|calendar" as the breakdowns' SQL keys a stage's limit. */
function splitLimitKey(key: string): { stage: number; limit: number | null; calendar: boolean } {
  const [stage, limit, calendar] = key.split("|");
  return { stage: Number(stage), limit: limit ? Number(limit) : null, calendar: calendar === "true" };
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
  /**
   * The total limit shown for the quarter (of the version in force on its last day; null when none
   * is, or partnerships differ), or undefined when no version in the scope sets one.
   */
  totalLimitWorkingDays?: number | null;
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
        select q.quarter, 'timescale', s.k || '|' || s.limit_days || '|' || s.limit_calendar, count(*)::int,
               count(*) filter (where ${daysInUnit(sql`s.limit_calendar`, sql`s.clock_start`, sql`s.done_on`)} <= s.limit_days)::int
          from stages s join ${quarters} on s.done_on between q.q_start and q.q_end
          join calendar_numbers c on c.partnership_id = s.partnership_id
          -- The same rows as the join alone; said first, it drops the undated stages before each meets every quarter.
          where s.done_on between ${scope.period.start}::date and ${scope.period.end}::date
          -- Each completion is judged by its own version's limit: grouped by it, to say where limits vary.
          group by q.quarter, s.k, s.limit_days, s.limit_calendar
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
        -- N: the most stages of any version in force on a day of the quarter.
        select q.quarter, 'stages', max(po.stage_count)::text, count(*)::int, null
          from procedure_of po join ${quarters} on po.in_force_from <= q.q_end and po.in_force_to > q.q_start group by q.quarter
        union all
        -- The limit each partnership's version in force on the quarter's last day sets for stage k (none: no such stage).
        select q.quarter, 'end_limit', k || '|' || coalesce(po.stage_limits[k]::text, '') || '|' || coalesce(po.stage_calendar[k]::text, ''), count(*)::int, null
          from procedure_of po join ${quarters} on po.in_force_from <= q.q_end and po.in_force_to > q.q_end
          cross join generate_series(1, ${sql.raw(String(STAGE_NUMBERS.length))}) k
          group by q.quarter, k, po.stage_limits[k], po.stage_calendar[k]
        union all
        -- The total limit of each partnership's version in force on the quarter's last day, and whether any version has one.
        select q.quarter, 'end_total', coalesce(po.total_limit::text, ''), count(*)::int, null
          from procedure_of po join ${quarters} on po.in_force_from <= q.q_end and po.in_force_to > q.q_end
          group by q.quarter, po.total_limit
        union all
        select null, 'any_total', '', count(*)::int, null from procedure_of po where po.total_limit is not null`,
  );
  const partnershipCount = scope.partnershipIds.length;
  return scope.quarters.map((quarter) => {
    const of = (dimension: string) => rows.filter((r) => r.quarter === quarter && r.dimension === dimension);
    const toMap = (dimension: string) =>
      Object.fromEntries(of(dimension).map((r) => [r.key, r.count] as const).sort(([a], [b]) => a.localeCompare(b)));
    const stageCount = Number(of("stages")[0]?.key ?? 0);
    const endLimits = of("end_limit").map((r) => ({ ...splitLimitKey(r.key), partnerships: r.count }));
    const done = of("timescale").map((r) => ({ ...splitLimitKey(r.key), completed: r.count, within: r.within ?? 0 }));
    const stageReached: Record<string, number> = {};
    const timescale: StageTimescale[] = [];
    for (let k = 1; k <= stageCount; k++) {
      stageReached[String(k)] = of("stage").find((r) => r.key === String(k))?.count ?? 0;
      // The limit shown: that of the version in force on the quarter's last day, when every partnership's sets the same.
      const atEnd = endLimits.filter((l) => l.stage === k);
      const shown = atEnd.length === 1 && atEnd[0]!.limit !== null && atEnd[0]!.partnerships === partnershipCount ? atEnd[0]! : null;
      const counted = done.filter((d) => d.stage === k);
      const vary = counted.some((d) => d.completed > 0 && (!shown || d.limit !== shown.limit || d.calendar !== shown.calendar));
      timescale.push({
        stage: k,
        ...(shown ? (shown.calendar ? { limitCalendarDays: shown.limit! } : { limitWorkingDays: shown.limit! }) : {}),
        completed: counted.reduce((n, d) => n + d.completed, 0),
        withinLimit: counted.reduce((n, d) => n + d.within, 0),
        ...(vary ? { limitsVary: true as const } : {}),
      });
    }
    const themesByReceivingAgency = of("receiving_theme")
      .map((r) => {
        const [receivingAgency, theme] = r.key.split("\u001f") as [string, string];
        return { receivingAgency, theme, count: r.count };
      })
      .sort((a, b) => a.receivingAgency.localeCompare(b.receivingAgency) || a.theme.localeCompare(b.theme));
    // Only for partnerships some version of which sets a total limit; its limit shown as for the stages.
    const anyTotal = (rows.find((r) => r.dimension === "any_total")?.count ?? 0) > 0;
    const endTotals = of("end_total");
    const totalShown = endTotals.length === 1 && endTotals[0]!.key !== "" && endTotals[0]!.count === partnershipCount ? Number(endTotals[0]!.key) : null;
    return {
      quarter,
      stageReached,
      totalLimitWorkingDays: anyTotal ? totalShown : undefined,
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
