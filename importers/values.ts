/**
 * Reading single cell values: UK dates in every accepted form, fixed lists, whole numbers.
 * Each parser returns the value or a plain-English reason a user can act on.
 */
import { CALENDAR_END, CALENDAR_START, daysInMonth, formatUkDate, isoDate, type IsoDate } from "../server/calendar/dates";
import { normaliseName } from "../server/reference/names";

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (reason: string): Parsed<never> => ({ ok: false, reason });

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11,
  dec: 12, december: 12,
};

/** A time after the date (dd/mm/yyyy hh:mm[:ss], or ISO T…), which is dropped. */
const TIME = /^(?:[ T]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(.*)$/;
const NUMERIC = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(.*)$/;
const WORDS = /^(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]+)\.?,?[ -](\d{4})(.*)$/;

export interface UkDate {
  date: IsoDate;
  /** The year was written with two digits and read as 20yy. */
  twoDigitYear: boolean;
}

const DATE_FORMS = "dd/mm/yyyy, yyyy-mm-dd or 3 March 2025";

// Logs repeat the same dates on many rows: remember recent answers (bounded).
const dateCache = new Map<string, Parsed<UkDate>>();
const DATE_CACHE_LIMIT = 50_000;

/** A UK-order date in any accepted form. US order and impossible dates are refused, never guessed. */
export function parseUkDate(raw: string): Parsed<UkDate> {
  let parsed = dateCache.get(raw);
  if (!parsed) {
    if (dateCache.size >= DATE_CACHE_LIMIT) dateCache.clear();
    parsed = readUkDate(raw);
    dateCache.set(raw, parsed);
  }
  return parsed;
}

function readUkDate(raw: string): Parsed<UkDate> {
  const text = raw.trim();
  let day: number, month: number, year: number;
  let rest: string;
  let twoDigitYear = false;
  let m: RegExpExecArray | null;
  if ((m = ISO.exec(text))) {
    [year, month, day, rest] = [Number(m[1]), Number(m[2]), Number(m[3]), m[4]!];
  } else if ((m = NUMERIC.exec(text))) {
    [day, month, rest] = [Number(m[1]), Number(m[3]), m[5]!];
    twoDigitYear = m[4]!.length === 2;
    year = twoDigitYear ? 2000 + Number(m[4]) : Number(m[4]);
    if (month > 12 && day <= 12) {
      return fail(`looks like month/day/year (US order); dates are day first, e.g. ${String(month).padStart(2, "0")}/${String(day).padStart(2, "0")}/${m[4]}`);
    }
  } else if ((m = WORDS.exec(text))) {
    const monthNumber = MONTHS[m[2]!.toLowerCase()];
    if (!monthNumber) return fail(`has a month name we do not recognise ("${m[2]}"); write it as ${DATE_FORMS}`);
    [day, month, year, rest] = [Number(m[1]), monthNumber, Number(m[3]), m[4]!];
  } else {
    return fail(`is not a date we can read; write it as ${DATE_FORMS}`);
  }
  if (!TIME.test(rest)) return fail(`is not a date we can read; write it as ${DATE_FORMS}`);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail("is not a real date");
  }
  const date = isoDate(year, month, day);
  if (date < CALENDAR_START || date > CALENDAR_END) {
    return fail(`is outside the calendar the product covers (${formatUkDate(CALENDAR_START)} to ${formatUkDate(CALENDAR_END)})`);
  }
  return ok({ date, twoDigitYear });
}

/** A value from a fixed list, matched case-insensitively with spaces, '-' and '_' alike. */
export function parseChoice<T extends string>(raw: string, synonyms: Record<string, T>, describe: string): Parsed<T> {
  const key = normaliseName(raw).replace(/[\s\-_]+/g, "_");
  const value = synonyms[key];
  return value ? ok(value) : fail(`is not ${describe}`);
}

export const ESCALATION_STATUS = { open: "open", resolved: "resolved", withdrawn: "withdrawn" } as const;
export const DISSENT_STATUS = { open: "open", resolved: "resolved", escalated: "escalated" } as const;
export const CONFERENCE_TYPE = {
  initial: "initial", icpc: "initial", initial_conference: "initial", initial_child_protection_conference: "initial",
  review: "review", rcpc: "review", review_conference: "review", review_child_protection_conference: "review",
  transfer_in: "transfer_in", ticpc: "transfer_in", transfer_in_conference: "transfer_in", transfer: "transfer_in",
} as const;
export const DECISION = {
  cp_plan: "cp_plan", child_protection_plan: "cp_plan", plan: "cp_plan",
  no_cp_plan: "no_cp_plan", no_plan: "no_cp_plan", no_child_protection_plan: "no_cp_plan",
  plan_category: "plan_category", category: "plan_category", category_of_plan: "plan_category",
  conference_not_convened: "conference_not_convened", not_convened: "conference_not_convened",
} as const;

/** A whole number of at least 0, written with digits only. */
export function parseCount(raw: string): Parsed<number> {
  const text = raw.trim();
  if (!/^\d{1,9}$/.test(text)) return fail("must be a whole number of 0 or more, written with digits only");
  return ok(Number(text));
}

/** A month as yyyy-mm (or a date, whose month is taken): the month's first day. */
export function parseMonth(raw: string): Parsed<UkDate> {
  const text = raw.trim();
  const m = /^(\d{4})-(\d{1,2})$/.exec(text);
  if (m) {
    const [year, month] = [Number(m[1]), Number(m[2])];
    if (month < 1 || month > 12) return fail("is not a real month");
    const first = isoDate(year, month, 1);
    if (first < CALENDAR_START || first > CALENDAR_END) return fail("is outside the calendar the product covers (2015 to 2030)");
    return ok({ date: first, twoDigitYear: false });
  }
  const date = parseUkDate(text);
  if (!date.ok) return fail("is not a month we can read; write it as yyyy-mm, e.g. 2025-03");
  return ok({ date: `${date.value.date.slice(0, 8)}01`, twoDigitYear: date.value.twoDigitYear });
}

/** Letters and digits only, for comparing a person's spelling with configured names. */
function squash(value: string): string {
  return normaliseName(value).replace(/[^a-z0-9]/g, "");
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(previous[j]! + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The configured names closest to what was written (at most `limit`), for "did you mean" hints. */
export function closestNames(written: string, candidates: ReadonlyArray<{ label: string; keys: string[] }>, limit = 3): string[] {
  const target = squash(written);
  if (!target) return [];
  const scored = candidates.map((c) => {
    const best = Math.min(
      ...c.keys.map((k) => {
        const key = squash(k);
        if (key && (key.includes(target) || target.includes(key))) return 0;
        return editDistance(target, key) / Math.max(target.length, key.length, 1);
      }),
    );
    return { label: c.label, best };
  });
  return scored
    .filter((s) => s.best <= 0.5)
    .sort((x, y) => x.best - y.best || x.label.localeCompare(y.label))
    .slice(0, limit)
    .map((s) => s.label);
}

/**
 * A value cut to at most `max` characters, with "…" when cut. Never splits a surrogate pair: half
 * of one is not valid text, and the database refuses it (a fuzzed file found this).
 */
export function shorten(value: string, max: number): string {
  if (value.length <= max) return value;
  const end = /[\uD800-\uDBFF]/.test(value.charAt(max - 1)) ? max - 1 : max;
  return `${value.slice(0, end)}…`;
}
