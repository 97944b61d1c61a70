/**
 * Statistical process control in words (METRICS.md, "Statistical process control"): each measure's
 * name, its variation and assurance as NHS England's "Making Data Count" says them, the rules in
 * plain English, and the clause the written summary uses (a measure rose or fell only where its chart
 * shows special cause; otherwise no significant change). The board document and its renderings print
 * the same words.
 */
import type { SpcMeasure } from "../server/metrics/monthlySeries";
import type { Assurance, Polarity, SpcRule, Variation } from "../server/metrics/spc";

export const SPC_MEASURE_NAMES: Record<SpcMeasure, string> = {
  raised: "Escalations raised",
  withinLimitPct: "Stage completions within the limit",
  resolvedAtLowestLevelPct: "Resolved at the lowest level (stage 1 or 2)",
  overdueAtMonthEnd: "Escalations overdue at the month's end",
  dissentCount: "Dissents from conference decisions",
  chairFollowUpWithinLimitPct: "Chair's follow-up within the limit",
};

/** Whether a measure's points are percentages (the others are counts). */
export const SPC_IS_PERCENT: Record<SpcMeasure, boolean> = {
  raised: false,
  withinLimitPct: true,
  resolvedAtLowestLevelPct: true,
  overdueAtMonthEnd: false,
  dissentCount: false,
  chairFollowUpWithinLimitPct: true,
};

export const VARIATION_WORDS: Record<Variation, string> = {
  common_cause: "Common cause: no significant change",
  improvement_high: "Special cause: improvement (high)",
  improvement_low: "Special cause: improvement (low)",
  concern_high: "Special cause: concern (high)",
  concern_low: "Special cause: concern (low)",
  neither_high: "Special cause: neither improvement nor concern (high)",
  neither_low: "Special cause: neither improvement nor concern (low)",
};

export const ASSURANCE_WORDS: Record<Assurance, string> = {
  pass: "Assurance: consistently passes the target",
  fail: "Assurance: consistently fails the target",
  inconsistent: "Assurance: hit and miss the target, subject to random variation",
};

export const POLARITY_WORDS: Record<Polarity, string> = {
  higher_is_better: "higher is better",
  lower_is_better: "lower is better",
  neutral: "neither higher nor lower is better",
};

export const RULE_WORDS: Record<SpcRule, string> = {
  outside_limits: "a point outside the limits",
  two_of_three: "two of three points beyond the 2σ line",
  shift: "a shift: 7 or more points on one side of the mean",
  trend: "a trend: 7 or more points each rising (or falling)",
};

/** The rules' short names, for a month's row of a chart's table. */
export const RULE_SHORT: Record<SpcRule, string> = {
  outside_limits: "outside the limits",
  two_of_three: "two of three beyond 2σ",
  shift: "shift",
  trend: "trend",
};

/** A summary's figures as a document prints them: withheld (c or *) where suppression had to. */
export interface ChartSummary {
  months: string[];
  mean: number | string | null;
  variation: Variation | string | null;
  target: number | null;
  assurance: Assurance | string | null;
  polarity: Polarity;
  specialCause: Array<{ month: string; rule: SpcRule; side: "high" | "low" }> | string | null;
}

const withheldMark = (v: unknown): v is "c" | "*" => v === "c" || v === "*";

/** The variation in words: Making Data Count's, or why there is none. */
export function variationWords(chart: ChartSummary): string {
  if (withheldMark(chart.variation)) return `Withheld (${chart.variation}): the chart's summary would give a hidden month away`;
  if (chart.variation === null) return "No limits: fewer than 12 months with a value";
  return VARIATION_WORDS[chart.variation as Variation];
}

/** The assurance in words, or why there is none. */
export function assuranceWords(chart: ChartSummary): string {
  if (withheldMark(chart.assurance)) return `Assurance withheld (${chart.assurance})`;
  if (chart.assurance) return ASSURANCE_WORDS[chart.assurance as Assurance];
  if (chart.target === null) return "No target set";
  if (chart.polarity === "neutral") return "No assurance: neither higher nor lower is better";
  return "No assurance: fewer than 12 months with a value";
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "2025-12" → "December 2025". */
export function monthWords(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return `${MONTHS[m - 1]} ${y}`;
}

/** "2025-12" → "Dec 2025" (a chart's axis and table). */
export function monthShort(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return `${MONTHS[m - 1]!.slice(0, 3)} ${y}`;
}

/** What the written summary may say of a measure's chart: rose or fell only on special cause. */
export function changeClause(chart: ChartSummary, what: string): string {
  if (withheldMark(chart.variation)) return `month by month, no change is claimed (the chart's summary is withheld)`;
  if (chart.variation === null) return `month by month, no change is claimed (too few months with a value for limits)`;
  const variation = chart.variation as Variation;
  if (variation === "common_cause") return `month by month, ${what} shows no significant change (common cause variation)`;
  const high = variation.endsWith("_high");
  const meaning = variation.startsWith("improvement") ? "an improvement" : variation.startsWith("concern") ? "a concern" : "neither an improvement nor a concern";
  const latest = chart.months.at(-1)!;
  const flags = Array.isArray(chart.specialCause) ? chart.specialCause : [];
  const rules = (["outside_limits", "two_of_three", "shift", "trend"] as const).filter((r) => flags.some((f) => f.month === latestFlagged(chart) && f.rule === r && f.side === (high ? "high" : "low")));
  const why = rules.length ? `: ${rules.map((r) => RULE_WORDS[r]).join("; ")}` : "";
  return `month by month, ${what} ${high ? "rose" : "fell"} (special cause variation in ${monthWords(latestFlagged(chart) ?? latest)}${why}; ${meaning})`;
}

/** The latest month with a value: the one variation describes. */
function latestFlagged(chart: ChartSummary): string | undefined {
  const flags = Array.isArray(chart.specialCause) ? chart.specialCause : [];
  return flags.map((f) => f.month).sort().at(-1);
}
