import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";

export interface AgencySummary {
  code: string;
  name: string;
  sector: string;
  partnerships: string[];
}

export async function listAgencies(db: Db): Promise<AgencySummary[]> {
  return queryRows<AgencySummary & Record<string, unknown>>(
    db,
    sql`select a.code, a.name, a.sector,
          coalesce((select array_agg(p.code order by p.code) from agency_partnerships m join partnerships p on p.id = m.partnership_id
                    where m.agency_id = a.id), '{}') as partnerships
        from agencies a order by a.name`,
  );
}
