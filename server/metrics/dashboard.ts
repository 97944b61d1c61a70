/** The dashboard's multi-quarter views over the same measures as the board report. */
import type { Db } from "../../db/client";
import { dissentQuarters, type DissentQuarter } from "./dissentMeasures";
import { escalationBreakdowns, recurringThemes, type QuarterBreakdowns, type RecurringTheme } from "./escalationMeasures";
import { resolveScope, type ScopeParams } from "./scope";

export interface Breakdowns {
  quarters: QuarterBreakdowns[];
  /** Recurring (receiving agency, theme) pairs in the 365 days ending at the last quarter's end. */
  recurringThemes: RecurringTheme[];
}

/** Stage reached, timescale, agencies and themes for each quarter of the run. */
export async function getBreakdowns(db: Db, params: ScopeParams): Promise<Breakdowns> {
  const scope = await resolveScope(db, params);
  const [quarters, recurring] = await Promise.all([escalationBreakdowns(db, scope), recurringThemes(db, scope)]);
  return { quarters, recurringThemes: recurring };
}

/** The dissent measures for each quarter of the run. */
export async function getDissentQuarters(db: Db, params: ScopeParams): Promise<DissentQuarter[]> {
  return dissentQuarters(db, await resolveScope(db, params));
}
