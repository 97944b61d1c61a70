/**
 * What a record's page says about the procedure version that judged it and each stage against its
 * limit, in the stage's own unit (working or calendar days): plain data, so that tests read what the
 * page prints without rendering it.
 */
import { formatUkDate } from "@/server/calendar/dates";
import { describeLimit } from "@/server/reference/procedureVersions";
import type { EscalationRecord } from "@/server/records/escalationRecords";

/** Width of a stage's bar in the timeline (pixels). */
export const BAR_WIDTH = 120;

export interface TimelineRow {
  number: number;
  /** "18 (limit 14 calendar days)", or "– (limit 2 working days)" before the stage's clock runs. */
  daysAgainstLimit: string;
  /** The bar's length and the limit's mark, in days of the stage's own unit on the record's common scale. */
  bar: number;
  limitMark: number;
}

export interface RecordView {
  /** "Resolving professional differences (2025), in force from 17 November 2025". */
  version: string;
  /** "20 working days from the concern", or null when the version sets none. */
  totalLimit: string | null;
  rows: TimelineRow[];
}

export function recordView(record: Pick<EscalationRecord, "procedureVersion" | "stages" | "concernAroseOn">): RecordView {
  const { name, effectiveFrom, totalLimitWorkingDays } = record.procedureVersion;
  // One scale for the record's bars: each bar and mark is in its own stage's unit, as the stage's limit is.
  const widest = Math.max(1, ...record.stages.map((s) => Math.max(s.workingDays ?? 0, s.limitWorkingDays)));
  const scale = (days: number) => Math.round((BAR_WIDTH * Math.min(days, widest)) / widest);
  return {
    // A partnership's first version judges every escalation before the next, whatever date it was given.
    version:
      record.concernAroseOn < effectiveFrom
        ? `${name}, the partnership's first version (it judges every escalation raised before the next version)`
        : `${name}, in force from ${formatUkDate(effectiveFrom)}`,
    totalLimit: totalLimitWorkingDays === null ? null : `${describeLimit(totalLimitWorkingDays, "working")} from the concern`,
    rows: record.stages.map((s) => ({
      number: s.number,
      daysAgainstLimit: `${s.workingDays ?? "–"} (limit ${describeLimit(s.limitWorkingDays, s.limitUnit)})`,
      bar: scale(s.workingDays ?? 0),
      limitMark: scale(s.limitWorkingDays),
    })),
  };
}
