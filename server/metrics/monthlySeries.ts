/**
 * The six monthly series of METRICS.md's statistical process control, over the 24 calendar months
 * ending with the quarter's last month, as of A, and their XmR charts. Counted in the database: one
 * statement for the escalation series, one for dissent, and the point-in-time overdue count at each
 * month end (with that month end as the as-of date).
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { addDays, type IsoDate } from "../calendar/dates";
import { addQuarters, quarterPeriod, type Quarter } from "../calendar/quarters";
import { calendarNumbers, daysInUnit, escalationsAsOf, escalationsPointInTime } from "./escalationMeasures";
import { dissentFilter, partnershipIdList, resolveScope, type MetricScope, type ScopeParams } from "./scope";
import { xmrChart, type Polarity, type SpcChart } from "./spc";

export const SPC_MEASURES = ["raised", "withinLimitPct", "resolvedAtLowestLevelPct", "overdueAtMonthEnd", "dissentCount", "chairFollowUpWithinLimitPct"] as const;
export type SpcMeasure = (typeof SPC_MEASURES)[number];

export const SPC_POLARITY: Record<SpcMeasure, Polarity> = {
  raised: "neutral",
  withinLimitPct: "higher_is_better",
  resolvedAtLowestLevelPct: "higher_is_better",
  overdueAtMonthEnd: "lower_is_better",
  dissentCount: "neutral",
  chairFollowUpWithinLimitPct: "higher_is_better",
};

/** How many months a series covers. */
export const SPC_MONTHS = 24;

export type Spc = Record<SpcMeasure, SpcChart>;

/** A month's value with what it is made of (for disclosure control: the counts behind a percentage). */
export interface MonthValue {
  month: string;
  value: number | null;
  numerator: number;
  denominator: number | null;
}

export type MonthlySeries = Record<SpcMeasure, MonthValue[]>;

interface Month {
  month: string;
  start: IsoDate;
  end: IsoDate;
}

/** The 24 months ending with the quarter's last month, oldest first. */
export function spcMonths(quarter: Quarter): Month[] {
  const end = quarterPeriod(quarter).end;
  const [y, m] = end.split("-").map(Number) as [number, number];
  return Array.from({ length: SPC_MONTHS }, (_, i) => {
    const index = y * 12 + (m - 1) - (SPC_MONTHS - 1 - i);
    const year = Math.floor(index / 12);
    const month = String((index % 12) + 1).padStart(2, "0");
    const start = `${year}-${month}-01`;
    const nextIndex = index + 1;
    const next = `${Math.floor(nextIndex / 12)}-${String((nextIndex % 12) + 1).padStart(2, "0")}-01`;
    return { month: `${year}-${month}`, start, end: addDays(next, -1) };
  });
}

/** The scope of the 24 months: the eight quarters ending with the report's quarter. */
export async function spcScope(db: Db, params: Omit<ScopeParams, "from">): Promise<MetricScope> {
  return resolveScope(db, { ...params, from: addQuarters(params.quarter, -(SPC_MONTHS / 3 - 1)) });
}

const pct = (num: string, den: string) => `round(100.0 * ${num} / nullif(${den}, 0), 1)`;

/** The six series, exact, for a scope of eight quarters (spcScope). */
export async function getMonthlySeries(db: Db, scope: MetricScope): Promise<MonthlySeries> {
  const months = spcMonths(scope.quarter);
  const monthRelation = sql`(values ${sql.join(months.map((m) => sql`(${m.month}::text, ${m.start}::date, ${m.end}::date)`), sql`, `)}) as m(month, m_start, m_end)`;
  const escalationRows = await queryRows<{ month: string; measure: string; num: number; den: number | null; value: string | null }>(
    db,
    sql`with ${escalationsAsOf(scope)}, ${calendarNumbers(scope)},
        completions as (
          select s.done_on, (${daysInUnit(sql`s.limit_calendar`, sql`s.clock_start`, sql`s.done_on`)} <= s.limit_days) as within
          from stages s join calendar_numbers c on c.partnership_id = s.partnership_id
          where s.done_on between ${scope.period.start}::date and ${scope.period.end}::date
        )
        select m.month, 'raised' as measure, count(*)::int as num, null::int as den, null::text as value
          from reached r join ${monthRelation} on r.arose between m.m_start and m.m_end group by m.month
        union all
        select m.month, 'withinLimitPct', count(*) filter (where x.within)::int, count(*)::int,
               ${sql.raw(pct("count(*) filter (where x.within)", "count(*)"))}::text
          from completions x join ${monthRelation} on x.done_on between m.m_start and m.m_end group by m.month
        union all
        select m.month, 'resolvedAtLowestLevelPct', count(*) filter (where r.stage_reached <= 2)::int, count(*)::int,
               ${sql.raw(pct("count(*) filter (where r.stage_reached <= 2)", "count(*)"))}::text
          from reached r join ${monthRelation} on r.status = 'resolved' and r.closed between m.m_start and m.m_end group by m.month`,
  );
  const ids = partnershipIdList(scope);
  const followedUpInTime = sql`d.chair_followup_on <= ${scope.asOf}::date
    and (select cb.working_day_number from calendar_days cb where cb.partnership_id = d.partnership_id and cb.date = d.chair_followup_on)
      - (select ca.working_day_number from calendar_days ca where ca.partnership_id = d.partnership_id and ca.date = d.conference_date)
      <= p.chair_follow_up_limit_working_days`;
  const dissentRows = await queryRows<{ month: string; count: number; follow_up: number; value: string | null }>(
    db,
    sql`select m.month, count(*)::int as count, count(*) filter (where ${followedUpInTime})::int as follow_up,
               round(100.0 * count(*) filter (where ${followedUpInTime}) / nullif(count(*), 0), 1)::text as value
        from dissents d join partnerships p on p.id = d.partnership_id
        join ${monthRelation} on d.conference_date between m.m_start and m.m_end
        where d.partnership_id in (${ids}) and ${dissentFilter(scope.filter)}
        group by m.month`,
  );
  const overdue = await escalationsPointInTime(db, scope, months.map((m) => m.end));

  const fromRows = (measure: string): MonthValue[] =>
    months.map((m) => {
      const row = escalationRows.find((r) => r.month === m.month && r.measure === measure);
      if (measure === "raised") return { month: m.month, value: row?.num ?? 0, numerator: row?.num ?? 0, denominator: null };
      return { month: m.month, value: row?.value == null ? null : Number(row.value), numerator: row?.num ?? 0, denominator: row?.den ?? 0 };
    });
  return {
    raised: fromRows("raised"),
    withinLimitPct: fromRows("withinLimitPct"),
    resolvedAtLowestLevelPct: fromRows("resolvedAtLowestLevelPct"),
    overdueAtMonthEnd: months.map((m, i) => ({ month: m.month, value: overdue[i]!.overdue, numerator: overdue[i]!.overdue, denominator: null })),
    dissentCount: months.map((m) => {
      const n = dissentRows.find((r) => r.month === m.month)?.count ?? 0;
      return { month: m.month, value: n, numerator: n, denominator: null };
    }),
    chairFollowUpWithinLimitPct: months.map((m) => {
      const row = dissentRows.find((r) => r.month === m.month);
      return { month: m.month, value: row?.value == null ? null : Number(row.value), numerator: row?.follow_up ?? 0, denominator: row?.count ?? 0 };
    }),
  };
}

/**
 * The target each measure is held to: a partnership's own, or for several partnerships together
 * only a target every one of them sets alike (METRICS.md).
 */
export async function spcTargets(db: Db, scope: Pick<MetricScope, "partnershipIds">): Promise<Partial<Record<SpcMeasure, number>>> {
  const rows = await queryRows<{ targets: Record<string, number> | null }>(
    db,
    sql`select targets from partnerships where id in (${partnershipIdList(scope)})`,
  );
  const out: Partial<Record<SpcMeasure, number>> = {};
  for (const measure of SPC_MEASURES) {
    const values = rows.map((r) => r.targets?.[measure]);
    if (values.length > 0 && values.every((v) => typeof v === "number" && v === values[0])) out[measure] = values[0]!;
  }
  return out;
}

/** The XmR chart of each series. */
export function spcCharts(series: MonthlySeries, targets: Partial<Record<SpcMeasure, number>>): Spc {
  return Object.fromEntries(
    SPC_MEASURES.map((measure) => [
      measure,
      xmrChart({
        months: series[measure].map((m) => m.month),
        values: series[measure].map((m) => m.value),
        polarity: SPC_POLARITY[measure],
        target: targets[measure] ?? null,
      }),
    ]),
  ) as Spc;
}

/** The `spc` part of the board report for partnership(s), quarter and as-of. */
export async function getSpc(db: Db, params: Omit<ScopeParams, "from">): Promise<{ spc: Spc; series: MonthlySeries }> {
  const scope = await spcScope(db, params);
  const [series, targets] = await Promise.all([getMonthlySeries(db, scope), spcTargets(db, scope)]);
  return { spc: spcCharts(series, targets), series };
}
