/**
 * The overview: the quarter's headline figures with their trend (so the change on last quarter and
 * on the same quarter last year), the state on the as-of date, and what needs attention: recurring
 * themes, and agencies whose last upload is more than a calendar month old.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { addCalendarMonths, todayInLondon, type IsoDate } from "../calendar/dates";
import type { Quarter } from "../calendar/quarters";
import { escalationsPointInTime, recurringThemes, type PointInTime, type RecurringTheme } from "./escalationMeasures";
import { getTrends, type TrendPoint } from "./operational";
import { partnershipIdList, resolveScope } from "./scope";

export interface LateAgency {
  agency: string;
  name: string;
  lastUploadOn: IsoDate | null;
}

export interface Overview {
  asOf: IsoDate;
  /** Nine quarters ending with the one chosen: enough for the change on the same quarter last year. */
  trends: TrendPoint[];
  atAsOf: PointInTime;
  recurringThemes: RecurringTheme[];
  lateAgencies: LateAgency[];
}

export async function getOverview(db: Db, params: { partnerships: string[]; quarter: Quarter; asOf?: IsoDate; agency?: string; theme?: string }): Promise<Overview> {
  const asOf = params.asOf ?? todayInLondon();
  const scope = await resolveScope(db, { ...params, asOf });
  const monthAgo = addCalendarMonths(asOf, -1);
  // Independent reads: concurrent on a server's pool (the embedded database takes them in turn).
  const [trends, [atAsOf], recurring, late] = await Promise.all([
    getTrends(db, { ...params, quarters: 9, to: params.quarter, asOf }),
    escalationsPointInTime(db, scope, [asOf]),
    recurringThemes(db, scope),
    queryRows<{ code: string; name: string; last_upload: string | null }>(
      db,
      sql`select a.code, a.name,
            (select max((b.uploaded_at at time zone 'Europe/London')::date)::text from import_batches b
              where b.agency_id = a.id and b.status = 'in_force' and (b.uploaded_at at time zone 'Europe/London')::date <= ${asOf}::date) as last_upload
          from agencies a
          where exists (select 1 from agency_partnerships m where m.agency_id = a.id and m.partnership_id in (${partnershipIdList(scope)}))
          order by last_upload nulls first, a.code`,
    ),
  ]);
  return {
    asOf,
    trends,
    atAsOf: atAsOf!,
    recurringThemes: recurring,
    lateAgencies: late.filter((a) => a.last_upload === null || a.last_upload < monthAgo).map((a) => ({ agency: a.code, name: a.name, lastUploadOn: a.last_upload })),
  };
}
