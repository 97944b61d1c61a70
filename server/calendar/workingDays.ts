/**
 * Working days, as METRICS.md defines them: Monday to Friday, not an England and Wales bank
 * holiday, not a closure day of the partnership. wd(a, b) is the number of working days d with
 * a < d <= b: the same day is 0 and Friday to the next Monday is 1.
 *
 * This is the TypeScript side (used to validate and to explain); the warehouse computes the same
 * thing in SQL from the calendar table, and a property test holds the two together.
 */
import { CALENDAR_END, CALENDAR_START, fromDayNumber, isWeekend, toDayNumber, type IsoDate } from "./dates";

export class WorkingDayCalendar {
  private readonly holidays: ReadonlySet<IsoDate>;
  private readonly closures: ReadonlySet<IsoDate>;

  constructor(bankHolidays: Iterable<IsoDate>, closureDays: Iterable<IsoDate> = []) {
    this.holidays = new Set(bankHolidays);
    this.closures = new Set(closureDays);
  }

  isWorkingDay(date: IsoDate): boolean {
    assertInCalendar(date);
    return !isWeekend(date) && !this.holidays.has(date) && !this.closures.has(date);
  }

  /** Working days from a to b: those d with a < d <= b. */
  wd(a: IsoDate, b: IsoDate): number {
    assertInCalendar(a);
    assertInCalendar(b);
    const from = toDayNumber(a);
    const to = toDayNumber(b);
    if (to < from) throw new RangeError(`wd(${a}, ${b}): the second date is before the first`);
    let count = 0;
    for (let n = from + 1; n <= to; n++) if (this.isWorkingDay(fromDayNumber(n))) count++;
    return count;
  }

  /** The date n working days after `date` (n = 0 gives `date` itself): wd(date, result) = n. */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    let day = toDayNumber(date);
    for (let left = n; left > 0; ) {
      day++;
      if (this.isWorkingDay(fromDayNumber(day))) left--;
    }
    return fromDayNumber(day);
  }
}

export function isInCalendar(date: IsoDate): boolean {
  return date >= CALENDAR_START && date <= CALENDAR_END;
}

function assertInCalendar(date: IsoDate): void {
  if (!isInCalendar(date)) {
    throw new RangeError(`${date} is outside the calendar (${CALENDAR_START} to ${CALENDAR_END})`);
  }
}
