/**
 * Statistical process control for boards: the XmR chart of METRICS.md ("Statistical process
 * control"), as NHS England's "Making Data Count" reads it. Pure: a monthly series in, the chart's
 * mean, limits, special-cause flags, variation and assurance out.
 *
 * Every comparison is exact. Values are published rounded (one decimal for percentages), so each is
 * held as an integer number of thousandths, and the mean, moving range and limits as fractions of
 * integers: "a point equal to the mean breaks a shift" and "a target on a limit" must not depend on
 * how 2.66 × 7.1 / 23 happens to round in binary.
 */

export type Polarity = "higher_is_better" | "lower_is_better" | "neutral";
export type SpcRule = "outside_limits" | "two_of_three" | "shift" | "trend";
export type Side = "high" | "low";
export type Variation = "common_cause" | "improvement_high" | "concern_low" | "concern_high" | "improvement_low" | "neither_high" | "neither_low";
export type Assurance = "pass" | "fail" | "inconsistent";

export interface SpcSeriesInput {
  /** `YYYY-MM`, oldest first. */
  months: string[];
  /** One per month; null where the month has no value (no denominator). */
  values: Array<number | null>;
  polarity: Polarity;
  /** The partnership's target for the measure, if it set one. */
  target?: number | null;
}

export interface SpecialCause {
  month: string;
  rule: SpcRule;
  side: Side;
}

export interface SpcChart {
  polarity: Polarity;
  months: string[];
  values: Array<number | null>;
  mean: number | null;
  upperLimit: number | null;
  lowerLimit: number | null;
  specialCause: SpecialCause[] | null;
  variation: Variation | null;
  target: number | null;
  assurance: Assurance | null;
}

/** Fewer non-null points than this: no limits. */
export const MINIMUM_POINTS = 12;
/** A run of this many points makes a shift or a trend. */
export const RUN_LENGTH = 7;
const RULE_ORDER: SpcRule[] = ["outside_limits", "two_of_three", "shift", "trend"];

/** Values as integers of this many parts (exact for anything published to three decimals). */
const SCALE = 1000;
const scaled = (x: number) => Math.round(x * SCALE);

/** A number p / q held exactly (q > 0). */
interface Fraction {
  p: number;
  q: number;
}

/** Compares an integer-scaled value x with a fraction: sign of x − f. */
const compare = (x: number, f: Fraction): number => Math.sign(x * f.q - f.p);

/** f rounded to two decimals, half away from zero (of the unscaled value). */
function roundTwo(f: Fraction): number {
  // value × 100 = p × 100 / (q × SCALE)
  const num = f.p * 100;
  const den = f.q * SCALE;
  const whole = Math.floor(Math.abs(num) / den);
  const rest = Math.abs(num) - whole * den;
  const rounded = rest * 2 >= den ? whole + 1 : whole;
  return (Math.sign(num) * rounded) / 100 + 0;
}

/** The XmR chart of a monthly series. */
export function xmrChart(input: SpcSeriesInput): SpcChart {
  const target = input.target ?? null;
  const base: SpcChart = {
    polarity: input.polarity,
    months: input.months,
    values: input.values,
    mean: null,
    upperLimit: null,
    lowerLimit: null,
    specialCause: null,
    variation: null,
    target,
    assurance: null,
  };
  const points = input.values.flatMap((v, i) => (v === null ? [] : [{ month: input.months[i]!, x: scaled(v) }]));
  const n = points.length;
  if (n < MINIMUM_POINTS) return base;

  const sum = points.reduce((s, p) => s + p.x, 0);
  const movingRanges = points.slice(1).reduce((s, p, i) => s + Math.abs(p.x - points[i]!.x), 0);
  const m = n - 1;
  // mean = S / n; mR = D / m; limits = mean ± 2.66 mR; 2σ lines = mean ± (2/3) × 2.66 mR.
  const mean: Fraction = { p: sum, q: n };
  const limit = (sign: 1 | -1): Fraction => ({ p: 100 * sum * m + sign * 266 * movingRanges * n, q: 100 * n * m });
  const sigma2 = (sign: 1 | -1): Fraction => ({ p: 300 * sum * m + sign * 532 * movingRanges * n, q: 300 * n * m });
  const upper = limit(1);
  const lower = limit(-1);
  const upper2 = sigma2(1);
  const lower2 = sigma2(-1);

  const flags = new Map<string, SpecialCause>();
  const flag = (i: number, rule: SpcRule, side: Side) => {
    const month = points[i]!.month;
    flags.set(`${month}|${rule}`, { month, rule, side });
  };

  points.forEach((p, i) => {
    if (compare(p.x, upper) > 0) flag(i, "outside_limits", "high");
    else if (compare(p.x, lower) < 0) flag(i, "outside_limits", "low");
  });

  // Two of three: in any three consecutive points, two or three beyond the same 2σ line.
  for (let i = 0; i + 2 < n; i++) {
    const window = [i, i + 1, i + 2];
    for (const side of ["high", "low"] as const) {
      const beyond = window.filter((j) => (side === "high" ? compare(points[j]!.x, upper2) > 0 : compare(points[j]!.x, lower2) < 0));
      if (beyond.length >= 2) for (const j of beyond) flag(j, "two_of_three", side);
    }
  }

  // Shift: a run of seven or more on one side of the mean; a point on the mean ends the run.
  const sideOfMean = points.map((p) => compare(p.x, mean));
  flagRuns(sideOfMean, (i, side) => flag(i, "shift", side));

  // Trend: seven or more points each strictly above (or below) the one before; a tie ends the run.
  const steps = points.map((p, i) => (i === 0 ? 0 : Math.sign(p.x - points[i - 1]!.x)));
  for (let i = 1; i < n; ) {
    if (steps[i] === 0) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < n && steps[j + 1] === steps[i]) j++;
    // Steps i..j make a run of points i−1..j.
    if (j - i + 2 >= RUN_LENGTH) for (let k = i - 1; k <= j; k++) flag(k, "trend", steps[i]! > 0 ? "high" : "low");
    i = j + 1;
  }

  const specialCause = [...flags.values()].sort(
    (a, b) => a.month.localeCompare(b.month) || RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule),
  );
  const latest = points[n - 1]!.month;
  const latestFlag = RULE_ORDER.map((rule) => flags.get(`${latest}|${rule}`)).find(Boolean);
  const variation: Variation = latestFlag ? VARIATION[input.polarity][latestFlag.side] : "common_cause";

  let assurance: Assurance | null = null;
  if (target !== null && input.polarity !== "neutral") {
    const t = scaled(target);
    // Higher is better: the whole process above the target passes; wholly below it fails.
    const lowerAbove = compare(t, lower) < 0;
    const upperBelow = compare(t, upper) > 0;
    if (input.polarity === "higher_is_better") assurance = lowerAbove ? "pass" : upperBelow ? "fail" : "inconsistent";
    else assurance = upperBelow ? "pass" : lowerAbove ? "fail" : "inconsistent";
  }

  return {
    ...base,
    mean: roundTwo(mean),
    upperLimit: roundTwo(upper),
    lowerLimit: roundTwo(lower),
    specialCause,
    variation,
    assurance,
  };
}

const VARIATION: Record<Polarity, Record<Side, Variation>> = {
  higher_is_better: { high: "improvement_high", low: "concern_low" },
  lower_is_better: { high: "concern_high", low: "improvement_low" },
  neutral: { high: "neither_high", low: "neither_low" },
};

/** Calls `mark` for every point of each run of RUN_LENGTH or more equal non-zero signs. */
function flagRuns(signs: number[], mark: (i: number, side: Side) => void): void {
  for (let i = 0; i < signs.length; ) {
    if (signs[i] === 0) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < signs.length && signs[j + 1] === signs[i]) j++;
    if (j - i + 1 >= RUN_LENGTH) for (let k = i; k <= j; k++) mark(k, signs[i]! > 0 ? "high" : "low");
    i = j + 1;
  }
}
