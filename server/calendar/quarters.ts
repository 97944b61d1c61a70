/**
 * Quarters are calendar quarters named YYYY-Qn (2025-Q1 = 1 January to 31 March). Partnerships that
 * report on financial years (April to March) see the same quarters labelled by financial year.
 */
import { z } from "zod";
import { addCalendarMonths, addDays, isoDate, type IsoDate } from "./dates";

export type Quarter = string;

const QUARTER = /^(\d{4})-Q([1-4])$/;

export const quarterSchema = z.string().regex(QUARTER, { message: "must be a quarter written as YYYY-Qn, e.g. 2025-Q3" });

export function parseQuarter(quarter: Quarter): { year: number; number: 1 | 2 | 3 | 4 } {
  const m = QUARTER.exec(quarter);
  if (!m) throw new RangeError(`Not a quarter in YYYY-Qn form: "${quarter}"`);
  return { year: Number(m[1]), number: Number(m[2]) as 1 | 2 | 3 | 4 };
}

export function quarterOf(iso: IsoDate): Quarter {
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

export interface Period {
  start: IsoDate;
  end: IsoDate;
}

export function quarterPeriod(quarter: Quarter): Period {
  const { year, number } = parseQuarter(quarter);
  const start = isoDate(year, (number - 1) * 3 + 1, 1);
  return { start, end: addDays(addCalendarMonths(start, 3), -1) };
}

export function addQuarters(quarter: Quarter, n: number): Quarter {
  const { year, number } = parseQuarter(quarter);
  const index = year * 4 + (number - 1) + n;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

/** Quarters from `first` to `last`, both included, oldest first. */
export function quarterRange(first: Quarter, last: Quarter): Quarter[] {
  const out: Quarter[] = [];
  for (let q = first; q <= last; q = addQuarters(q, 1)) out.push(q);
  return out;
}

/** The last quarter that has fully ended on or before `asOf`. */
export function lastCompleteQuarter(asOf: IsoDate): Quarter {
  const current = quarterOf(asOf);
  return quarterPeriod(current).end === asOf ? current : addQuarters(current, -1);
}

export type QuarterLabelling = "calendar" | "financial";

/**
 * How a partnership reads a quarter: '2025-Q3' stays as it is on calendar labelling, and becomes
 * 'Q2 2025/26' on financial-year labelling (the financial year runs 1 April to 31 March).
 */
export function quarterLabel(quarter: Quarter, labelling: QuarterLabelling): string {
  if (labelling === "calendar") return quarter;
  const { year, number } = parseQuarter(quarter);
  const fyStart = number === 1 ? year - 1 : year;
  const fyQuarter = number === 1 ? 4 : number - 1;
  return `Q${fyQuarter} ${fyStart}/${String((fyStart + 1) % 100).padStart(2, "0")}`;
}
