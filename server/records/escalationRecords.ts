/**
 * Escalations one by one, pseudonymised: the records table (for scrutineers, admins and agency
 * leads) and one record's stage timeline in working days against the limits. The child is shown
 * only as the first 8 characters of the keyed hash of its reference: enough to see that several
 * escalations concern one child, never who the child is.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { CALENDAR_START, todayInLondon, type IsoDate } from "../calendar/dates";
import { InvalidRequestError, NotFoundError } from "../errors";
import { escalationsAsOf, wd } from "../metrics/escalationMeasures";
import { resolveScope, type ScopeParams } from "../metrics/scope";

/** More rows than a browser table serves well; narrow the filters instead. */
export const RECORDS_LIMIT = 100_000;

export interface EscalationRecordRow {
  partnership: string;
  id: number;
  recordRef: string;
  childPseudonym: string | null;
  uploadedBy: string;
  raisingAgency: string;
  receivingAgency: string;
  concernAroseOn: IsoDate;
  stageReached: number;
  stageCount: number;
  status: string;
  closedOn: IsoDate | null;
  themes: string;
  /** Working days from the concern to closure, or to the as-of date while open. */
  workingDaysOpen: number;
  /** Working days past the current stage's limit (open escalations overdue at A), else 0. */
  workingDaysOverdue: number;
}

export interface RecordListParams extends Omit<ScopeParams, "agencyRole"> {
  /** Only escalations this agency uploaded, raised or received (an agency lead's view). */
  involvingAgency?: string | null;
}

/** Escalations whose concern arose in the quarters chosen, as they stood on A, newest first. */
export async function listEscalationRecords(db: Db, params: RecordListParams): Promise<EscalationRecordRow[]> {
  const { rows } = await queryRecords(db, params, RECORDS_LIMIT + 1, false);
  if (rows.length > RECORDS_LIMIT) {
    throw new InvalidRequestError(
      `More than ${RECORDS_LIMIT.toLocaleString("en-GB")} escalations match. Choose fewer partnerships or quarters, or an agency or theme.`,
    );
  }
  return rows;
}

/** The first `count` records of the list (newest first) and how many there are: the records page's first screen. */
export async function firstEscalationRecords(db: Db, params: RecordListParams, count: number): Promise<{ total: number; rows: EscalationRecordRow[] }> {
  return queryRecords(db, params, count, true);
}

async function queryRecords(db: Db, params: RecordListParams, limit: number, counted: boolean): Promise<{ total: number; rows: EscalationRecordRow[] }> {
  const scope = await resolveScope(db, { ...params, agencyRole: "either" });
  const asOf = sql`${scope.asOf}::date`;
  const involving = params.involvingAgency
    ? sql`and exists (select 1 from agencies ia where lower(ia.code) = lower(${params.involvingAgency})
        and ia.id in (r.uploaded_by_id, r.raising_agency_id, r.receiving_agency_id))`
    : sql``;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with ${escalationsAsOf(scope)},
      listed as (
        select r.*, ${counted ? sql`count(*) over ()` : sql`null::bigint`} as total from reached r
        where r.arose between ${scope.period.start}::date and ${scope.period.end}::date ${involving}
        -- The first page needs the newest rows; the whole list is sorted once, below (the limit only guards its size).
        ${counted ? sql`order by r.arose desc, r.partnership_id, r.id` : sql``}
        limit ${limit}
      )
      -- Working days are looked up only for the rows returned.
      select p.code as partnership, r.id, r.record_ref, left(r.child_ref_hash, 8) as child, r.total,
             up.code as uploaded_by, ra.code as raising, rc.code as receiving, r.arose::text as arose,
             r.stage_reached, r.stage_count, r.status, r.closed::text as closed, array_to_string(r.themes, ' ') as themes,
             ${wd(sql`r.partnership_id`, sql`r.arose`, sql`coalesce(r.closed, ${asOf})`)} as working_days_open,
             case when r.running_clock_start is not null
                  then greatest(case when r.stage_calendar[r.k_max + 1] then ${asOf} - r.running_clock_start
                                     else ${wd(sql`r.partnership_id`, sql`r.running_clock_start`, asOf)} end - r.stage_limits[r.k_max + 1], 0)
                  else 0 end as overdue
      from listed r
      join partnerships p on p.id = r.partnership_id
      join agencies up on up.id = r.uploaded_by_id
      join agencies ra on ra.id = r.raising_agency_id
      join agencies rc on rc.id = r.receiving_agency_id
      order by r.arose desc, r.partnership_id, r.id`,
  );
  return {
    total: rows.length ? Number(rows[0]!.total) : 0,
    rows: rows.map((r) => ({
      partnership: String(r.partnership),
      id: Number(r.id),
      recordRef: String(r.record_ref),
      childPseudonym: r.child === null ? null : String(r.child),
      uploadedBy: String(r.uploaded_by),
      raisingAgency: String(r.raising),
      receivingAgency: String(r.receiving),
      concernAroseOn: String(r.arose),
      stageReached: Number(r.stage_reached),
      stageCount: Number(r.stage_count),
      status: String(r.status),
      closedOn: r.closed === null ? null : String(r.closed),
      themes: String(r.themes),
      workingDaysOpen: Number(r.working_days_open),
      workingDaysOverdue: Number(r.overdue),
    })),
  };
}

export type StageState = "within" | "late" | "running" | "overdue" | "skipped" | "not_reached";

export interface StageOnTimeline {
  number: number;
  name: string;
  /** The stage's limit, in `limitUnit` days (the name is older than calendar-day limits). */
  limitWorkingDays: number;
  limitUnit: "working" | "calendar";
  on: IsoDate | null;
  clockStartedOn: IsoDate | null;
  /** Days (in the stage's unit) the stage took (to its date), or has run so far (to A); null when not reached. */
  workingDays: number | null;
  state: StageState;
}

export interface EscalationRecord {
  partnership: string;
  partnershipName: string;
  id: number;
  recordRef: string;
  childPseudonym: string | null;
  uploadedBy: string;
  raisingAgency: { code: string; name: string };
  receivingAgency: { code: string; name: string };
  concernAroseOn: IsoDate;
  themes: string[];
  status: string;
  closedOn: IsoDate | null;
  learningDisseminatedOn: IsoDate | null;
  stageReached: number;
  version: number;
  asOf: IsoDate;
  stages: StageOnTimeline[];
  /** The procedure version that judges this escalation: the one in force on its concern date. */
  procedureVersion: { name: string; effectiveFrom: IsoDate; totalLimitWorkingDays: number | null };
  /** Who involved in the record (uploader, raiser, receiver), for the access check. */
  agencies: string[];
}

/** One escalation as it stood on A (default today), with each stage's clock. */
export async function getEscalationRecord(db: Db, params: { partnership: string; id: number; asOf?: IsoDate }): Promise<EscalationRecord> {
  const asOf = params.asOf ?? todayInLondon();
  const scope = await resolveScope(db, { partnerships: [params.partnership], quarter: "2015-Q1", asOf });
  const view = { ...scope, period: { start: CALENDAR_START, end: asOf } };
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with ${escalationsAsOf(view)}
      select p.code as partnership, p.name as partnership_name, s.id, e.record_ref_as_uploaded as record_ref, left(e.child_ref_hash, 8) as child,
             up.code as uploaded_by, ra.code as raising, ra.name as raising_name, rc.code as receiving, rc.name as receiving_name,
             s.arose::text as arose, s.themes, s.status, s.closed::text as closed, s.learning::text as learning, s.stage_reached, s.k_max,
             e.version, s.k, ps.name as stage_name, s.limit_days, s.limit_calendar, s.done_on::text as done_on, s.clock_start::text as clock_start,
             pv.name as version_name, pv.effective_from::text as version_from, pv.total_limit_working_days as total_limit,
             -- Days in the stage's own unit: calendar days, or working days.
             case when s.limit_calendar then s.done_on - s.clock_start else cd.working_day_number - cs.working_day_number end as wd_done,
             case when s.limit_calendar then ${asOf}::date - s.clock_start else ca.working_day_number - cs.working_day_number end as wd_running
      from stages s
      join escalations e on e.partnership_id = s.partnership_id and e.id = s.id
      join partnerships p on p.id = s.partnership_id
      join procedure_versions pv on pv.id = s.version_id
      join procedure_version_stages ps on ps.version_id = s.version_id and ps.number = s.k
      join agencies up on up.id = e.agency_id
      join agencies ra on ra.id = s.raising_agency_id
      join agencies rc on rc.id = s.receiving_agency_id
      join calendar_days cs on cs.partnership_id = s.partnership_id and cs.date = s.clock_start
      left join calendar_days cd on cd.partnership_id = s.partnership_id and cd.date = s.done_on
      join calendar_days ca on ca.partnership_id = s.partnership_id and ca.date = ${asOf}::date
      where s.id = ${params.id}
      order by s.k`,
  );
  const first = rows[0];
  if (!first) throw new NotFoundError(`There is no escalation ${params.id} in ${params.partnership} as of ${asOf}.`);
  const open = first.status === "open";
  const reached = Number(first.stage_reached);
  const kMax = Number(first.k_max);
  const stages = rows.map((r): StageOnTimeline => {
    const k = Number(r.k);
    const limit = Number(r.limit_days);
    const on = r.done_on === null ? null : String(r.done_on);
    let state: StageState;
    let workingDays: number | null = null;
    if (on) {
      workingDays = Number(r.wd_done);
      state = workingDays <= limit ? "within" : "late";
    } else if (k < kMax) {
      state = "skipped";
    } else if (open && k === reached) {
      workingDays = Number(r.wd_running);
      state = workingDays > limit ? "overdue" : "running";
    } else {
      state = "not_reached";
    }
    return { number: k, name: String(r.stage_name), limitWorkingDays: limit, limitUnit: r.limit_calendar === true ? "calendar" : "working", on, clockStartedOn: state === "not_reached" || state === "skipped" ? null : String(r.clock_start), workingDays, state };
  });
  return {
    partnership: String(first.partnership),
    partnershipName: String(first.partnership_name),
    id: Number(first.id),
    recordRef: String(first.record_ref),
    childPseudonym: first.child === null ? null : String(first.child),
    uploadedBy: String(first.uploaded_by),
    raisingAgency: { code: String(first.raising), name: String(first.raising_name) },
    receivingAgency: { code: String(first.receiving), name: String(first.receiving_name) },
    concernAroseOn: String(first.arose),
    themes: first.themes as string[],
    status: String(first.status),
    closedOn: first.closed === null ? null : String(first.closed),
    learningDisseminatedOn: first.learning === null ? null : String(first.learning),
    stageReached: reached,
    version: Number(first.version),
    asOf,
    stages,
    procedureVersion: {
      name: String(first.version_name),
      effectiveFrom: String(first.version_from),
      totalLimitWorkingDays: first.total_limit === null ? null : Number(first.total_limit),
    },
    agencies: [...new Set([String(first.uploaded_by), String(first.raising), String(first.receiving)])],
  };
}
