/**
 * A 24-month world with planted signals (issue 19): the world of tests/support/spcWorld.ts (a shift
 * in raised, a trend in within-limit with what else the rules see, a point outside the limits in
 * overdue, two of three in dissent), every figure hand-worked against the series and charts the
 * warehouse computes.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getBoardReportFor } from "../reports/boardReport";
import type { BoardReport } from "../server/metrics/boardReport";
import type { Spc } from "../server/metrics/monthlySeries";
import { useTestWarehouse } from "./support/db";
import { dissent, loadSpcWorld, overdue, raised, SPC_WORLD, spcWorldMonths as months } from "./support/spcWorld";

const ctx = useTestWarehouse();
let spc: Spc;

beforeAll(async () => {
  await loadSpcWorld(ctx.db);
  // As `report board --format json` (the CLI) and reports.board (the API) give it.
  const report = (await getBoardReportFor(ctx.db, SPC_WORLD)) as BoardReport;
  spc = report.spc!;
});

const monthOf = (m: number) => months[m - 1]!.month;
const flags = (rule: string, side: string, ms: number[]) => ms.map((m) => ({ month: monthOf(m), rule, side }));
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const byMonth = (list: Array<{ month: string; rule: string; side: string }>) =>
  [...list].sort((x, y) => x.month.localeCompare(y.month) || ["outside_limits", "two_of_three", "shift", "trend"].indexOf(x.rule) - ["outside_limits", "two_of_three", "shift", "trend"].indexOf(y.rule));

describe("statistical process control on a 24-month world with planted signals", () => {
  it("carries all six measures, each with every field of the contract and 24 values", () => {
    expect(Object.keys(spc)).toEqual(["raised", "withinLimitPct", "resolvedAtLowestLevelPct", "overdueAtMonthEnd", "dissentCount", "chairFollowUpWithinLimitPct"]);
    for (const chart of Object.values(spc)) {
      expect(Object.keys(chart).sort()).toEqual(["assurance", "lowerLimit", "mean", "months", "polarity", "specialCause", "target", "upperLimit", "values", "variation"]);
      expect([chart.months.length, chart.values.length, chart.months[0], chart.months[23]]).toEqual([24, 24, "2024-01", "2025-12"]);
    }
  });

  it("raised: a shift of 7 months above the mean", () => {
    // Σ = 9 × 4 + 8 × 6 + 7 × 8 = 36 + 48 + 56 = 140, mean 140/24 = 5.8333; moving ranges 16 × 2 (m 1–17) + 4 (4 → 8) = 36,
    // mR 36/23 = 1.5652; limits 5.8333 ± 4.1635 = 9.9968 / 1.6699; 2σ upper 8.6090 (8 is inside). m 18–24 (8) are above the
    // mean and m 17 (4) below: a run of 7. Neutral polarity: neither_high. No target for raised.
    expect(spc.raised).toMatchObject({ polarity: "neutral", mean: 5.83, upperLimit: 10, lowerLimit: 1.67, variation: "neither_high", target: null, assurance: null });
    expect(spc.raised.values).toEqual(range(1, 24).map(raised));
    expect(spc.raised.specialCause).toEqual(flags("shift", "high", range(18, 24)));
  });

  it("within the limit: a trend of 7 rising months, with what else the rules see", () => {
    // Values: m ≤ 17 odd 2/3 = 66.7, even 3/4 = 75.0, m 12 null (no completions); m 18–24: 16.7, 28.6, 50.0, 57.1, 66.7, 71.4, 83.3.
    // 23 points, Σ = 9 × 66.7 + 7 × 75 + 373.8 = 600.3 + 525 + 373.8 = 1499.1, mean 65.1783. Moving ranges: 10 × 8.3 (m 1–11) +
    // 0 (m 11 → 13, the null skipped) + 4 × 8.3 (m 13–17) + 50 + 11.9 + 21.4 + 7.1 + 9.6 + 4.7 + 11.9 = 232.8, mR 232.8/22 = 10.5818;
    // limits 65.1783 ± 28.1476 = 93.3259 / 37.0307; 2σ 83.9434 / 46.4132.
    // outside_limits low: m 18 (16.7) and 19 (28.6); two_of_three low: the same two (both beyond 46.41 in m 17–19 and 18–20);
    // shift high: m 1–17 without m 12 (66.7 and 75 are above 65.18: 16 points in a row); trend high: m 18–24 (7 rises).
    // The latest point (83.3) is flagged by the trend only: improvement_high. Target 80 lies between the limits: inconsistent.
    const values = range(1, 24).map((m) => (m === 12 ? null : m <= 17 ? (m % 2 ? 66.7 : 75) : [16.7, 28.6, 50, 57.1, 66.7, 71.4, 83.3][m - 18]!));
    expect(spc.withinLimitPct.values).toEqual(values);
    expect(spc.withinLimitPct).toMatchObject({ polarity: "higher_is_better", mean: 65.18, upperLimit: 93.33, lowerLimit: 37.03, variation: "improvement_high", target: 80, assurance: "inconsistent" });
    expect(spc.withinLimitPct.specialCause).toEqual(
      byMonth([
        ...flags("shift", "high", [...range(1, 11), ...range(13, 17)]),
        ...flags("outside_limits", "low", [18, 19]),
        ...flags("two_of_three", "low", [18, 19]),
        ...flags("trend", "high", range(18, 24)),
      ]),
    );
  });

  it("resolved at the lowest level: common cause at 100%, and assurance passes against 90", () => {
    // Every resolution is at stage 1: 100.0 each month with one (m 12 has none: null). Mean 100, mR 0: limits 100 and 100;
    // no point is beyond them or off the mean. Lower limit 100 > target 90: pass.
    expect(spc.resolvedAtLowestLevelPct).toMatchObject({ mean: 100, upperLimit: 100, lowerLimit: 100, specialCause: [], variation: "common_cause", assurance: "pass" });
  });

  it("overdue at month end: one month outside the limits", () => {
    // Values 1 (odd), 2 (even), 6 in m 12: Σ = 12 + 22 + 6 = 40, mean 1.6667; moving ranges 21 × 1 + 5 + 5 = 31, mR 1.3478;
    // limits 1.6667 ± 3.5852 = 5.2519 / −1.9186; 2σ upper 4.0568 (only m 12 beyond). Alternating about the mean: no run.
    // Lower is better; target 3 lies between the limits: inconsistent.
    expect(spc.overdueAtMonthEnd.values).toEqual(range(1, 24).map(overdue));
    expect(spc.overdueAtMonthEnd).toMatchObject({ polarity: "lower_is_better", mean: 1.67, upperLimit: 5.25, lowerLimit: -1.92, variation: "common_cause", target: 3, assurance: "inconsistent" });
    expect(spc.overdueAtMonthEnd.specialCause).toEqual(flags("outside_limits", "high", [12]));
  });

  it("dissent: two of three beyond the 2σ line", () => {
    // Values 2 (odd), 4 (even), 9 in m 20 and 21: Σ = 72 − 4 − 2 + 18 = 84, mean 3.5; moving ranges 20 × 2 + 7 + 0 + 5 = 52,
    // mR 2.2609; limits 3.5 ± 6.0139 = 9.5139 / −2.5139 (9 inside); 2σ upper 7.5093: m 20 and 21 beyond.
    expect(spc.dissentCount.values).toEqual(range(1, 24).map(dissent));
    expect(spc.dissentCount).toMatchObject({ mean: 3.5, upperLimit: 9.51, lowerLimit: -2.51, variation: "common_cause", assurance: null });
    expect(spc.dissentCount.specialCause).toEqual(flags("two_of_three", "high", [20, 21]));
  });

  it("chair follow-up: every dissent followed up the same day, 100% each month", () => {
    expect(spc.chairFollowUpWithinLimitPct).toMatchObject({ mean: 100, upperLimit: 100, lowerLimit: 100, specialCause: [], variation: "common_cause" });
  });
});
