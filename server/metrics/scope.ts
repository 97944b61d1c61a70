/**
 * What a figure is computed for: one partnership or several, a quarter (or a run of quarters), the
 * as-of date A, and optionally one agency and one theme. Validated here, once, for every metric.
 */
import { inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { partnerships } from "../../db/schema";
import { CALENDAR_END, formatUkDate, todayInLondon, type IsoDate } from "../calendar/dates";
import { quarterPeriod, quarterRange, type Period, type Quarter } from "../calendar/quarters";
import { InvalidRequestError, NotFoundError } from "../errors";

/** How an agency filter reads an escalation: as the agency raising it, receiving it, or either. */
export type AgencyRole = "raising" | "receiving" | "either";

export interface ScopeFilter {
  agency?: { id: number; code: string; role: AgencyRole };
  theme?: string;
}

export interface MetricScope {
  partnershipIds: number[];
  partnershipCodes: string[];
  /** The last (or only) quarter. */
  quarter: Quarter;
  /** Every quarter in scope, oldest first (one for a quarterly report). */
  quarters: Quarter[];
  /** From the first quarter's first day to the last quarter's last day. */
  period: Period;
  asOf: IsoDate;
  filter: ScopeFilter;
}

export interface ScopeParams {
  partnerships: string[];
  quarter: Quarter;
  /** The first quarter of a run ending at `quarter`; defaults to `quarter` alone. */
  from?: Quarter;
  asOf?: IsoDate;
  agency?: string;
  agencyRole?: AgencyRole;
  theme?: string;
}

export async function resolveScope(db: Db, params: ScopeParams): Promise<MetricScope> {
  const codes = [...new Set(params.partnerships)];
  if (codes.length === 0) throw new InvalidRequestError("Name at least one partnership.");
  const rows = await db.select({ id: partnerships.id, code: partnerships.code }).from(partnerships).where(inArray(partnerships.code, codes));
  const missing = codes.filter((c) => !rows.some((r) => r.code === c));
  if (missing.length) throw new NotFoundError(`There is no partnership with the code ${missing.map((m) => `"${m}"`).join(", ")}.`);
  const first = params.from ?? params.quarter;
  if (first > params.quarter) throw new InvalidRequestError(`The first quarter (${first}) is after the last (${params.quarter}).`);
  const quarters = quarterRange(first, params.quarter);
  if (quarters.length > 40) throw new InvalidRequestError("Choose a run of at most 40 quarters (ten years).");
  const period = { start: quarterPeriod(first).start, end: quarterPeriod(params.quarter).end };
  const asOf = params.asOf ?? todayInLondon();
  if (asOf < period.end) {
    throw new InvalidRequestError(
      `The as-of date (${formatUkDate(asOf)}) is before the end of ${params.quarter} (${formatUkDate(period.end)}). ` +
        "A report describes a quarter that has ended: choose an as-of date on or after its last day.",
    );
  }
  if (asOf > CALENDAR_END) throw new InvalidRequestError(`The as-of date must be within the calendar (up to ${formatUkDate(CALENDAR_END)}).`);
  const ordered = codes.map((c) => rows.find((r) => r.code === c)!);
  const filter: ScopeFilter = {};
  if (params.agency) {
    const [agency] = await queryRows<{ id: number; code: string }>(db, sql`select id, code from agencies where lower(code) = lower(${params.agency})`);
    if (!agency) throw new NotFoundError(`There is no agency with the code "${params.agency}".`);
    filter.agency = { ...agency, role: params.agencyRole ?? "either" };
  }
  if (params.theme) {
    const [theme] = await queryRows<{ code: string }>(db, sql`select code from themes where code = ${params.theme} limit 1`);
    if (!theme) throw new NotFoundError(`There is no theme with the code "${params.theme}".`);
    filter.theme = theme.code;
  }
  return { partnershipIds: ordered.map((r) => r.id), partnershipCodes: ordered.map((r) => r.code), quarter: params.quarter, quarters, period, asOf, filter };
}

/** The scope's partnership ids as a SQL list. */
export function partnershipIdList(scope: Pick<MetricScope, "partnershipIds">) {
  return sql.join(scope.partnershipIds.map((id) => sql`${id}`), sql`, `);
}

/** The scope's agency and theme filter over an escalation row aliased `e` (true when none). */
export function escalationFilter(filter: ScopeFilter) {
  const parts = [sql`true`];
  if (filter.agency) {
    const id = filter.agency.id;
    if (filter.agency.role === "raising") parts.push(sql`e.raising_agency_id = ${id}`);
    else if (filter.agency.role === "receiving") parts.push(sql`e.receiving_agency_id = ${id}`);
    else parts.push(sql`(e.raising_agency_id = ${id} or e.receiving_agency_id = ${id})`);
  }
  if (filter.theme) parts.push(sql`${filter.theme} = any(e.themes)`);
  return sql.join(parts, sql` and `);
}

/** The scope's filter over a dissent row aliased `d`: the dissenting agency, and the theme. */
export function dissentFilter(filter: ScopeFilter) {
  const parts = [sql`true`];
  if (filter.agency) parts.push(sql`d.dissenting_agency_id = ${filter.agency.id}`);
  if (filter.theme) parts.push(sql`${filter.theme} = any(d.themes)`);
  return sql.join(parts, sql` and `);
}

/** The scope's quarters as a SQL relation q(quarter, q_start, q_end). */
export function quarterRelation(scope: Pick<MetricScope, "quarters">) {
  const rows = scope.quarters.map((q) => {
    const { start, end } = quarterPeriod(q);
    return sql`(${q}::text, ${start}::date, ${end}::date)`;
  });
  return sql`(values ${sql.join(rows, sql`, `)}) as q(quarter, q_start, q_end)`;
}
