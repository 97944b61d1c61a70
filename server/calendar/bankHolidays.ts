/**
 * England and Wales bank holidays, 2015–2030.
 *
 * Years up to 2027 are the published list (GOV.UK), one-offs and substitute days included. Later
 * years are computed from the standard rules; a deployment corrects them through reference data
 * (`bankHolidays.add` / `bankHolidays.remove`) when the official list appears.
 */
import { addDays, CALENDAR_LAST_YEAR, isoDate, isoDayOfWeek, type IsoDate } from "./dates";

export interface BankHoliday {
  date: IsoDate;
  name: string;
  source: "published" | "computed" | "configured";
}

export const LAST_PUBLISHED_YEAR = 2027;

const NEW_YEAR = "New Year's Day";
const GOOD_FRIDAY = "Good Friday";
const EASTER_MONDAY = "Easter Monday";
const EARLY_MAY = "Early May bank holiday";
const SPRING = "Spring bank holiday";
const SUMMER = "Summer bank holiday";
const CHRISTMAS = "Christmas Day";
const BOXING = "Boxing Day";
const sub = (name: string) => `${name} (substitute day)`;

/** The published list, as issued: every date, with its name. */
const PUBLISHED: ReadonlyArray<readonly [IsoDate, string]> = [
  ["2015-01-01", NEW_YEAR], ["2015-04-03", GOOD_FRIDAY], ["2015-04-06", EASTER_MONDAY], ["2015-05-04", EARLY_MAY],
  ["2015-05-25", SPRING], ["2015-08-31", SUMMER], ["2015-12-25", CHRISTMAS], ["2015-12-28", sub(BOXING)],

  ["2016-01-01", NEW_YEAR], ["2016-03-25", GOOD_FRIDAY], ["2016-03-28", EASTER_MONDAY], ["2016-05-02", EARLY_MAY],
  ["2016-05-30", SPRING], ["2016-08-29", SUMMER], ["2016-12-26", BOXING], ["2016-12-27", sub(CHRISTMAS)],

  ["2017-01-02", sub(NEW_YEAR)], ["2017-04-14", GOOD_FRIDAY], ["2017-04-17", EASTER_MONDAY], ["2017-05-01", EARLY_MAY],
  ["2017-05-29", SPRING], ["2017-08-28", SUMMER], ["2017-12-25", CHRISTMAS], ["2017-12-26", BOXING],

  ["2018-01-01", NEW_YEAR], ["2018-03-30", GOOD_FRIDAY], ["2018-04-02", EASTER_MONDAY], ["2018-05-07", EARLY_MAY],
  ["2018-05-28", SPRING], ["2018-08-27", SUMMER], ["2018-12-25", CHRISTMAS], ["2018-12-26", BOXING],

  ["2019-01-01", NEW_YEAR], ["2019-04-19", GOOD_FRIDAY], ["2019-04-22", EASTER_MONDAY], ["2019-05-06", EARLY_MAY],
  ["2019-05-27", SPRING], ["2019-08-26", SUMMER], ["2019-12-25", CHRISTMAS], ["2019-12-26", BOXING],

  ["2020-01-01", NEW_YEAR], ["2020-04-10", GOOD_FRIDAY], ["2020-04-13", EASTER_MONDAY],
  ["2020-05-08", "Early May bank holiday (VE day)"], ["2020-05-25", SPRING], ["2020-08-31", SUMMER],
  ["2020-12-25", CHRISTMAS], ["2020-12-28", sub(BOXING)],

  ["2021-01-01", NEW_YEAR], ["2021-04-02", GOOD_FRIDAY], ["2021-04-05", EASTER_MONDAY], ["2021-05-03", EARLY_MAY],
  ["2021-05-31", SPRING], ["2021-08-30", SUMMER], ["2021-12-27", sub(CHRISTMAS)], ["2021-12-28", sub(BOXING)],

  ["2022-01-03", sub(NEW_YEAR)], ["2022-04-15", GOOD_FRIDAY], ["2022-04-18", EASTER_MONDAY], ["2022-05-02", EARLY_MAY],
  ["2022-06-02", SPRING], ["2022-06-03", "Platinum Jubilee bank holiday"], ["2022-08-29", SUMMER],
  ["2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"], ["2022-12-26", BOXING],
  ["2022-12-27", sub(CHRISTMAS)],

  ["2023-01-02", sub(NEW_YEAR)], ["2023-04-07", GOOD_FRIDAY], ["2023-04-10", EASTER_MONDAY], ["2023-05-01", EARLY_MAY],
  ["2023-05-08", "Bank holiday for the coronation of King Charles III"], ["2023-05-29", SPRING],
  ["2023-08-28", SUMMER], ["2023-12-25", CHRISTMAS], ["2023-12-26", BOXING],

  ["2024-01-01", NEW_YEAR], ["2024-03-29", GOOD_FRIDAY], ["2024-04-01", EASTER_MONDAY], ["2024-05-06", EARLY_MAY],
  ["2024-05-27", SPRING], ["2024-08-26", SUMMER], ["2024-12-25", CHRISTMAS], ["2024-12-26", BOXING],

  ["2025-01-01", NEW_YEAR], ["2025-04-18", GOOD_FRIDAY], ["2025-04-21", EASTER_MONDAY], ["2025-05-05", EARLY_MAY],
  ["2025-05-26", SPRING], ["2025-08-25", SUMMER], ["2025-12-25", CHRISTMAS], ["2025-12-26", BOXING],

  ["2026-01-01", NEW_YEAR], ["2026-04-03", GOOD_FRIDAY], ["2026-04-06", EASTER_MONDAY], ["2026-05-04", EARLY_MAY],
  ["2026-05-25", SPRING], ["2026-08-31", SUMMER], ["2026-12-25", CHRISTMAS], ["2026-12-28", sub(BOXING)],

  ["2027-01-01", NEW_YEAR], ["2027-03-26", GOOD_FRIDAY], ["2027-03-29", EASTER_MONDAY], ["2027-05-03", EARLY_MAY],
  ["2027-05-31", SPRING], ["2027-08-30", SUMMER], ["2027-12-27", sub(CHRISTMAS)], ["2027-12-28", sub(BOXING)],
];

/** Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

function firstMondayOf(year: number, month: number): IsoDate {
  const first = isoDate(year, month, 1);
  return addDays(first, (8 - isoDayOfWeek(first)) % 7);
}

function lastMondayOf(year: number, month: number): IsoDate {
  const firstOfNext = month === 12 ? isoDate(year + 1, 1, 1) : isoDate(year, month + 1, 1);
  const last = addDays(firstOfNext, -1);
  return addDays(last, -((isoDayOfWeek(last) + 6) % 7));
}

/**
 * The holidays the standard rules give for a year, without one-offs: a fixed holiday falling on a
 * weekend is replaced by the next weekday that is not already a holiday.
 */
export function standardBankHolidays(year: number): Array<[IsoDate, string]> {
  const easter = easterSunday(year);
  const out: Array<[IsoDate, string]> = [];
  const newYear = isoDate(year, 1, 1);
  const newYearDow = isoDayOfWeek(newYear);
  out.push(newYearDow >= 6 ? [addDays(newYear, 8 - newYearDow), sub(NEW_YEAR)] : [newYear, NEW_YEAR]);
  out.push([addDays(easter, -2), GOOD_FRIDAY], [addDays(easter, 1), EASTER_MONDAY]);
  out.push([firstMondayOf(year, 5), EARLY_MAY], [lastMondayOf(year, 5), SPRING], [lastMondayOf(year, 8), SUMMER]);

  const christmas = isoDate(year, 12, 25);
  switch (isoDayOfWeek(christmas)) {
    case 5: // Friday: Boxing Day falls on Saturday, so Monday 28th
      out.push([christmas, CHRISTMAS], [isoDate(year, 12, 28), sub(BOXING)]);
      break;
    case 6: // Saturday: Monday 27th and Tuesday 28th
      out.push([isoDate(year, 12, 27), sub(CHRISTMAS)], [isoDate(year, 12, 28), sub(BOXING)]);
      break;
    case 7: // Sunday: Boxing Day on Monday 26th, Christmas moves to Tuesday 27th
      out.push([isoDate(year, 12, 26), BOXING], [isoDate(year, 12, 27), sub(CHRISTMAS)]);
      break;
    default:
      out.push([christmas, CHRISTMAS], [isoDate(year, 12, 26), BOXING]);
  }
  return out.sort((x, y) => x[0].localeCompare(y[0]));
}

/** Every England and Wales bank holiday from 2015 to 2030: published where issued, else computed. */
export function englandAndWalesBankHolidays(): BankHoliday[] {
  const published: BankHoliday[] = PUBLISHED.map(([date, name]) => ({ date, name, source: "published" }));
  const computed: BankHoliday[] = [];
  for (let year = LAST_PUBLISHED_YEAR + 1; year <= CALENDAR_LAST_YEAR; year++) {
    for (const [date, name] of standardBankHolidays(year)) computed.push({ date, name, source: "computed" });
  }
  return [...published, ...computed];
}

export interface BankHolidayCorrections {
  add?: Array<{ date: IsoDate; name: string }>;
  remove?: IsoDate[];
}

/** The list with a deployment's corrections applied (a correction wins over the built-in list). */
export function bankHolidaysWithCorrections(corrections: BankHolidayCorrections = {}): BankHoliday[] {
  const removed = new Set(corrections.remove ?? []);
  const byDate = new Map<IsoDate, BankHoliday>();
  for (const h of englandAndWalesBankHolidays()) if (!removed.has(h.date)) byDate.set(h.date, h);
  for (const h of corrections.add ?? []) byDate.set(h.date, { date: h.date, name: h.name, source: "configured" });
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}
