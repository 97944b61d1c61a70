/** Disclosure control, worked by hand on small tables and on a whole board report. */
import { describe, expect, it } from "vitest";
import { attack } from "../reports/attacker";
import { nhsCount, publishBoardReport, readPublishedBoardReport, suppress, type Publication } from "../reports/disclosure";
import type { BoardReport } from "../server/metrics/boardReport";
import { percent as percentage } from "../server/metrics/percent";

/** The hidden cells of a table of counts whose groups add up to shown totals. */
function suppressTable(table: { cells: Record<string, number>; groups: Array<{ total: string; parts: string[] }> }): Set<string> {
  const publication: Publication = { cells: table.cells, totals: [], latents: {}, sums: table.groups, atMost: [], atLeast: {}, percents: [], medians: [] };
  return suppress(publication, "dfe").hidden;
}

describe("dfe suppression of a table", () => {
  it("hides 1–5 and, where a shown total would reveal a single hidden cell, the smallest other cell", () => {
    // raised 30 = stage 1: 20, stage 2: 7, stage 3: 3. Primary: stage 3 (3). One hidden cell under a shown
    // total gives it away (30 − 20 − 7), so the smallest other non-zero cell, stage 2 (7), is hidden too.
    const hidden = suppressTable({ cells: { raised: 30, s1: 20, s2: 7, s3: 3 }, groups: [{ total: "raised", parts: ["s1", "s2", "s3"] }] });
    expect([...hidden].sort()).toEqual(["s2", "s3"]);
  });

  it("needs no second cell when two are already hidden, and keeps true zeros", () => {
    // raised 20 = 12 + 5 + 3 + 0: stage 2 (5) and stage 3 (3) hidden; the 0 stays shown.
    const hidden = suppressTable({ cells: { raised: 20, s1: 12, s2: 5, s3: 3, s4: 0 }, groups: [{ total: "raised", parts: ["s1", "s2", "s3", "s4"] }] });
    expect([...hidden].sort()).toEqual(["s2", "s3"]);
  });

  it("follows a hidden cell into every table that shares its total", () => {
    // closed 10 = resolved 6 + withdrawn 4: withdrawn hidden, so resolved must be too.
    // raised 10 by agency A 7, B 3: B hidden, so A too. The stage split 10 = 10 + 0 needs nothing.
    const hidden = suppressTable({
      cells: { closed: 10, resolved: 6, withdrawn: 4, raised: 10, A: 7, B: 3, s1: 10, s2: 0 },
      groups: [
        { total: "closed", parts: ["resolved", "withdrawn"] },
        { total: "raised", parts: ["A", "B"] },
        { total: "raised", parts: ["s1", "s2"] },
      ],
    });
    expect([...hidden].sort()).toEqual(["A", "B", "resolved", "withdrawn"]);
  });
});

describe("nhs rounding and percentages", () => {
  it("shows 1–7 as * and rounds other counts to the nearest 5", () => {
    expect([0, 1, 7, 8, 12, 13, 22, 23, 100].map(nhsCount)).toEqual([0, "*", "*", 10, 10, 15, 20, 25, 100]);
  });

  it("rounds percentages half away from zero", () => {
    // 2/3 = 66.66… → 66.7; 1/16 = 6.25 → 6.3; 1/8 = 12.5 → 12.5; 0/4 = 0; x/0 = null.
    expect([percentage(2, 3), percentage(1, 16), percentage(1, 8), percentage(0, 4), percentage(3, 0)]).toEqual([66.7, 6.3, 12.5, 0, null]);
  });
});

// A report as the warehouse returns it (north, 2025-Q4, from tests/board-report.test.ts).
const REPORT: BoardReport = {
  partnership: "north", partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-09", period: { start: "2025-10-01", end: "2025-12-31" },
  escalations: {
    raised: 11, closed: 7, resolved: 6, withdrawn: 1, openAtPeriodEnd: 5, stageReached: { "1": 4, "2": 4, "3": 3 },
    resolvedAtLowestLevelPct: 66.7, medianWorkingDaysToClose: 2.5,
    timescale: [
      { stage: 1, limitWorkingDays: 2, completed: 9, withinLimit: 8 },
      { stage: 2, limitWorkingDays: 2, completed: 4, withinLimit: 4 },
      { stage: 3, limitWorkingDays: 2, completed: 3, withinLimit: 2 },
    ],
    overdueAtAsOf: 4, unresolvedAfterFinalStage: 1, byRaisingAgency: { CSC: 10, HLT: 1 }, byReceivingAgency: { CSC: 1, HLT: 7, POL: 3 },
    themes: { assessment_outcome: 3, information_sharing: 2, other: 2, roles_responsibilities: 1, service_provision: 1, thresholds: 4 },
    recurringThemes: [{ receivingAgency: "HLT", theme: "thresholds", count: 4 }],
    learningWithinOneMonthPct: 50,
    totalLimit: null,
  },
  dissent: {
    count: 6, byAgency: { HLT: 4, POL: 2 }, byDecision: { conference_not_convened: 1, cp_plan: 1, no_cp_plan: 3, plan_category: 1 },
    byConferenceType: { initial: 2, review: 3, transfer_in: 1 }, themes: { conference_need: 1, plan_decision: 5, thresholds: 1 },
    ratePer100Conferences: 7.5, chairFollowUpWithinLimitPct: 50, escalated: 2,
  },
  fractions: {
    resolvedAtLowestLevel: { numerator: 4, denominator: 6 }, learningWithinOneMonth: { numerator: 1, denominator: 2 },
    medianWorkingDaysToClose: { values: 6 }, chairFollowUpWithinLimit: { numerator: 3, denominator: 6 },
    ratePer100Conferences: { numerator: 6, denominator: 80 },
  },
};

describe("a published board report", () => {
  it("under dfe never shows a count from 1 to 5, and withholds what would reveal one", () => {
    const published = publishBoardReport(REPORT, "dfe");
    expect(published.escalations).toMatchObject({
      raised: 11,
      // withdrawn 1 is hidden, so resolved (closed 7 − withdrawn) is hidden too.
      closed: 7, resolved: "c", withdrawn: "c", openAtPeriodEnd: "c",
      stageReached: { "1": "c", "2": "c", "3": "c" },
      // Resolved (its denominator) is hidden: withheld. The median is over resolved's 6 values: shown, it would tell the
      // reader resolved ≥ 6, and closed 7 = resolved + withdrawn (≥ 1) would leave 6 + 1: withheld. Learning: withheld.
      resolvedAtLowestLevelPct: "c", medianWorkingDaysToClose: "c", learningWithinOneMonthPct: "c",
      // HLT raised 1 (hidden) so CSC's 10 is hidden as well (11 − 1 would show it).
      byRaisingAgency: { CSC: "c", HLT: "c" },
      byReceivingAgency: { CSC: "c", HLT: 7, POL: "c" },
      timescale: [
        { stage: 1, limitWorkingDays: 2, completed: 9, withinLimit: 8 },
        { stage: 2, limitWorkingDays: 2, completed: "c", withinLimit: "c" },
        { stage: 3, limitWorkingDays: 2, completed: "c", withinLimit: "c" },
      ],
      recurringThemes: [{ receivingAgency: "HLT", theme: "thresholds", count: "c" }],
    });
    // Dissent 6 is shown; by agency 4 and 2 hidden; the rate's numerator (6) is shown and its denominator 80 ≥ 10.
    expect(published.dissent).toMatchObject({
      count: 6, byAgency: { HLT: "c", POL: "c" }, ratePer100Conferences: 7.5, chairFollowUpWithinLimitPct: "c", escalated: "c",
      byDecision: { conference_not_convened: "c", cp_plan: "c", no_cp_plan: "c", plan_category: "c" },
    });
    // Every count left in the published report (not stage numbers, limits, percentages or medians) is 0 or above 5.
    const counts: number[] = [];
    const walk = (value: unknown, key: string) => {
      if (typeof value === "number" && !/^(stage|limitWorkingDays|.*Pct|median.*|ratePer100Conferences)$/.test(key)) counts.push(value);
      else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, k);
    };
    walk({ e: published.escalations, d: published.dissent }, "");
    expect(counts.filter((n) => n >= 1 && n <= 5)).toEqual([]);
    expect("fractions" in published).toBe(false);
    expect(attack(readPublishedBoardReport(published))).toEqual({ pinned: [], consistent: true, undecided: [] });
    // Had the median stayed shown (as it was), the reader would have resolved 6 and withdrawn 1.
    const asItWas = { ...published, escalations: { ...published.escalations, medianWorkingDaysToClose: 2.5 } };
    expect(attack(readPublishedBoardReport(asItWas)).pinned).toEqual([{ cell: "e.resolved", value: 6 }, { cell: "e.withdrawn", value: 1 }]);
  });

  it("under nhs rounds to 5, stars 1–7 and computes percentages from the rounded counts", () => {
    const published = publishBoardReport(REPORT, "nhs");
    // raised 11 → 10, closed 7 → *, resolved 6 → *; dissent 6 → *; rate from rounded counts: * → *.
    expect(published.escalations).toMatchObject({ raised: 10, closed: "*", resolved: "*", byReceivingAgency: { HLT: "*", POL: "*" } });
    expect(published.escalations.timescale[0]).toEqual({ stage: 1, limitWorkingDays: 2, completed: 10, withinLimit: 10 });
    expect(published.dissent).toMatchObject({ count: "*", ratePer100Conferences: "*" });
    expect(published.disclosure.profile).toBe("nhs");
  });
});

describe("secondary suppression under nhs, and refusing what cannot be protected", () => {
  // A count known to be at least 7 (as a recurring theme is known to be at least 3), hidden as * (1 to 7): a
  // reader who takes every * for 1 to 7 knows it is 7. T 20 (shown 20) = x 7 (*) + y 13 (shown 15).
  const pinnedByBound: Publication = {
    cells: { T: 20, x: 7, y: 13 }, totals: ["T"], latents: {}, sums: [{ total: "T", parts: ["x", "y"] }],
    atMost: [], atLeast: { x: 7 }, percents: [], medians: [],
  };

  it("hides more under nhs too while a hidden cell can be worked out, and the output says so", async () => {
    const { readerView, disclosureStatement, DISCLOSURE_STATEMENT } = await import("../reports/disclosure");
    // With x alone hidden the reader has x = 7 (the bug: nhs never hid more, so this was the published output).
    expect(attack(readerView(pinnedByBound, { hidden: new Set(["x"]), withheld: new Set() }, "nhs")).pinned).toEqual([{ cell: "x", value: 7 }]);
    const { hidden, check } = suppress(pinnedByBound, "nhs");
    // y (13), the only other part, is hidden too: x + y = 18..22 with x ≥ 7, one of them 1 to 7: x 7..15.
    expect([...hidden].sort()).toEqual(["x", "y"]);
    expect(check).toMatchObject({ primary: 1, secondary: 1, passed: true, pinned: [] });
    // The reader is told that a * may now be any count; the statement without further cells is unchanged.
    expect(disclosureStatement("nhs", true)).toMatch(/^Published figures: counts from 1 to 7 are shown as \*.*Further counts \(never a zero\) are shown as \* too/);
    expect(disclosureStatement("nhs", false)).toBe(DISCLOSURE_STATEMENT.nhs);
  });

  it("refuses, in plain English, an output in which a hidden cell is worked out and nothing more can be hidden", async () => {
    const { refuseUnlessPassed, NotPublishableError } = await import("../reports/disclosure");
    const { InvalidRequestError } = await import("../server/errors");
    // x 5, known to be at least 5, in no total: hidden as c it is still 5, and there is nothing to hide beside it.
    const alone: Publication = { cells: { x: 5 }, totals: [], latents: {}, sums: [], atMost: [], atLeast: { x: 5 }, percents: [], medians: [] };
    const { check } = suppress(alone, "dfe");
    expect(check).toMatchObject({ passed: false, pinned: [{ cell: "x", value: 5 }] });
    const refusal = (() => {
      try {
        refuseUnlessPassed(check, "The 2025-Q4 board report for North");
      } catch (error) {
        return error;
      }
    })();
    // An InvalidRequestError: the door answers 400 with the message, tRPC BAD_REQUEST, the CLI prints it and exits 1.
    expect(refusal).toBeInstanceOf(NotPublishableError);
    expect(refusal).toBeInstanceOf(InvalidRequestError);
    expect((refusal as Error).message).toBe(
      "The 2025-Q4 board report for North cannot be published: a reader could work out 1 hidden figure from the others it shows, and hiding more cells did not prevent it. To see the figures, ask for exact figures (not for publication); to publish them, ask the warehouse's administrators to look at the report.",
    );
    expect(() => refuseUnlessPassed(suppress(pinnedByBound, "nhs").check, "x")).not.toThrow();
  });
});
