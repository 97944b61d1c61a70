/**
 * What the procedure versions decide, in words: a stage's limit in its unit ("2 working days",
 * "14 calendar days", or "varies" where the versions in force over a quarter set no single limit),
 * which versions were in force over a period, and a version's stages. The board document, its
 * downloads and the dashboard's pages print the same words.
 */
import { addDays, formatUkDate, type IsoDate } from "../server/calendar/dates";
import { describeLimit, type ProcedureVersion } from "../server/reference/procedureVersions";

/** A timescale entry's limit (METRICS.md: the version in force on the quarter's last day, in its unit). */
export interface ShownLimit {
  limitWorkingDays?: number | null;
  limitCalendarDays?: number | null;
  limitsVary?: true;
}

/** True when the entry shows no single limit: completions judged against different limits, or none shown. */
export function limitVaries(t: ShownLimit): boolean {
  return t.limitsVary === true || (typeof t.limitWorkingDays !== "number" && typeof t.limitCalendarDays !== "number");
}

/** "2 working days", "14 calendar days", or "varies". */
export function stageLimitText(t: ShownLimit): string {
  if (limitVaries(t)) return "varies";
  return typeof t.limitWorkingDays === "number" ? describeLimit(t.limitWorkingDays, "working") : describeLimit(t.limitCalendarDays!, "calendar");
}

/** "the 2-working-day limit", "the 14-calendar-day limit" (a limit shown); null where it varies. */
export function theLimit(t: ShownLimit): string | null {
  if (limitVaries(t)) return null;
  return typeof t.limitWorkingDays === "number" ? `the ${t.limitWorkingDays}-working-day limit` : `the ${t.limitCalendarDays}-calendar-day limit`;
}

/** The footnote every "varies" carries. */
export const VARIES_NOTE =
  "Varies: the procedure versions in force during the period do not set one limit for this stage (a version changed it, or has no such stage). " +
  "Each completion was judged by the version in force on its escalation's concern date, in that version's unit.";

/**
 * The versions (of a list ordered by partnership and date, as listProcedureVersions gives it) in
 * force on any day from `start` to `end`: a partnership's first version from the beginning of time.
 */
export function versionsInForceOver<V extends Pick<ProcedureVersion, "partnershipCode" | "effectiveFrom" | "effectiveUntil">>(versions: V[], start: IsoDate, end: IsoDate): V[] {
  return versions.filter((v, i) => {
    const first = i === 0 || versions[i - 1]!.partnershipCode !== v.partnershipCode;
    return (first || v.effectiveFrom <= end) && (v.effectiveUntil === null || v.effectiveUntil > start);
  });
}

/** Whether `v` is its partnership's first version in the list (in force from the calendar's first day). */
export function isFirstVersion<V extends Pick<ProcedureVersion, "partnershipCode" | "effectiveFrom">>(versions: V[], v: V): boolean {
  return !versions.some((o) => o.partnershipCode === v.partnershipCode && o.effectiveFrom < v.effectiveFrom);
}

/** "throughout", "until 16 November 2025", "from 17 November 2025", "from 1 April 2024 to 16 November 2025". */
export function inForceText(v: Pick<ProcedureVersion, "effectiveFrom" | "effectiveUntil">, first: boolean): string {
  const until = v.effectiveUntil === null ? null : formatUkDate(addDays(v.effectiveUntil, -1));
  if (first) return until === null ? "throughout" : `until ${until}`;
  return until === null ? `from ${formatUkDate(v.effectiveFrom)}` : `from ${formatUkDate(v.effectiveFrom)} to ${until}`;
}

/** "1. Practitioners: 2 working days; 2. Managers: 14 calendar days". */
export function stagesText(v: Pick<ProcedureVersion, "stages">): string {
  return v.stages.map((s) => `${s.number}. ${s.name}: ${describeLimit(s.limitDays, s.limitUnit)}`).join("; ");
}

/** "20 working days from the concern", or "none". */
export function totalLimitText(totalLimitWorkingDays: number | null): string {
  return totalLimitWorkingDays === null ? "none" : `${describeLimit(totalLimitWorkingDays, "working")} from the concern`;
}
