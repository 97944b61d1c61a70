/**
 * Procedure versions (METRICS.md, "Procedure versions, limit units and a total limit"): a
 * partnership's procedure as it stood from each `effectiveFrom`. An escalation is judged by the
 * version in force on its concern date; the first version is in force from the calendar's first day.
 */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { MAX_STAGES } from "../../db/schema";
import { CALENDAR_START, type IsoDate } from "../calendar/dates";

export { MAX_STAGES };

export type LimitUnit = "working" | "calendar";

export interface VersionStage {
  number: number;
  name: string;
  level: string | null;
  limitDays: number;
  limitUnit: LimitUnit;
}

export interface ProcedureVersion {
  id: number;
  partnershipId: number;
  partnershipCode: string;
  /** As configured; the first version is in force from the calendar's first day whatever it says. */
  effectiveFrom: IsoDate;
  /** The day the next version takes over (exclusive), or null for the version in force now. */
  effectiveUntil: IsoDate | null;
  name: string;
  stageWord: string;
  learningWithinMonths: number;
  totalLimitWorkingDays: number | null;
  stages: VersionStage[];
}

/** Stage numbers 1..MAX_STAGES, for SQL and forms that go through every stage column. */
export const STAGE_NUMBERS: number[] = Array.from({ length: MAX_STAGES }, (_, i) => i + 1);

/**
 * One row per procedure version of the partnerships named (an SQL list of ids), with the dates it
 * is in force [in_force_from, in_force_to) — the first from the beginning of time, so that every
 * escalation has exactly one — and its stages as arrays read by position: `stage_limits[k]` (null
 * when the version has no stage k), `stage_calendar[k]` (true for a limit in calendar days).
 */
export function versionsInForceSql(partnershipIds: SQL): SQL {
  return sql`
    select v.id as version_id, v.partnership_id, v.name as version_name, v.effective_from,
           case when lag(v.effective_from) over w is null then '-infinity'::date else v.effective_from end as in_force_from,
           coalesce(lead(v.effective_from) over w, 'infinity'::date) as in_force_to,
           v.learning_within_months, v.total_limit_working_days as total_limit,
           (select count(*)::int from procedure_version_stages s where s.version_id = v.id) as stage_count,
           array(select s.limit_days from generate_series(1, ${sql.raw(String(MAX_STAGES))}) k
                 left join procedure_version_stages s on s.version_id = v.id and s.number = k order by k) as stage_limits,
           array(select s.limit_unit = 'calendar' from generate_series(1, ${sql.raw(String(MAX_STAGES))}) k
                 left join procedure_version_stages s on s.version_id = v.id and s.number = k order by k) as stage_calendar
    from procedure_versions v
    where v.partnership_id in (${partnershipIds})
    window w as (partition by v.partnership_id order by v.effective_from)`;
}

/** The highest stage dated on an escalation row (0 when none is), as SQL over `alias`'s stage columns. */
export function highestStageSql(alias: string): SQL {
  const cases = [...STAGE_NUMBERS].reverse().map((k) => `when ${alias}.stage${k}_on is not null then ${k}`);
  return sql.raw(`(case ${cases.join(" ")} else 0 end)`);
}

/** Every version of the partnerships (all when none are named), oldest first within each. */
export async function listProcedureVersions(db: Db, partnershipCodes?: string[]): Promise<ProcedureVersion[]> {
  const only = partnershipCodes ? sql`where p.code in (${sql.join(partnershipCodes.length ? partnershipCodes.map((c) => sql`${c}`) : [sql`null`], sql`, `)})` : sql``;
  const rows = await queryRows<{
    id: number;
    partnership_id: number;
    partnership_code: string;
    effective_from: string;
    effective_until: string | null;
    name: string;
    stage_word: string;
    learning_within_months: number;
    total_limit_working_days: number | null;
    stages: VersionStage[] | null;
  }>(
    db,
    sql`select v.id, v.partnership_id, p.code as partnership_code, v.effective_from::text as effective_from,
          (lead(v.effective_from) over (partition by v.partnership_id order by v.effective_from))::text as effective_until,
          v.name, v.stage_word, v.learning_within_months, v.total_limit_working_days,
          (select json_agg(json_build_object('number', s.number, 'name', s.name, 'level', s.level,
                                             'limitDays', s.limit_days, 'limitUnit', s.limit_unit) order by s.number)
             from procedure_version_stages s where s.version_id = v.id) as stages
        from procedure_versions v join partnerships p on p.id = v.partnership_id
        ${only}
        order by p.code, v.effective_from`,
  );
  return rows.map((r) => ({
    id: r.id,
    partnershipId: r.partnership_id,
    partnershipCode: r.partnership_code,
    effectiveFrom: r.effective_from,
    effectiveUntil: r.effective_until,
    name: r.name,
    stageWord: r.stage_word,
    learningWithinMonths: r.learning_within_months,
    totalLimitWorkingDays: r.total_limit_working_days,
    stages: r.stages ?? [],
  }));
}

/** The version of a partnership's list in force on a date (the first one before any later takes over). */
export function versionOn<V extends Pick<ProcedureVersion, "effectiveFrom">>(versions: V[], date: IsoDate): V | undefined {
  let found: V | undefined = versions[0];
  for (const v of versions) if (v.effectiveFrom <= date) found = v;
  return found;
}

/** "2 working days", "14 calendar days". */
export function describeLimit(days: number, unit: LimitUnit): string {
  return `${days} ${unit === "calendar" ? "calendar" : "working"} day${days === 1 ? "" : "s"}`;
}

export const FIRST_CALENDAR_DAY: IsoDate = CALENDAR_START;
