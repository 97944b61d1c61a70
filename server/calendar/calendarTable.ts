/**
 * The warehouse's calendar: bank holidays and, per partnership and date, whether it is a working
 * day and the running count of working days, so wd(a, b) is a subtraction in SQL.
 */
import { inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/client";
import { bankHolidays, calendarDays, closureDays } from "../../db/schema";
import { bankHolidaysWithCorrections, type BankHolidayCorrections } from "./bankHolidays";
import { CALENDAR_END, CALENDAR_START } from "./dates";
import { WorkingDayCalendar } from "./workingDays";

/** Replaces the bank holiday table with the built-in list and the deployment's corrections. */
export async function syncBankHolidays(db: Db, corrections: BankHolidayCorrections = {}): Promise<void> {
  const list = bankHolidaysWithCorrections(corrections);
  await db.delete(bankHolidays);
  await db.insert(bankHolidays).values(list);
}

/**
 * Rebuilds the calendar rows of the given partnerships (all when none are named) from the bank
 * holidays and their closure days, in one set-based statement.
 */
export async function rebuildCalendar(db: Db, partnershipIds?: number[]): Promise<void> {
  if (partnershipIds && partnershipIds.length === 0) return;
  const only = partnershipIds ? sql`where p.id in (${sql.join(partnershipIds.map((id) => sql`${id}`), sql`, `)})` : sql``;
  if (partnershipIds) await db.delete(calendarDays).where(inArray(calendarDays.partnershipId, partnershipIds));
  else await db.delete(calendarDays);
  await db.execute(sql`
    insert into calendar_days (partnership_id, date, is_working_day, working_day_number)
    select p.id, d.date, w.is_working,
           sum(case when w.is_working then 1 else 0 end) over (partition by p.id order by d.date)
    from partnerships p
    cross join (
      select gs::date as date
      from generate_series(${CALENDAR_START}::date, ${CALENDAR_END}::date, interval '1 day') gs
    ) d
    cross join lateral (
      select extract(isodow from d.date) < 6
         and not exists (select 1 from bank_holidays b where b.date = d.date)
         and not exists (select 1 from closure_days c where c.partnership_id = p.id and c.date = d.date)
         as is_working
    ) w
    ${only}
  `);
}

/**
 * SQL for wd(a, b) in a partnership's calendar: working days d with a < d <= b. The arguments are
 * SQL expressions (columns or parameters) of type date.
 */
export function wdSql(partnershipId: SQL, a: SQL, b: SQL): SQL {
  return sql`((select cb.working_day_number from calendar_days cb where cb.partnership_id = ${partnershipId} and cb.date = ${b})
    - (select ca.working_day_number from calendar_days ca where ca.partnership_id = ${partnershipId} and ca.date = ${a}))`;
}

/** The TypeScript calendar of one partnership, built from what the warehouse holds. */
export async function loadWorkingDayCalendar(db: Db, partnershipId: number): Promise<WorkingDayCalendar> {
  const holidays = await queryRows<{ date: string }>(db, sql`select date::text as date from ${bankHolidays}`);
  const closures = await queryRows<{ date: string }>(
    db,
    sql`select date::text as date from ${closureDays} where partnership_id = ${partnershipId}`,
  );
  return new WorkingDayCalendar(
    holidays.map((h) => h.date),
    closures.map((c) => c.date),
  );
}

