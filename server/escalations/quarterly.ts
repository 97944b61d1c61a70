/**
 * Escalations raised per quarter and open at each quarter's end, for one partnership: the first
 * figures the dashboard shows. Definitions (METRICS.md):
 * - raised: `concern_arose_on` in the quarter;
 * - open at period end: `concern_arose_on` <= end and (`closed_on` empty or after end);
 * - open at the as-of date A: the same with A in place of end (a closure after A has not happened yet).
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { todayInLondon, type IsoDate } from "../calendar/dates";
import { addQuarters, lastCompleteQuarter, quarterLabel, quarterPeriod, quarterRange, type Quarter } from "../calendar/quarters";
import { findPartnership, type PartnershipSummary } from "../partnerships/list";

export interface QuarterlyEscalationsParams {
  partnership: string;
  /** How many quarters, ending with the last complete quarter on or before `asOf`. */
  quarters?: number;
  /** Defaults to today in Europe/London. */
  asOf?: IsoDate;
}

export interface QuarterEscalationCounts {
  quarter: Quarter;
  /** The quarter as the partnership labels it (calendar or financial year). */
  label: string;
  start: IsoDate;
  end: IsoDate;
  raised: number;
  openAtPeriodEnd: number;
}

export interface QuarterlyEscalations {
  partnership: Omit<PartnershipSummary, "procedureName">;
  asOf: IsoDate;
  openAtAsOf: number;
  quarters: QuarterEscalationCounts[];
}

export async function getQuarterlyEscalations(db: Db, params: QuarterlyEscalationsParams): Promise<QuarterlyEscalations> {
  const partnership = await findPartnership(db, params.partnership);
  const asOf = params.asOf ?? todayInLondon();
  const last = lastCompleteQuarter(asOf);
  const quarters = quarterRange(addQuarters(last, -((params.quarters ?? 8) - 1)), last).map((q) => ({ quarter: q, ...quarterPeriod(q) }));

  const rows = await queryRows<{ quarter: string; raised: number; open_at_period_end: number }>(
    db,
    sql`
      select q.quarter,
        (select count(*)::int from escalations e
          where e.partnership_id = ${partnership.id} and e.concern_arose_on between q.start and q.finish) as raised,
        (select count(*)::int from escalations e
          where e.partnership_id = ${partnership.id} and e.concern_arose_on <= q.finish
            and (e.closed_on is null or e.closed_on > q.finish)) as open_at_period_end
      from jsonb_to_recordset(${JSON.stringify(quarters.map((q) => ({ quarter: q.quarter, start: q.start, finish: q.end })))}::jsonb)
        as q(quarter text, start date, finish date)
      order by q.start`,
  );
  const [open] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from escalations e
        where e.partnership_id = ${partnership.id} and e.concern_arose_on <= ${asOf}::date
          and (e.closed_on is null or e.closed_on > ${asOf}::date)`,
  );
  const counts = new Map(rows.map((r) => [r.quarter, r]));
  return {
    partnership: { code: partnership.code, name: partnership.name, stageWord: partnership.stageWord, quarterLabels: partnership.quarterLabels },
    asOf,
    openAtAsOf: open?.n ?? 0,
    quarters: quarters.map((q) => ({
      quarter: q.quarter,
      label: quarterLabel(q.quarter, partnership.quarterLabels),
      start: q.start,
      end: q.end,
      raised: counts.get(q.quarter)?.raised ?? 0,
      openAtPeriodEnd: counts.get(q.quarter)?.open_at_period_end ?? 0,
    })),
  };
}
