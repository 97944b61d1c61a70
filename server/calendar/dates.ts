/**
 * Calendar dates as ISO strings ('YYYY-MM-DD'). Every date the product handles is a calendar date in
 * Europe/London, so arithmetic happens on whole days in UTC, where there are no clock changes.
 */
import { z } from "zod";

export type IsoDate = string;

/** The calendar the product covers; a date outside it is refused at import. */
export const CALENDAR_START: IsoDate = "2015-01-01";
export const CALENDAR_END: IsoDate = "2030-12-31";
export const CALENDAR_FIRST_YEAR = 2015;
export const CALENDAR_LAST_YEAR = 2030;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real calendar date written as YYYY-MM-DD (so 2025-02-30 is not). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export const isoDateSchema = z.string().refine(isIsoDate, { message: "must be a real date written as YYYY-MM-DD" });

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

function parts(iso: IsoDate): [number, number, number] {
  const m = ISO_DATE.exec(iso);
  if (!m || !isIsoDate(iso)) throw new RangeError(`Not a date in YYYY-MM-DD form: "${iso}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Days since 1970-01-01. */
export function toDayNumber(iso: IsoDate): number {
  const [y, m, d] = parts(iso);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

export function fromDayNumber(dayNumber: number): IsoDate {
  const date = new Date(dayNumber * MS_PER_DAY);
  return isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(iso) + days);
}

/** ISO day of the week: Monday = 1 … Sunday = 7. */
export function isoDayOfWeek(iso: IsoDate): number {
  // 1970-01-01 was a Thursday (4).
  return ((((toDayNumber(iso) + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(iso: IsoDate): boolean {
  return isoDayOfWeek(iso) >= 6;
}

/** Every date from `start` to `end`, both included. */
export function eachDate(start: IsoDate, end: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let n = toDayNumber(start), last = toDayNumber(end); n <= last; n++) out.push(fromDayNumber(n));
  return out;
}

/**
 * `months` calendar months after `iso`: the same day number in that month, or the month's last day
 * when it has no such day (31 Jan + 1 month = 28 Feb, or 29 Feb in a leap year).
 */
export function addCalendarMonths(iso: IsoDate, months: number): IsoDate {
  const [y, m, d] = parts(iso);
  const monthIndex = y * 12 + (m - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  return isoDate(year, month, Math.min(d, daysInMonth(year, month)));
}

/** Today's date in Europe/London (the product's "today", whatever the server's time zone). */
export function todayInLondon(now: Date = new Date()): IsoDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/London",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

const UK_DATE = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });

/** A date as UK readers write it: 3 March 2025. */
export function formatUkDate(iso: IsoDate): string {
  return UK_DATE.format(new Date(toDayNumber(iso) * MS_PER_DAY));
}
