/**
 * The XmR chart of METRICS.md ("Statistical process control") on worked series. Each series is
 * worked by hand in its comment: mean = Σx / n; mR = Σ|xᵢ − xᵢ₋₁| / (n − 1); limits = mean ± 2.66·mR;
 * 2σ lines = mean ± (2/3)·2.66·mR = mean ± 1.7733…·mR.
 */
import { describe, expect, it } from "vitest";
import { xmrChart, type Polarity, type SpcChart } from "../server/metrics/spc";

/** Month keys from 2024-01 on. */
const months = (n: number) => Array.from({ length: n }, (_, i) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);
const chart = (values: Array<number | null>, polarity: Polarity = "higher_is_better", target: number | null = null): SpcChart =>
  xmrChart({ months: months(values.length), values, polarity, target });
const flagged = (c: SpcChart) => c.specialCause!.map((f) => `${f.month} ${f.rule} ${f.side}`);

// Alternating 10, 12 (12 points): mean 11; 11 moving ranges of 2, mR 2; limits 11 ± 5.32 = 16.32 / 5.68.
const ALTERNATING = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12];
// Shift: 9 13 9 13 9 then seven 12s. Σ = 53 + 84 = 137, mean 11.41666…; D = 4·4 + 3 = 19, mR 19/11 = 1.7272…;
// limits 11.4167 ± 4.5945 = 16.0112 / 6.8221; 2σ 14.4797 / 8.3537 (13 and 9 inside). Points 6–12 above the mean.
const SHIFT = [9, 13, 9, 13, 9, 12, 12, 12, 12, 12, 12, 12];

describe("the XmR chart", () => {
  it("has no limits, flags, variation or assurance with fewer than 12 points (nulls skipped)", () => {
    const c = chart([10, null, 12, 10, 12, 10, 12, null, 10, 12, 10, 12, 10], "higher_is_better", 5);
    // 11 non-null points.
    expect(c).toMatchObject({ mean: null, upperLimit: null, lowerLimit: null, specialCause: null, variation: null, target: 5, assurance: null });
    expect(c.values).toHaveLength(13);
  });

  it("computes the mean and limits, with no special cause in common-cause variation", () => {
    const c = chart(ALTERNATING);
    expect(c).toMatchObject({ mean: 11, upperLimit: 16.32, lowerLimit: 5.68, specialCause: [], variation: "common_cause" });
  });

  it("flags a point outside the limits, alone", () => {
    // 10/14 alternating ×12, 40, 14, 10, 14: Σ = 144 + 78 = 222, n 16, mean 13.875; D = 11·4 + 26 + 26 + 4 + 4 = 104, mR 6.9333;
    // upper 13.875 + 18.4427 = 32.3177 (40 is above); lower −4.5677; 2σ upper 26.17: only 40 beyond, so no two-of-three;
    // above the mean at most 3 in a row (14, 40, 14); no run of increases.
    const c = chart([10, 14, 10, 14, 10, 14, 10, 14, 10, 14, 10, 14, 40, 14, 10, 14]);
    expect(flagged(c)).toEqual(["2025-01 outside_limits high"]);
    expect(c).toMatchObject({ mean: 13.88, upperLimit: 32.32, lowerLimit: -4.57, variation: "common_cause" });
  });

  it("flags two of three beyond the 2σ line, alone", () => {
    // 10/14 ×10, 24, 24, 10, 14, 10, 14: Σ 216, n 16, mean 13.5; D = 9·4 + 10 + 0 + 14 + 3·4 = 72, mR 4.8;
    // upper 13.5 + 12.768 = 26.268 (24 inside); 2σ upper 13.5 + 8.512 = 22.012 (both 24s beyond); runs above the mean ≤ 3.
    const c = chart([10, 14, 10, 14, 10, 14, 10, 14, 10, 14, 24, 24, 10, 14, 10, 14]);
    expect(flagged(c)).toEqual(["2024-11 two_of_three high", "2024-12 two_of_three high"]);
    expect(c).toMatchObject({ mean: 13.5, upperLimit: 26.27, lowerLimit: 0.73 });
  });

  it("flags a shift of exactly 7, and not of 6", () => {
    const c = chart(SHIFT);
    expect(flagged(c)).toEqual(["2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"].map((m) => `${m} shift high`));
    expect(c).toMatchObject({ mean: 11.42, upperLimit: 16.01, lowerLimit: 6.82 });
    // Six 12s after 9 13 9 13 9 13 9: Σ 147, n 13, mean 11.3077; D = 6·4 + 3 = 27, mR 2.25; 2σ 7.32 / 15.30: nothing flagged.
    expect(flagged(chart([9, 13, 9, 13, 9, 13, 9, 12, 12, 12, 12, 12, 12]))).toEqual([]);
  });

  it("lets a point on the mean break a shift", () => {
    // 8 14 8 14 8 14 5, then 12 12 12 11 12 12 12: Σ = 71 + 83 = 154, n 14, mean exactly 11, so the 11 is on the mean and
    // the 12s make two runs of 3. D = 5·6 + 9 + 7 + 1 + 1 = 48, mR 3.6923; 2σ 11 ± 6.5477 = 4.45 / 17.55 (5 and 14 inside).
    expect(flagged(chart([8, 14, 8, 14, 8, 14, 5, 12, 12, 12, 11, 12, 12, 12]))).toEqual([]);
    // With a 12 in its place: Σ 155, mean 11.0714; the seven 12s are all above it (D = 46, 2σ lower 4.80: 5 inside).
    expect(flagged(chart([8, 14, 8, 14, 8, 14, 5, 12, 12, 12, 12, 12, 12, 12]))).toEqual(
      ["2024-08", "2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02"].map((m) => `${m} shift high`),
    );
  });

  it("flags a trend of exactly 7, not of 6, and lets a tie break one", () => {
    // 10 6 10 6 5 6 7 8 9 10 11 7: Σ 95, mean 7.9167; D = 3·4 + 7·1 + 4 = 23, mR 2.0909; 2σ 4.21 / 11.62, limits 2.36 / 13.48;
    // 5 6 7 8 9 10 11 rise seven times in a row (points 5–11); runs either side of the mean are 4 long.
    const trend = chart([10, 6, 10, 6, 5, 6, 7, 8, 9, 10, 11, 7]);
    expect(flagged(trend)).toEqual(["2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11"].map((m) => `${m} trend high`));
    expect(trend.variation).toBe("common_cause");
    // Six rising (6 7 8 9 10 11): Σ 100, mean 8.33; D 29, mR 2.636; 2σ 3.66 / 13.01: nothing.
    expect(flagged(chart([10, 6, 10, 6, 10, 6, 7, 8, 9, 10, 11, 7]))).toEqual([]);
    // 5 6 7 7 8 9 10 11: the tie leaves runs of 3 and 5. Σ 95, mean 7.9167; D 19, mR 1.727; upper 2σ 10.98 (only the 11 beyond).
    expect(flagged(chart([10, 6, 10, 6, 5, 6, 7, 7, 8, 9, 10, 11]))).toEqual([]);
    // Falling: the mirror image (20 − x) flags the same points low.
    expect(flagged(chart([10, 6, 10, 6, 5, 6, 7, 8, 9, 10, 11, 7].map((x) => 20 - x)))).toEqual(
      ["2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11"].map((m) => `${m} trend low`),
    );
  });

  it("skips null months: limits and runs over the non-null points in month order", () => {
    // SHIFT with null months between: the same points, so the same mean, limits and shift, on their own months.
    const values = [9, null, 13, 9, 13, null, null, 9, 12, 12, 12, null, 12, 12, 12, 12];
    const c = chart(values);
    expect(c).toMatchObject({ mean: 11.42, upperLimit: 16.01, lowerLimit: 6.82 });
    expect(flagged(c)).toEqual(["2024-09", "2024-10", "2024-11", "2025-01", "2025-02", "2025-03", "2025-04"].map((m) => `${m} shift high`));
    expect(c.values).toEqual(values);
  });

  it("reads the latest point's variation by polarity, on both sides", () => {
    const mirror = SHIFT.map((x) => 24 - x); // 15 11 15 11 15 then seven 12s: a shift low.
    expect([chart(SHIFT, "higher_is_better").variation, chart(SHIFT, "lower_is_better").variation, chart(SHIFT, "neutral").variation]).toEqual([
      "improvement_high",
      "concern_high",
      "neither_high",
    ]);
    expect([chart(mirror, "higher_is_better").variation, chart(mirror, "lower_is_better").variation, chart(mirror, "neutral").variation]).toEqual([
      "concern_low",
      "improvement_low",
      "neither_low",
    ]);
  });

  it("gives assurance against a target: pass, fail, inconsistent, a target on a limit, and none without a target", () => {
    // ALTERNATING: limits 16.32 / 5.68 exactly.
    expect(chart(ALTERNATING, "higher_is_better", 5).assurance).toBe("pass"); // lower limit 5.68 > 5
    expect(chart(ALTERNATING, "higher_is_better", 17).assurance).toBe("fail"); // upper limit 16.32 < 17
    expect(chart(ALTERNATING, "higher_is_better", 11).assurance).toBe("inconsistent");
    expect(chart(ALTERNATING, "lower_is_better", 17).assurance).toBe("pass"); // upper limit 16.32 < 17
    expect(chart(ALTERNATING, "lower_is_better", 5).assurance).toBe("fail"); // lower limit 5.68 > 5
    // On a limit: neither strictly beyond it, so inconsistent (16.32 is 11 + 2.66 × 2 exactly).
    expect(chart(ALTERNATING, "higher_is_better", 16.32).assurance).toBe("inconsistent");
    expect(chart(ALTERNATING, "higher_is_better", 5.68).assurance).toBe("inconsistent");
    expect(chart(ALTERNATING, "lower_is_better", 16.32).assurance).toBe("inconsistent");
    expect(chart(ALTERNATING, "higher_is_better").assurance).toBeNull();
    expect(chart(ALTERNATING, "neutral", 5).assurance).toBeNull();
  });
});
