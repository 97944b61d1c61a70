/**
 * Property: over many generated small partnerships (few escalations and dissents, where leaks are
 * likeliest), the attacker works out no hidden cell of the published report or of a document (the
 * report with its trend quarters and the scrutineer's findings), under either profile. Each world is
 * a list of escalations and dissents; its report's figures are counted from them, so every relation
 * the reader knows holds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attack } from "../reports/attacker";
import { boardReportPublication, mergePublications, publishBoardReport, readPublishedBoardReport, readerView, suppress, type DisclosureProfile, type Publication } from "../reports/disclosure";
import type { BoardReport } from "../server/metrics/boardReport";
import { percent } from "../server/metrics/percent";

const AGENCIES = ["CSC", "HLT", "POL", "EDU"];
const THEMES = ["thresholds", "roles_responsibilities", "other"];
const DECISIONS = ["cp_plan", "no_cp_plan", "plan_category"];

const escalation = fc.record({
  stage: fc.integer({ min: 1, max: 3 }),
  raising: fc.constantFrom(...AGENCIES),
  receiving: fc.constantFrom(...AGENCIES),
  themes: fc.subarray(THEMES, { minLength: 1 }),
  // Raised in the quarter or before it; closed in it (resolved or withdrawn) or not.
  raisedInQuarter: fc.boolean(),
  outcome: fc.constantFrom("open", "resolved", "withdrawn"),
  learnedInTime: fc.boolean(),
  workingDays: fc.integer({ min: 0, max: 20 }),
  overdue: fc.boolean(),
  completions: fc.array(fc.record({ stage: fc.integer({ min: 1, max: 3 }), within: fc.boolean() }), { maxLength: 3 }),
});
const dissent = fc.record({ agency: fc.constantFrom(...AGENCIES), decision: fc.constantFrom(...DECISIONS), type: fc.constantFrom("initial", "review"), followedUp: fc.boolean(), escalated: fc.boolean() });
const world = fc.record({
  escalations: fc.array(escalation, { maxLength: 30 }),
  dissents: fc.array(dissent, { maxLength: 14 }),
  conferences: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
  recurring: fc.array(fc.integer({ min: 3, max: 12 }), { maxLength: 2 }),
});
type World = typeof world extends fc.Arbitrary<infer W> ? W : never;

const tally = (keys: string[]) => keys.reduce<Record<string, number>>((m, k) => ((m[k] = (m[k] ?? 0) + 1), m), {});
const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The board report of a generated world, counted as METRICS.md defines each figure. */
function reportOf(w: World): BoardReport {
  const raised = w.escalations.filter((e) => e.raisedInQuarter);
  const closed = w.escalations.filter((e) => e.outcome !== "open");
  const resolved = closed.filter((e) => e.outcome === "resolved");
  const low = resolved.filter((e) => e.stage <= 2).length;
  const lastStage = resolved.filter((e) => e.stage === 3);
  const learned = lastStage.filter((e) => e.learnedInTime).length;
  const completions = w.escalations.flatMap((e) => e.completions);
  const followed = w.dissents.filter((d) => d.followedUp).length;
  return {
    partnership: "gen", partnerships: ["gen"], quarter: "2025-Q4", asOf: "2026-01-09", period: { start: "2025-10-01", end: "2025-12-31" },
    escalations: {
      raised: raised.length, closed: closed.length, resolved: resolved.length, withdrawn: closed.length - resolved.length,
      openAtPeriodEnd: w.escalations.filter((e) => e.outcome === "open").length,
      stageReached: { "1": 0, "2": 0, "3": 0, ...tally(raised.map((e) => String(e.stage))) },
      resolvedAtLowestLevelPct: percent(low, resolved.length), medianWorkingDaysToClose: median(resolved.map((e) => e.workingDays)),
      timescale: [1, 2, 3].map((stage) => ({ stage, limitWorkingDays: 2, completed: completions.filter((c) => c.stage === stage).length, withinLimit: completions.filter((c) => c.stage === stage && c.within).length })),
      overdueAtAsOf: w.escalations.filter((e) => e.outcome === "open" && e.overdue).length, unresolvedAfterFinalStage: w.escalations.filter((e) => e.outcome === "open" && e.stage === 3).length,
      byRaisingAgency: tally(raised.map((e) => e.raising)), byReceivingAgency: tally(raised.map((e) => e.receiving)), themes: tally(raised.flatMap((e) => e.themes)),
      recurringThemes: w.recurring.map((count, i) => ({ receivingAgency: AGENCIES[i]!, theme: "thresholds", count })),
      learningWithinOneMonthPct: percent(learned, lastStage.length),
      totalLimit: null,
    },
    dissent: {
      count: w.dissents.length, byAgency: tally(w.dissents.map((d) => d.agency)), byDecision: tally(w.dissents.map((d) => d.decision)), byConferenceType: tally(w.dissents.map((d) => d.type)),
      themes: {}, ratePer100Conferences: w.conferences ? percent(w.dissents.length, w.conferences) : null,
      chairFollowUpWithinLimitPct: percent(followed, w.dissents.length), escalated: w.dissents.filter((d) => d.escalated).length,
    },
    fractions: {
      resolvedAtLowestLevel: { numerator: low, denominator: resolved.length }, learningWithinOneMonth: { numerator: learned, denominator: lastStage.length },
      medianWorkingDaysToClose: { values: resolved.length }, chairFollowUpWithinLimit: { numerator: followed, denominator: w.dissents.length },
      ratePer100Conferences: { numerator: w.dissents.length, denominator: w.conferences },
    },
  };
}

const NOTHING = { pinned: [], consistent: true, undecided: [] };

describe.each(["dfe", "nhs"] as DisclosureProfile[])("generated small partnerships under %s", (profile) => {
  it("publish reports in which the attacker works out no hidden cell", () => {
    fc.assert(
      fc.property(world, (w) => {
        const published = publishBoardReport(reportOf(w), profile);
        expect(attack(readPublishedBoardReport(published))).toEqual(NOTHING);
        expect(published.disclosure.check.passed).toBe(true);
      }),
      { numRuns: 150, seed: 21 },
    );
  });

  it("publish documents (a quarter with its months, earlier quarters, scrutiny) in which it finds nothing either", () => {
    fc.assert(
      fc.property(world, fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 3, maxLength: 3 }), fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 4, maxLength: 4 }), (w, earlier, ratings) => {
        const report = reportOf(w);
        // The quarter's raised split into its three months (as statistical-process-control points would show it).
        const months = [0, 0, 0];
        w.escalations.filter((e) => e.raisedInQuarter).forEach((e, i) => (months[(i * 7 + e.workingDays) % 3]! += 1));
        const extra: Publication = {
          cells: {
            ...Object.fromEntries(earlier.map((n, i) => [`trend.${i}.raised`, n])),
            ...Object.fromEntries(months.map((n, i) => [`month.${i}`, n])),
            "scrutiny.rated": ratings.reduce((a, b) => a + b, 0),
            ...Object.fromEntries(ratings.map((n, i) => [`scrutiny.${i}`, n])),
          },
          totals: ["scrutiny.rated"], latents: {}, atMost: [], atLeast: {}, percents: [], medians: [],
          sums: [{ total: "e.raised", parts: ["month.0", "month.1", "month.2"] }, { total: "scrutiny.rated", parts: ratings.map((_, i) => `scrutiny.${i}`) }],
        };
        const publication = mergePublications(boardReportPublication(report), extra);
        const suppression = suppress(publication, profile);
        expect(suppression.check).toMatchObject({ passed: true, pinned: [] });
        expect(attack(readerView(publication, suppression, profile))).toEqual(NOTHING);
        // Never a zero hidden; every count from 1 to the profile's limit hidden.
        const limit = profile === "dfe" ? 5 : 7;
        for (const [k, n] of Object.entries(publication.cells)) {
          if (n === 0) expect(suppression.hidden.has(k)).toBe(false);
          if (n >= 1 && n <= limit) expect(suppression.hidden.has(k)).toBe(true);
        }
      }),
      { numRuns: 100, seed: 16 },
    );
  });
});
