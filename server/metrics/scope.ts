/**
 * What a figure is computed for: one partnership or several, a quarter, and the as-of date A.
 * Validated here, once, for every metric.
 */
import { inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { partnerships } from "../../db/schema";
import { CALENDAR_END, formatUkDate, todayInLondon, type IsoDate } from "../calendar/dates";
import { quarterPeriod, type Period, type Quarter } from "../calendar/quarters";
import { InvalidRequestError, NotFoundError } from "../errors";

export interface MetricScope {
  partnershipIds: number[];
  partnershipCodes: string[];
  quarter: Quarter;
  period: Period;
  asOf: IsoDate;
}

export async function resolveScope(db: Db, params: { partnerships: string[]; quarter: Quarter; asOf?: IsoDate }): Promise<MetricScope> {
  const codes = [...new Set(params.partnerships)];
  if (codes.length === 0) throw new InvalidRequestError("Name at least one partnership.");
  const rows = await db.select({ id: partnerships.id, code: partnerships.code }).from(partnerships).where(inArray(partnerships.code, codes));
  const missing = codes.filter((c) => !rows.some((r) => r.code === c));
  if (missing.length) throw new NotFoundError(`There is no partnership with the code ${missing.map((m) => `"${m}"`).join(", ")}.`);
  const period = quarterPeriod(params.quarter);
  const asOf = params.asOf ?? todayInLondon();
  if (asOf < period.end) {
    throw new InvalidRequestError(
      `The as-of date (${formatUkDate(asOf)}) is before the end of ${params.quarter} (${formatUkDate(period.end)}). ` +
        "A report describes a quarter that has ended: choose an as-of date on or after its last day.",
    );
  }
  if (asOf > CALENDAR_END) throw new InvalidRequestError(`The as-of date must be within the calendar (up to ${formatUkDate(CALENDAR_END)}).`);
  const ordered = codes.map((c) => rows.find((r) => r.code === c)!);
  return { partnershipIds: ordered.map((r) => r.id), partnershipCodes: ordered.map((r) => r.code), quarter: params.quarter, period, asOf };
}
