/**
 * Disclosure control for published outputs (METRICS.md, "Disclosure control"), implemented once:
 *
 * - `dfe` (default): a count from 1 to 5 is shown as `c` (a true 0 stays 0); secondary suppression
 *   hides one more cell in the same row or column wherever a published total would let a reader work
 *   a hidden cell out; a percentage is withheld when its numerator is hidden or its denominator is
 *   under 10; a median over fewer than 6 values is withheld.
 * - `nhs`: a count from 1 to 7 is shown as `*`, every other count rounded to the nearest 5, and
 *   percentages computed from the rounded counts.
 *
 * Counts about professionals (one agency's dissent in a quarter) are protected like counts about children.
 */
import type { BoardReport } from "../server/metrics/boardReport";

export type DisclosureProfile = "dfe" | "nhs";
export type Published = number | "c" | "*" | null;

const HIDDEN: Record<DisclosureProfile, "c" | "*"> = { dfe: "c", nhs: "*" };

/** A table of counts: named cells, and groups of cells whose published total is known. */
export interface CountTable {
  cells: Record<string, number>;
  /** Each group: the key of its total and the keys of the cells that add up to it. */
  groups: Array<{ total: string; parts: string[] }>;
}

/**
 * The dfe rule on a table: primary suppression of 1–5, then, until nothing changes, wherever a group
 * whose total is shown has exactly one hidden part, hide the smallest other non-zero part (or, when
 * there is none, the total).
 */
export function suppressTable(table: CountTable): Set<string> {
  const hidden = new Set(Object.entries(table.cells).filter(([, n]) => n >= 1 && n <= 5).map(([key]) => key));
  for (let changed = true; changed; ) {
    changed = false;
    for (const group of table.groups) {
      if (hidden.has(group.total)) continue;
      const hiddenParts = group.parts.filter((p) => hidden.has(p));
      if (hiddenParts.length !== 1) continue;
      const candidates = group.parts
        .filter((p) => !hidden.has(p) && (table.cells[p] ?? 0) > 0)
        .sort((a, b) => table.cells[a]! - table.cells[b]! || a.localeCompare(b));
      hidden.add(candidates[0] ?? group.total);
      changed = true;
    }
  }
  return hidden;
}

/** The nhs rule on one count. */
export function nhsCount(n: number): number | "*" {
  if (n >= 1 && n <= 7) return "*";
  return Math.round(n / 5) * 5;
}

/** One count under a profile's primary rule (a count with no published total beside it). */
export function publishCount(n: number, profile: DisclosureProfile): Published {
  if (profile === "nhs") return nhsCount(n);
  return n >= 1 && n <= 5 ? "c" : n;
}

/** 100 × a ÷ b to one decimal place, half away from zero (a, b whole and non-negative). */
export function percentage(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((1000 * a) / b) / 10;
}

type Fraction = { numerator: number; denominator: number | null };

export type PublishedBoardReport = Omit<BoardReport, "escalations" | "dissent" | "fractions"> & {
  disclosure: { profile: DisclosureProfile; statement: string };
  escalations: { [K in keyof BoardReport["escalations"]]: PublishedShape<BoardReport["escalations"][K]> };
  dissent: { [K in keyof BoardReport["dissent"]]: PublishedShape<BoardReport["dissent"][K]> };
};
type PublishedShape<T> = T extends number | null
  ? Published
  : T extends Array<infer U>
    ? Array<{ [K in keyof U]: U[K] extends number ? Published : U[K] }>
    : T extends Record<string, number>
      ? Record<string, Published>
      : T;

/** Applies the partnership's profile to a board report: what may be published. */
export function publishBoardReport(report: BoardReport, profile: DisclosureProfile = "dfe"): PublishedBoardReport {
  const e = report.escalations;
  const d = report.dissent;
  const f = report.fractions;
  const cells: Record<string, number> = {};
  const put = (prefix: string, map: Record<string, number>) => Object.entries(map).forEach(([k, v]) => (cells[`${prefix}.${k}`] = v));
  for (const key of ["raised", "closed", "resolved", "withdrawn", "openAtPeriodEnd", "overdueAtAsOf", "unresolvedAfterFinalStage"] as const) cells[`e.${key}`] = e[key];
  put("e.stageReached", e.stageReached);
  put("e.byRaisingAgency", e.byRaisingAgency);
  put("e.byReceivingAgency", e.byReceivingAgency);
  put("e.themes", e.themes);
  e.timescale.forEach((t) => {
    cells[`e.timescale.${t.stage}.completed`] = t.completed;
    cells[`e.timescale.${t.stage}.withinLimit`] = t.withinLimit;
  });
  e.recurringThemes.forEach((r, i) => (cells[`e.recurring.${i}`] = r.count));
  cells["d.count"] = d.count;
  cells["d.escalated"] = d.escalated;
  put("d.byAgency", d.byAgency);
  put("d.byDecision", d.byDecision);
  put("d.byConferenceType", d.byConferenceType);
  put("d.themes", d.themes);

  const parts = (prefix: string) => Object.keys(cells).filter((k) => k.startsWith(`${prefix}.`));
  // Totals a reader can see: raised splits by stage reached and by each agency side; closed into
  // resolved and withdrawn; dissent by agency, decision and conference type. (Themes overlap: no total.)
  const groups = [
    { total: "e.raised", parts: parts("e.stageReached") },
    { total: "e.raised", parts: parts("e.byRaisingAgency") },
    { total: "e.raised", parts: parts("e.byReceivingAgency") },
    { total: "e.closed", parts: ["e.resolved", "e.withdrawn"] },
    { total: "d.count", parts: parts("d.byAgency") },
    { total: "d.count", parts: parts("d.byDecision") },
    { total: "d.count", parts: parts("d.byConferenceType") },
  ];
  const hiddenSet = profile === "dfe" ? suppressTable({ cells, groups }) : new Set<string>();
  const count = (key: string): Published => {
    const n = cells[key]!;
    if (profile === "nhs") return nhsCount(n);
    return hiddenSet.has(key) ? "c" : n;
  };
  const hide = HIDDEN[profile];
  const isSmall = (n: number) => n >= 1 && n <= (profile === "dfe" ? 5 : 7);
  const share = (fraction: Fraction, exact: number | null): Published => {
    if (exact === null || fraction.denominator === null) return null;
    if (profile === "dfe") return isSmall(fraction.numerator) || fraction.denominator < 10 ? "c" : exact;
    const num = nhsCount(fraction.numerator);
    const den = nhsCount(fraction.denominator);
    if (num === "*" || den === "*") return "*";
    return percentage(num, den);
  };
  const median = (values: number, exact: number | null): Published =>
    exact === null ? null : profile === "dfe" ? (values < 6 ? "c" : exact) : isSmall(values) ? "*" : exact;
  const map = (prefix: string, source: Record<string, number>) => Object.fromEntries(Object.keys(source).map((k) => [k, count(`${prefix}.${k}`)]));

  return {
    partnership: report.partnership,
    partnerships: report.partnerships,
    quarter: report.quarter,
    asOf: report.asOf,
    period: report.period,
    disclosure: {
      profile,
      statement:
        profile === "dfe"
          ? "Published figures: counts from 1 to 5 are shown as c, with further cells hidden where a total would reveal them; percentages with a hidden numerator or a denominator under 10, and medians of fewer than 6 values, are withheld."
          : "Published figures: counts from 1 to 7 are shown as *, other counts are rounded to the nearest 5, and percentages are computed from the rounded counts.",
    },
    escalations: {
      raised: count("e.raised"),
      closed: count("e.closed"),
      resolved: count("e.resolved"),
      withdrawn: count("e.withdrawn"),
      openAtPeriodEnd: count("e.openAtPeriodEnd"),
      stageReached: map("e.stageReached", e.stageReached),
      resolvedAtLowestLevelPct: share(f.resolvedAtLowestLevel, e.resolvedAtLowestLevelPct),
      medianWorkingDaysToClose: median(f.medianWorkingDaysToClose.values, e.medianWorkingDaysToClose),
      timescale: e.timescale.map((t) => ({
        stage: t.stage,
        limitWorkingDays: t.limitWorkingDays,
        completed: count(`e.timescale.${t.stage}.completed`),
        withinLimit: count(`e.timescale.${t.stage}.withinLimit`),
      })),
      overdueAtAsOf: count("e.overdueAtAsOf"),
      unresolvedAfterFinalStage: count("e.unresolvedAfterFinalStage"),
      byRaisingAgency: map("e.byRaisingAgency", e.byRaisingAgency),
      byReceivingAgency: map("e.byReceivingAgency", e.byReceivingAgency),
      themes: map("e.themes", e.themes),
      recurringThemes: e.recurringThemes.map((r, i) => ({ receivingAgency: r.receivingAgency, theme: r.theme, count: count(`e.recurring.${i}`) })),
      learningWithinOneMonthPct: share(f.learningWithinOneMonth, e.learningWithinOneMonthPct),
    },
    dissent: {
      count: count("d.count"),
      byAgency: map("d.byAgency", d.byAgency),
      byDecision: map("d.byDecision", d.byDecision),
      byConferenceType: map("d.byConferenceType", d.byConferenceType),
      themes: map("d.themes", d.themes),
      ratePer100Conferences:
        d.ratePer100Conferences === null
          ? null
          : profile === "dfe"
            ? hiddenSet.has("d.count") || (f.ratePer100Conferences.denominator ?? 0) < 10 ? "c" : d.ratePer100Conferences
            : (() => {
                const num = nhsCount(d.count);
                const den = nhsCount(f.ratePer100Conferences.denominator ?? 0);
                return num === "*" || den === "*" ? hide : percentage(num, den);
              })(),
      chairFollowUpWithinLimitPct: share(f.chairFollowUpWithinLimit, d.chairFollowUpWithinLimitPct),
      escalated: count("d.escalated"),
    },
  };
}
