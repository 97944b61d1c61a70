/**
 * The attacker of reports/attacker.ts against published board reports: the two leaks found in the
 * published reports as they were (worked by hand below), a quarter shown with its months, and the nhs
 * profile, whose rounding the reader knows.
 */
import { describe, expect, it } from "vitest";
import { attack, type ReaderView } from "../reports/attacker";
import { publishBoardReport, readPublishedBoardReport, readerView, suppress, type Publication, READER_RULES } from "../reports/disclosure";
import type { BoardReport } from "../server/metrics/boardReport";

type Escalations = BoardReport["escalations"];

/** A board report of one quarter with nothing in it but what a test sets. */
export function quietReport(escalations: Partial<Escalations>, fractions: Partial<BoardReport["fractions"]> = {}, dissent: Partial<BoardReport["dissent"]> = {}): BoardReport {
  return {
    partnership: "north", partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-09", period: { start: "2025-10-01", end: "2025-12-31" },
    escalations: {
      raised: 0, closed: 0, resolved: 0, withdrawn: 0, openAtPeriodEnd: 0, stageReached: { "1": 0, "2": 0, "3": 0 },
      resolvedAtLowestLevelPct: null, medianWorkingDaysToClose: null, timescale: [], overdueAtAsOf: 0, unresolvedAfterFinalStage: 0,
      byRaisingAgency: {}, byReceivingAgency: {}, themes: {}, recurringThemes: [], learningWithinOneMonthPct: null, totalLimit: null, ...escalations,
    },
    dissent: { count: 0, byAgency: {}, byDecision: {}, byConferenceType: {}, themes: {}, ratePer100Conferences: null, chairFollowUpWithinLimitPct: null, escalated: 0, ...dissent },
    fractions: {
      resolvedAtLowestLevel: { numerator: 0, denominator: 0 }, learningWithinOneMonth: { numerator: 0, denominator: 0 }, medianWorkingDaysToClose: { values: 0 },
      chairFollowUpWithinLimit: { numerator: 0, denominator: 0 }, ratePer100Conferences: { numerator: 0, denominator: null }, ...fractions,
    },
  };
}

/** Raised 24 reaching stages 13, 8, 1, 1, 1 (the first leak); raised by CSC, raised with HLT 20 and four agencies 1 each. */
export const STAGE_LEAK = quietReport({
  raised: 24, stageReached: { "1": 13, "2": 8, "3": 1, "4": 1, "5": 1 }, byRaisingAgency: { CSC: 24 },
  byReceivingAgency: { EDU: 1, HLT: 20, POL: 1, PRB: 1, YOT: 1 },
});

/** Closed 21: resolved 20 (12 at stage 1 or 2: 60.0%), withdrawn 1 (the second leak); the median over the 20 is 4. */
export const PERCENT_LEAK = quietReport(
  { closed: 21, resolved: 20, withdrawn: 1, resolvedAtLowestLevelPct: 60, medianWorkingDaysToClose: 4 },
  { resolvedAtLowestLevel: { numerator: 12, denominator: 20 }, medianWorkingDaysToClose: { values: 20 } },
);

describe("the attacker on outputs as they were published before secondary suppression covered the whole output", () => {
  it("works out three hidden stages that must sum to 3 (24 − 13 − 8), and four hidden agencies that sum to 4", () => {
    // As published then: only the 1s hidden (three or more hidden cells under a total were thought safe).
    const view = readPublishedBoardReport(asPublishedThen(STAGE_LEAK, ["e.stageReached.3", "e.stageReached.4", "e.stageReached.5", "e.byReceivingAgency.EDU", "e.byReceivingAgency.POL", "e.byReceivingAgency.PRB", "e.byReceivingAgency.YOT"]));
    // Zeros are shown, so a hidden cell is at least 1: three cells summing to 3 are 1, 1, 1; four summing to 4 are 1, 1, 1, 1.
    expect(attack(view).pinned).toEqual([
      { cell: "e.byReceivingAgency.EDU", value: 1 }, { cell: "e.byReceivingAgency.POL", value: 1 }, { cell: "e.byReceivingAgency.PRB", value: 1 }, { cell: "e.byReceivingAgency.YOT", value: 1 },
      { cell: "e.stageReached.3", value: 1 }, { cell: "e.stageReached.4", value: 1 }, { cell: "e.stageReached.5", value: 1 },
    ]);
  });

  it("works out resolved and withdrawn from closed 21 and a shown 60.0%", () => {
    // resolved and withdrawn both c; 60.0% shown, so resolved ≥ 10, and 60.0% of a whole number leaves resolved 10, 15 or 20
    // (6, 9, 12 at the lowest level), withdrawn 11, 6 or 1. A hidden cell is 1 to 5 unless it hides another: only 20 + 1 has one.
    const view = readPublishedBoardReport(asPublishedThen(PERCENT_LEAK, ["e.resolved", "e.withdrawn"]));
    expect(attack(view).pinned).toEqual([{ cell: "e.resolved", value: 20 }, { cell: "e.withdrawn", value: 1 }]);
  });

  it("finds nothing where the hidden cells leave a choice", () => {
    // 24 = 13 + 8 + c + c: the two hidden stages sum to 3: 1 + 2 or 2 + 1.
    const view = readPublishedBoardReport(asPublishedThen(quietReport({ raised: 24, stageReached: { "1": 13, "2": 8, "3": 1, "4": 2 }, byRaisingAgency: { CSC: 24 }, byReceivingAgency: { HLT: 24 } }), ["e.stageReached.3", "e.stageReached.4"]));
    expect(attack(view)).toEqual({ pinned: [], consistent: true, undecided: [] });
  });
});

/** The published form of a report with exactly these cells hidden (how it was published before). */
function asPublishedThen(report: BoardReport, hidden: string[]) {
  const published = publishBoardReport(report, "dfe");
  const set = (path: string, value: unknown) => {
    const [root, ...rest] = path.split(".");
    let at = (root === "e" ? published.escalations : published.dissent) as Record<string, unknown>;
    for (const k of rest.slice(0, -1)) at = at[k] as Record<string, unknown>;
    at[rest.at(-1)!] = value;
  };
  // Undo today's suppression, then hide just the cells named; percentages and medians shown as they were.
  for (const key of ["raised", "closed", "resolved", "withdrawn"] as const) published.escalations[key] = report.escalations[key];
  for (const [k, v] of Object.entries(report.escalations.stageReached)) published.escalations.stageReached[k] = v;
  for (const [k, v] of Object.entries(report.escalations.byReceivingAgency)) published.escalations.byReceivingAgency[k] = v;
  published.escalations.resolvedAtLowestLevelPct = report.escalations.resolvedAtLowestLevelPct;
  published.escalations.medianWorkingDaysToClose = report.escalations.medianWorkingDaysToClose;
  for (const h of hidden) set(h, "c");
  return published;
}

describe("the published reports now", () => {
  it("leave the attacker nothing in the first leak's report, hiding the smallest cells that do", () => {
    const published = publishBoardReport(STAGE_LEAK, "dfe");
    expect(attack(readPublishedBoardReport(published)).pinned).toEqual([]);
    // Stages 1, 1, 1 and the next smallest, stage 2 (8): 11 = 8 + 1 + 1 + 1 in four hidden cells, many ways. The agencies:
    // the four 1s and HLT's 20 (the only other part); raised 24 itself, a total boards need, stays shown.
    expect(published.escalations).toMatchObject({ raised: 24, stageReached: { "1": 13, "2": "c", "3": "c", "4": "c", "5": "c" }, byReceivingAgency: { EDU: "c", HLT: "c", POL: "c", PRB: "c", YOT: "c" } });
    expect(published.disclosure.check).toMatchObject({ primary: 7, secondary: 2, passed: true });
  });

  it("leave the attacker nothing in the second: the percentage over a hidden count is withheld", () => {
    const published = publishBoardReport(PERCENT_LEAK, "dfe");
    // withdrawn 1 hidden; resolved 20 hidden with it (21 − withdrawn would show it); so 60.0% and the median, made of resolved, are withheld.
    expect(published.escalations).toMatchObject({ closed: 21, resolved: "c", withdrawn: "c", resolvedAtLowestLevelPct: "c", medianWorkingDaysToClose: "c" });
    expect(attack(readPublishedBoardReport(published)).pinned).toEqual([]);
  });
});

describe("a quarter shown with its months", () => {
  // Raised in the quarter 23 = October 10 + November 1 + December 12, all shown (the statistical-process-control points).
  const publication: Publication = {
    cells: { quarter: 23, october: 10, november: 1, december: 12 }, totals: ["quarter"], latents: {},
    sums: [{ total: "quarter", parts: ["october", "november", "december"] }], atMost: [], atLeast: {}, percents: [], medians: [],
  };

  it("gives the one hidden month away (23 − 10 − 12 = 1) unless another month is hidden", () => {
    const primaryOnly = readerView(publication, { hidden: new Set(["november"]), withheld: new Set() }, "dfe");
    expect(attack(primaryOnly).pinned).toEqual([{ cell: "november", value: 1 }]);
    const { hidden, check } = suppress(publication, "dfe");
    // The smallest other month, October (10), is hidden: November + October = 11, 1 + 10 … 5 + 6 … 10 + 1.
    expect([...hidden].sort()).toEqual(["november", "october"]);
    expect(check).toMatchObject({ primary: 1, secondary: 1, passed: true });
  });
});

describe("the nhs profile, whose rounding the reader knows", () => {
  it("leaves nothing to work out in a report of small numbers", () => {
    const published = publishBoardReport(STAGE_LEAK, "nhs");
    // 24 → 25 (23 to 27); 13 → 15, 8 → 10; the 1s are *: each * is 1 to 7, and 23..27 − 13..17 − 8..12 leaves room.
    expect(published.escalations).toMatchObject({ raised: 25, stageReached: { "1": 15, "2": 10, "3": "*", "4": "*", "5": "*" } });
    expect(attack(readPublishedBoardReport(published)).pinned).toEqual([]);
  });

  it("would see a hidden cell pinned where the rounded figures leave one value (and the attacker says so)", () => {
    // The reader's model under nhs: raised shown 10 is 8 to 12; stage 1 shown 10 and stage 2 shown 10 mean 8..12 each:
    // 8 + 8 = 16 > 12, so no assignment agrees: the attacker reports the view inconsistent rather than pinning anything.
    const view: ReaderView = {
      rules: READER_RULES.nhs, cells: { raised: 10, s1: 10, s2: 10, s3: "hidden" }, latents: [], sums: [{ total: "raised", parts: ["s1", "s2", "s3"] }],
      atMost: [], atLeast: {}, percents: [], medians: [],
    };
    expect(attack(view)).toMatchObject({ consistent: false });
    // raised 0 would pin every part to 0, but zeros are not hidden: a hidden part under a shown total of 10 is 1 to 4 (8..12 − 8..12, at least 1).
    const fine: ReaderView = { ...view, cells: { raised: 10, s1: 10, s2: 0, s3: "hidden" } };
    expect(attack(fine)).toEqual({ pinned: [], consistent: true, undecided: [] });
  });
});
