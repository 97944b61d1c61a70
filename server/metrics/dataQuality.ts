/**
 * Data quality per agency and quarter, for the partnerships chosen: what each agency uploaded, why
 * rows were rejected, stages skipped in its escalations, when it last uploaded, and the months it
 * sent nothing. Counted over uploads still in force (an undone upload no longer counts).
 */
import { sql } from "drizzle-orm";
import { STAGE_NUMBERS } from "../reference/procedureVersions";
import { queryRows, type Db } from "../../db/client";
import { addCalendarMonths, type IsoDate } from "../calendar/dates";
import { quarterPeriod, quarterRange, type Quarter } from "../calendar/quarters";
import { resolveScope } from "./scope";

export interface AgencyQuarterQuality {
  agency: string;
  quarter: Quarter;
  rowsUploaded: number;
  rowsRejected: number;
  /** Faults by kind (a rejected row with two faults counts under each). */
  rejectsByReason: Record<string, number>;
  /** Escalations (concern arising in the quarter) with a stage left empty below a dated one. */
  skippedStageRows: number;
  monthsWithNoUpload: string[];
}

export interface DataQuality {
  quarters: Quarter[];
  agencies: Array<{ agency: string; name: string; lastUploadOn: IsoDate | null }>;
  rows: AgencyQuarterQuality[];
}

export async function getDataQuality(db: Db, params: { partnerships: string[]; from: Quarter; to: Quarter }): Promise<DataQuality> {
  const quarters = quarterRange(params.from, params.to);
  const scope = await resolveScope(db, { partnerships: params.partnerships, quarter: params.to, asOf: quarterPeriod(params.to).end });
  const ids = sql.join(scope.partnershipIds.map((id) => sql`${id}`), sql`, `);
  const first = quarterPeriod(params.from).start;
  const last = quarterPeriod(params.to).end;
  const months = [];
  for (let m = first; m <= last; m = addCalendarMonths(m, 1)) months.push(m.slice(0, 7));

  const members = await queryRows<{ id: number; code: string; name: string; last_upload: string | null }>(
    db,
    sql`select a.id, a.code, a.name,
          (select max((b.uploaded_at at time zone 'Europe/London')::date)::text from import_batches b
            where b.agency_id = a.id and b.status = 'in_force' and (b.uploaded_at at time zone 'Europe/London')::date <= ${last}::date) as last_upload
        from agencies a
        where exists (select 1 from agency_partnerships m where m.agency_id = a.id and m.partnership_id in (${ids}))
        order by a.code`,
  );
  const uploads = await queryRows<{ agency_id: number; month: string; rows: number; rejected: number }>(
    db,
    sql`select b.agency_id, to_char((b.uploaded_at at time zone 'Europe/London')::date, 'YYYY-MM') as month,
               sum(b.rows_read)::int as rows, sum(b.rejected)::int as rejected
        from import_batches b
        where b.status = 'in_force' and (b.uploaded_at at time zone 'Europe/London')::date between ${first}::date and ${last}::date
        group by 1, 2`,
  );
  const reasons = await queryRows<{ agency_id: number; month: string; rule: string; count: number }>(
    db,
    sql`select b.agency_id, to_char((b.uploaded_at at time zone 'Europe/London')::date, 'YYYY-MM') as month,
               coalesce(f.value->>'rule', 'other') as rule, count(*)::int as count
        from import_batches b join import_rejects r on r.batch_id = b.id
        cross join lateral jsonb_array_elements(r.faults) as f(value)
        where b.status = 'in_force' and (b.uploaded_at at time zone 'Europe/London')::date between ${first}::date and ${last}::date
        group by 1, 2, 3`,
  );
  const skippedStageSql = sql.raw(
    STAGE_NUMBERS.slice(0, -1)
      .map((k) => `(e.stage${k}_on is null and coalesce(${STAGE_NUMBERS.slice(k).map((j) => `e.stage${j}_on`).join(", ")}) is not null)`)
      .join(" or "),
  );
  const skipped = await queryRows<{ agency_id: number; month: string; count: number }>(
    db,
    sql`select e.agency_id, to_char(e.concern_arose_on, 'YYYY-MM') as month, count(*)::int as count
        from escalations e
        where e.partnership_id in (${ids}) and e.concern_arose_on between ${first}::date and ${last}::date
          -- A stage left empty below a later dated one was skipped.
          and (${skippedStageSql})
        group by 1, 2`,
  );

  const inQuarter = (month: string, quarter: Quarter) => {
    const { start, end } = quarterPeriod(quarter);
    return `${month}-01` >= start && `${month}-01` <= end;
  };
  const rows: AgencyQuarterQuality[] = [];
  for (const agency of members) {
    for (const quarter of quarters) {
      const mine = <T extends { agency_id: number; month: string }>(list: T[]) => list.filter((r) => r.agency_id === agency.id && inQuarter(r.month, quarter));
      const byReason: Record<string, number> = {};
      for (const r of mine(reasons)) byReason[r.rule] = (byReason[r.rule] ?? 0) + r.count;
      const uploadedMonths = new Set(mine(uploads).map((u) => u.month));
      rows.push({
        agency: agency.code,
        quarter,
        rowsUploaded: mine(uploads).reduce((n, u) => n + u.rows, 0),
        rowsRejected: mine(uploads).reduce((n, u) => n + u.rejected, 0),
        rejectsByReason: Object.fromEntries(Object.entries(byReason).sort(([a], [b]) => a.localeCompare(b))),
        skippedStageRows: mine(skipped).reduce((n, s) => n + s.count, 0),
        monthsWithNoUpload: months.filter((m) => inQuarter(m, quarter) && !uploadedMonths.has(m)),
      });
    }
  }
  return { quarters, agencies: members.map((m) => ({ agency: m.code, name: m.name, lastUploadOn: m.last_upload })), rows };
}
