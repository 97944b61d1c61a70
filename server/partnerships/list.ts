import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import type { QuarterLabelling } from "../calendar/quarters";
import { NotFoundError } from "../errors";

export interface PartnershipSummary {
  code: string;
  name: string;
  /** The name of the procedure version in force today; null while set-up has not reached the procedure. */
  procedureName: string | null;
  stageWord: string;
  quarterLabels: QuarterLabelling;
}

// The version in force today (Europe/London): the latest whose effective date has come, or the first.
const summary = (where: ReturnType<typeof sql>) => sql`
  select p.id, p.code, p.name, p.quarter_labels, v.name as procedure_name, v.stage_word
  from partnerships p
  left join lateral (
    select pv.name, pv.stage_word from procedure_versions pv where pv.partnership_id = p.id
    order by (pv.effective_from <= (now() at time zone 'Europe/London')::date) desc,
             case when pv.effective_from <= (now() at time zone 'Europe/London')::date then pv.effective_from end desc nulls last,
             pv.effective_from
    limit 1
  ) v on true
  ${where}
  order by p.name`;

type Row = { id: number; code: string; name: string; quarter_labels: string; procedure_name: string | null; stage_word: string | null };
const toSummary = (r: Row) => ({
  code: r.code,
  name: r.name,
  procedureName: r.procedure_name,
  stageWord: r.stage_word ?? "stage",
  quarterLabels: r.quarter_labels as QuarterLabelling,
});

export async function listPartnerships(db: Db): Promise<PartnershipSummary[]> {
  return (await queryRows<Row>(db, summary(sql``))).map(toSummary);
}

/** The partnership with this code, or a NotFoundError naming it. */
export async function findPartnership(db: Db, code: string): Promise<PartnershipSummary & { id: number }> {
  const [row] = await queryRows<Row>(db, summary(sql`where p.code = ${code}`));
  if (!row) throw new NotFoundError(`There is no partnership with the code "${code}".`);
  return { id: row.id, ...toSummary(row) };
}
