/**
 * The reader as an attacker (METRICS.md, "The test of a published output"): given what a published
 * output shows and the relations a reader knows (totals and their parts, a quarter and its months,
 * shown percentages and medians and what they imply, the profile's rules), it decides for every
 * hidden cell whether all the assignments that agree with the output give it one value: such a cell
 * is pinned (worked out). Exact, not a heuristic: bounds propagation finds candidate values, and a
 * search for an assignment with any other value decides. Components that share no unknown are
 * solved apart, so a document's cost is that of its largest table.
 */
import { percent } from "../server/metrics/percent";
import { xmrChart } from "../server/metrics/spc";

/** What a reader knows of the profile (published with every output). */
export interface ReaderRules {
  /** Counts from 1 to this are hidden. */
  largestHidden: number;
  /** Shown counts are rounded to the nearest multiple of this (1: exact). */
  rounding: number;
  /**
   * Whether further cells may be hidden to protect others: then a hidden cell is any count of 1 or
   * more, but each group of hidden cells tied by totals holds at least one in 1..largestHidden (a
   * hidden cell is small unless it hides another). Zeros are never hidden.
   */
  secondary: boolean;
  /** A shown percentage's denominator is at least this (dfe: 10). */
  smallestPercentDenominator: number;
  /** A shown median is over at least this many values. */
  smallestMedianValues: number;
}

/** A cell as the reader sees it: a number (rounded under `rounding`), or hidden. */
export type Seen = number | "hidden";

export interface ReaderView {
  rules: ReaderRules;
  cells: Record<string, Seen>;
  /** Quantities behind percentages that are not published themselves (numerators, denominators). */
  latents: string[];
  /** total = Σ parts (a table's total, a quarter and its months). */
  sums: Array<{ total: string; parts: string[] }>;
  /** small ≤ large (within the limit ≤ completed; a numerator ≤ its denominator). */
  atMost: Array<{ small: string; large: string }>;
  /** Known lower bounds (a recurring theme counts 3 or more). */
  atLeast: Record<string, number>;
  /** Percentages (and rates per 100) whose value is shown, or shown as none. */
  percents: Array<{ key: string; numerator: string; denominator: string; shown: number | null; nullMeansZero: boolean }>;
  medians: Array<{ key: string; values: string; shown: number | null }>;
  /** XmR charts of counts shown with their mean and limits (what they imply of the points: see ChartView). */
  charts?: ChartView[];
  /** Known strict orders between cells (small < large). */
  lessThan?: Array<{ small: string; large: string }>;
  /**
   * Values to try first (the exact figures, where the publisher asks): they only order the search, so
   * the verdict is the same with or without them; a reader's view built from an output carries none.
   */
  hint?: Record<string, number>;
}

/**
 * An XmR chart of counts (METRICS.md, "Statistical process control") as a reader sees it: its points
 * (cells, in month order), its mean and limits rounded to two decimals from the exact points, and its
 * special-cause flags. The reader knows how they are computed: the mean pins the points' sum, the
 * limits the sum of the moving ranges (n ≤ 24 points: both to one whole number), and each flag (or
 * its absence) bounds a point: within the limits unless flagged outside them, beyond the 2σ line or
 * the mean where a rule says so, a trend's points strictly rising or falling.
 */
export interface ChartView {
  key: string;
  points: string[];
  mean: number;
  upperLimit: number;
  lowerLimit: number;
  flags: Array<{ point: string; rule: "outside_limits" | "two_of_three" | "shift" | "trend"; side: "high" | "low" }>;
}

export interface Pinned {
  cell: string;
  value: number;
}

export interface AttackResult {
  /** Every hidden cell the reader can work out, with its value. */
  pinned: Pinned[];
  /** False when no assignment agrees with the output at all (the view or the output is wrong). */
  consistent: boolean;
  /** Hidden cells the search gave up on (counted as pinned by the suppression, to be safe). */
  undecided: string[];
}

const INF = 10_000_000;
const NODE_BUDGET = 200_000;
/** Nodes a dive along a chart's whole chain may take before the search goes on without it. */
const DIVE_BUDGET = 300;

type Constraint =
  | { kind: "linear"; vars: number[]; coefs: number[]; constant: number } // Σ coef·x = constant
  | { kind: "le"; small: number; large: number }
  | { kind: "notSmall"; v: number; largest: number } // x ∉ 1..largest
  | { kind: "percent"; num: number; den: number; value: number }
  | { kind: "even"; v: number }
  | { kind: "somePrimary"; vars: number[]; largest: number }
  | { kind: "lt"; small: number; large: number } // small < large
  | { kind: "notAll"; vars: number[]; side: 1 | -1; bound: number } // not every x ≥ bound (side 1), or ≤ bound (−1)
  | { kind: "notRising"; vars: number[]; side: 1 | -1 } // not every step strictly up (1), or down (−1)
  | { kind: "chart"; vars: number[]; shown: string } // the points give the chart as shown: mean, limits and every flag (and no other)
  | { kind: "movingRange"; vars: number[]; range: number; sum: number; witness?: { low: number[]; high: number[] } | null }; // Σ |x_i − x_{i−1}| = range (sum: Σ x_i, for the chain's joint reading)

interface Model {
  names: string[];
  lo: number[];
  hi: number[];
  constraints: Constraint[];
  /** Each variable's value to try first, where the view gives one. */
  hint: Array<number | undefined>;
}

/** The reader's model: one variable per hidden cell, latent quantity and (rounded) shown cell. */
function buildModel(view: ReaderView): Model {
  const r = view.rules;
  const names: string[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const index = new Map<string, number>();
  const add = (name: string, l: number, h: number) => {
    index.set(name, names.length);
    names.push(name);
    lo.push(l);
    hi.push(h);
  };
  const half = Math.floor(r.rounding / 2);
  for (const [key, seen] of Object.entries(view.cells)) {
    if (seen === "hidden") add(key, 1, r.secondary ? INF : r.largestHidden);
    else if (seen === 0) add(key, 0, 0);
    else add(key, Math.max(seen - half, r.largestHidden + 1), seen + half);
  }
  for (const key of view.latents) if (!index.has(key)) add(key, 0, INF);
  const at = (key: string) => {
    const i = index.get(key);
    if (i === undefined) throw new Error(`The view names "${key}", which is neither a cell nor a latent quantity.`);
    return i;
  };
  for (const [key, min] of Object.entries(view.atLeast)) {
    const i = at(key);
    lo[i] = Math.max(lo[i]!, min);
  }
  const constraints: Constraint[] = [];
  for (const s of view.sums) {
    const vars = [at(s.total), ...s.parts.map(at)];
    constraints.push({ kind: "linear", vars, coefs: [1, ...s.parts.map(() => -1)], constant: 0 });
  }
  for (const a of view.atMost) constraints.push({ kind: "le", small: at(a.small), large: at(a.large) });
  const isLatent = (key: string) => !(key in view.cells);
  for (const p of view.percents) {
    const num = at(p.numerator);
    const den = at(p.denominator);
    if (p.shown === null) {
      if (p.nullMeansZero) hi[den] = 0;
      continue;
    }
    lo[den] = Math.max(lo[den]!, r.smallestPercentDenominator, 1);
    // A shown percentage's numerator and denominator were not small (else it would be withheld).
    if (isLatent(p.numerator)) constraints.push({ kind: "notSmall", v: num, largest: r.largestHidden });
    if (isLatent(p.denominator)) constraints.push({ kind: "notSmall", v: den, largest: r.largestHidden });
    // Exact percentages pin their ratio; percentages of rounded counts say nothing more of the exact ones.
    if (r.rounding === 1) constraints.push({ kind: "percent", num, den, value: p.shown });
  }
  for (const m of view.medians) {
    const values = at(m.values);
    if (m.shown === null) {
      hi[values] = 0;
      continue;
    }
    lo[values] = Math.max(lo[values]!, r.smallestMedianValues, 1);
    // A median ending in .5 is the mean of the middle two: an even number of values.
    if (!Number.isInteger(m.shown)) constraints.push({ kind: "even", v: values });
  }
  for (const o of view.lessThan ?? []) constraints.push({ kind: "lt", small: at(o.small), large: at(o.large) });
  for (const chart of view.charts ?? []) readChart(chart, { at, add, lo, hi, constraints });
  if (r.secondary) {
    // Groups of hidden cells tied by a total: each holds at least one small cell.
    const hidden = Object.keys(view.cells).filter((k) => view.cells[k] === "hidden");
    const parent = new Map(hidden.map((k) => [k, k]));
    const find = (k: string): string => (parent.get(k) === k ? k : find(parent.get(k)!));
    // A chart's points are tied by the total its mean implies.
    for (const ties of [...view.sums.map((s) => [s.total, ...s.parts]), ...(view.charts ?? []).map((c) => c.points)]) {
      const members = ties.filter((k) => parent.has(k));
      for (const m of members.slice(1)) parent.set(find(m), find(members[0]!));
    }
    const groups = new Map<string, number[]>();
    for (const k of hidden) groups.set(find(k), [...(groups.get(find(k)) ?? []), at(k)]);
    for (const vars of groups.values()) constraints.push({ kind: "somePrimary", vars, largest: r.largestHidden });
  }
  return { names, lo, hi, constraints, hint: names.map((n) => view.hint?.[n]) };
}

const varsOf = (c: Constraint): number[] => {
  switch (c.kind) {
    case "linear":
    case "somePrimary":
    case "chart":
    case "notAll":
    case "notRising":
      return c.vars;
    case "movingRange":
      return [...c.vars, c.range, c.sum];
    case "le":
    case "lt":
      return [c.small, c.large];
    case "percent":
      return [c.num, c.den];
    default:
      return [c.v];
  }
};

/** a / b rounded half away from zero (b > 0): how the chart's mean and limits are published, in hundredths. */
const roundHalfAway = (a: number, b: number) => Math.sign(a) * Math.floor((2 * Math.abs(a) + b) / (2 * b));
const floorDiv = (a: number, b: number) => Math.floor(a / b);
const ceilDiv = (a: number, b: number) => Math.ceil(a / b);

/**
 * The (sum, moving-range sum) pairs of a chart's n points that give its mean and limits as shown:
 * mean = S/n, limits = S/n ± 2.66·D/(n − 1), each rounded to two decimals half away from zero.
 */
export function chartPairs(chart: Pick<ChartView, "mean" | "upperLimit" | "lowerLimit">, n: number): Array<{ sum: number; range: number }> {
  const m = n - 1;
  const [M, U, L] = [chart.mean, chart.upperLimit, chart.lowerLimit].map((x) => Math.round(x * 100));
  const pairs: Array<{ sum: number; range: number }> = [];
  for (let sum = Math.floor((n * (M! - 1)) / 100); sum <= Math.ceil((n * (M! + 1)) / 100); sum++) {
    if (roundHalfAway(100 * sum, n) !== M) continue;
    for (let range = Math.max(0, Math.floor((m * (U! - L! - 2)) / 532)); range <= Math.ceil((m * (U! - L! + 2)) / 532); range++) {
      if (roundHalfAway(100 * sum * m + 266 * range * n, n * m) === U && roundHalfAway(100 * sum * m - 266 * range * n, n * m) === L) pairs.push({ sum, range });
    }
  }
  return pairs;
}

interface ModelBuilder {
  at: (key: string) => number;
  add: (name: string, lo: number, hi: number) => void;
  lo: number[];
  hi: number[];
  constraints: Constraint[];
}

/** What a shown chart of counts tells its reader, as variables and constraints (ChartView). */
function readChart(chart: ChartView, model: ModelBuilder): void {
  const { at, add, lo, hi, constraints } = model;
  const points = chart.points.map(at);
  const n = points.length;
  const m = n - 1;
  const pairs = chartPairs(chart, n);
  // Each bound is the loosest over the pairs the shown figures allow (usually one).
  const loosestLow = (f: (p: { sum: number; range: number }) => number) => Math.min(...pairs.map(f));
  const loosestHigh = (f: (p: { sum: number; range: number }) => number) => Math.max(...pairs.map(f));
  const sumVar = lo.length;
  if (pairs.length === 0) {
    // No pair gives the figures shown: the output contradicts itself (the attacker says so).
    add(`${chart.key}#sum`, 1, 0);
    add(`${chart.key}#range`, 0, 0);
  } else {
    add(`${chart.key}#sum`, loosestLow((p) => p.sum), loosestHigh((p) => p.sum));
    add(`${chart.key}#range`, loosestLow((p) => p.range), loosestHigh((p) => p.range));
  }
  const rangeVar = sumVar + 1;
  constraints.push({ kind: "linear", vars: [sumVar, ...points], coefs: [1, ...points.map(() => -1)], constant: 0 });
  if (n > 1) constraints.push({ kind: "movingRange", vars: points, range: rangeVar, sum: sumVar });
  // And the whole chart, checked on every assignment the search reaches: what the flags' absence says too
  // (no two of three beyond a 2σ line unless flagged, no run of 7 unless flagged, …).
  constraints.push({ kind: "chart", vars: points, shown: shownChart(chart.mean, chart.upperLimit, chart.lowerLimit, chart.flags.map((f) => ({ month: CHART_LABELS[chart.points.indexOf(f.point)]!, rule: f.rule, side: f.side }))) });
  if (pairs.length === 0) return;
  // Thresholds as fractions num / den of each pair: the limits, the 2σ lines and the mean.
  const upper = (p: { sum: number; range: number }) => [100 * p.sum * m + 266 * p.range * n, 100 * n * m] as const;
  const lower = (p: { sum: number; range: number }) => [100 * p.sum * m - 266 * p.range * n, 100 * n * m] as const;
  const upper2 = (p: { sum: number; range: number }) => [300 * p.sum * m + 532 * p.range * n, 300 * n * m] as const;
  const lower2 = (p: { sum: number; range: number }) => [300 * p.sum * m - 532 * p.range * n, 300 * n * m] as const;
  const mean = (p: { sum: number; range: number }) => [p.sum, n] as const;
  const atLeast = (v: number, x: number) => (lo[v] = Math.max(lo[v]!, x));
  const atMost = (v: number, x: number) => (hi[v] = Math.min(hi[v]!, x));
  /** x > t: x ≥ ⌊t⌋ + 1; x < t: x ≤ ⌈t⌉ − 1; x ≤ t: x ≤ ⌊t⌋; x ≥ t: x ≥ ⌈t⌉ (integer points). */
  const above = (v: number, t: typeof upper) => atLeast(v, loosestLow((p) => floorDiv(...t(p)) + 1));
  const below = (v: number, t: typeof upper) => atMost(v, loosestHigh((p) => ceilDiv(...t(p)) - 1));
  const notAbove = (v: number, t: typeof upper) => atMost(v, loosestHigh((p) => floorDiv(...t(p))));
  const notBelow = (v: number, t: typeof upper) => atLeast(v, loosestLow((p) => ceilDiv(...t(p))));
  const flagged = (i: number, rule: ChartView["flags"][number]["rule"], side: "high" | "low") =>
    chart.flags.some((f) => f.point === chart.points[i] && f.rule === rule && f.side === side);
  points.forEach((v, i) => {
    // Outside the limits only where flagged so; beyond the 2σ line, or the mean, where a rule says so.
    if (flagged(i, "outside_limits", "high")) above(v, upper);
    else notAbove(v, upper);
    if (flagged(i, "outside_limits", "low")) below(v, lower);
    else notBelow(v, lower);
    if (flagged(i, "two_of_three", "high")) above(v, upper2);
    if (flagged(i, "two_of_three", "low")) below(v, lower2);
    if (flagged(i, "shift", "high")) above(v, mean);
    if (flagged(i, "shift", "low")) below(v, mean);
  });
  for (const side of ["high", "low"] as const) {
    for (const [first, last] of blocks(n, (i) => flagged(i, "shift", side))) {
      // A shift is every point of its run: the points either side are not beyond the mean.
      for (const j of [first - 1, last + 1]) if (j >= 0 && j < n) (side === "high" ? notAbove : notBelow)(points[j]!, mean);
    }
    for (const [first, last] of blocks(n, (i) => flagged(i, "trend", side))) {
      // One run (two would need 14 points): each point strictly beyond the one before; the run cannot be extended.
      const rising = side === "high";
      if (last - first + 1 < 14) {
        for (let i = first + 1; i <= last; i++) constraints.push(rising ? { kind: "lt", small: points[i - 1]!, large: points[i]! } : { kind: "lt", small: points[i]!, large: points[i - 1]! });
      }
      if (first > 0) constraints.push(rising ? { kind: "le", small: points[first]!, large: points[first - 1]! } : { kind: "le", small: points[first - 1]!, large: points[first]! });
      if (last < n - 1) constraints.push(rising ? { kind: "le", small: points[last + 1]!, large: points[last]! } : { kind: "le", small: points[last]!, large: points[last + 1]! });
    }
  }
  // What no flag says. Beyond a line (x ≥ bound above it, x ≤ bound below it), taking the line that makes the fewest points beyond.
  const beyond = (t: typeof upper, side: 1 | -1) => (side === 1 ? loosestHigh((p) => floorDiv(...t(p)) + 1) : loosestLow((p) => ceilDiv(...t(p)) - 1));
  for (const [side, name] of [[1, "high"], [-1, "low"]] as const) {
    // Two points sharing a window of three, one not flagged two of three: not both beyond the 2σ line.
    const line = beyond(side === 1 ? upper2 : lower2, side);
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j <= i + 2 && j < n; j++)
        if (!flagged(i, "two_of_three", name) || !flagged(j, "two_of_three", name)) constraints.push({ kind: "notAll", vars: [points[i]!, points[j]!], side, bound: line });
    // Seven in a row holding a point not flagged shift: not all beyond the mean; not flagged trend: not all rising (falling).
    const middle = beyond(mean, side);
    for (let i = 0; i + 7 <= n; i++) {
      const window = points.slice(i, i + 7);
      const all = (rule: "shift" | "trend") => window.every((_, k) => flagged(i + k, rule, name));
      if (!all("shift")) constraints.push({ kind: "notAll", vars: window, side, bound: middle });
      if (!all("trend")) constraints.push({ kind: "notRising", vars: window, side });
    }
  }
}

/** Stand-in months for a chart's points, in order (the rules need only their order). */
const CHART_LABELS = Array.from({ length: 100 }, (_, i) => `p${String(i).padStart(2, "0")}`);
const RULES = ["outside_limits", "two_of_three", "shift", "trend"];

/** A chart's figures as a string to compare (flags in the order xmrChart lists them). */
function shownChart(mean: number | null, upper: number | null, lower: number | null, flags: Array<{ month: string; rule: string; side: string }>): string {
  const sorted = [...flags].sort((a, b) => a.month.localeCompare(b.month) || RULES.indexOf(a.rule) - RULES.indexOf(b.rule));
  return JSON.stringify([mean, upper, lower, sorted.map((f) => [f.month, f.rule, f.side])]);
}

/** Whether these points give the chart shown (computed as the warehouse computes it). */
function givesChart(values: number[], shown: string): boolean {
  const chart = xmrChart({ months: CHART_LABELS.slice(0, values.length), values, polarity: "neutral" });
  return shownChart(chart.mean, chart.upperLimit, chart.lowerLimit, chart.specialCause ?? []) === shown;
}

/** Maximal runs [first, last] of consecutive indices where `is` holds. */
function blocks(n: number, is: (i: number) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    if (!is(i)) continue;
    let j = i;
    while (j + 1 < n && is(j + 1)) j++;
    out.push([i, j]);
    i = j;
  }
  return out;
}

/** The numerators n with percent(n, d) = value, as a range (empty when lo > hi). */
function numeratorsFor(d: number, value: number): [number, number] {
  const centre = Math.round((value * d) / 100);
  let first = Infinity;
  let last = -Infinity;
  for (let n = Math.max(0, centre - 2); n <= centre + 2; n++) {
    if (percent(n, d) === value) {
      first = Math.min(first, n);
      last = Math.max(last, n);
    }
  }
  return [first, last];
}

/** Tightens the bounds to a fixed point; false when some variable has no value left. */
function propagate(lo: number[], hi: number[], constraints: Constraint[], joint = true): boolean {
  const chains = constraints.filter((c): c is Extract<Constraint, { kind: "movingRange" }> => c.kind === "movingRange");
  for (;;) {
    if (!propagateBounds(lo, hi, constraints)) return false;
    if (!joint) return true;
    // Then each chart's points read jointly (their sum and moving ranges), where the chain is small enough.
    let changed = false;
    for (const c of chains) {
      const result = chainSupports(lo, hi, c);
      if (result === false) return false;
      if (result === "tightened") changed = true;
    }
    if (!changed) return true;
  }
}

/** Bounds propagation over each constraint alone, to a fixed point. */
function propagateBounds(lo: number[], hi: number[], constraints: Constraint[]): boolean {
  for (let changed = true; changed; ) {
    changed = false;
    const setLo = (v: number, x: number) => {
      if (x > lo[v]!) {
        lo[v] = x;
        changed = true;
      }
    };
    const setHi = (v: number, x: number) => {
      if (x < hi[v]!) {
        hi[v] = x;
        changed = true;
      }
    };
    for (const c of constraints) {
      switch (c.kind) {
        case "linear": {
          // Σ coef·x = constant, coefs ±1: each term between the constant less the others' extremes.
          let minSum = 0;
          let maxSum = 0;
          for (let i = 0; i < c.vars.length; i++) {
            const v = c.vars[i]!;
            if (c.coefs[i]! > 0) {
              minSum += lo[v]!;
              maxSum += hi[v]!;
            } else {
              minSum -= hi[v]!;
              maxSum -= lo[v]!;
            }
          }
          for (let i = 0; i < c.vars.length; i++) {
            const v = c.vars[i]!;
            if (c.coefs[i]! > 0) {
              setHi(v, c.constant - (minSum - lo[v]!));
              setLo(v, c.constant - (maxSum - hi[v]!));
            } else {
              setLo(v, (minSum + hi[v]!) - c.constant);
              setHi(v, (maxSum + lo[v]!) - c.constant);
            }
            if (changed) break;
          }
          break;
        }
        case "le":
          setHi(c.small, hi[c.large]!);
          setLo(c.large, lo[c.small]!);
          break;
        case "lt":
          setHi(c.small, hi[c.large]! - 1);
          setLo(c.large, lo[c.small]! + 1);
          break;
        case "notAll": {
          // All but one surely beyond: that one is not.
          const sure = (v: number) => (c.side === 1 ? lo[v]! >= c.bound : hi[v]! <= c.bound);
          const open = c.vars.filter((v) => !sure(v));
          if (open.length === 0) return false;
          if (open.length === 1) (c.side === 1 ? setHi : setLo)(open[0]!, c.bound - c.side);
          break;
        }
        case "notRising": {
          // All steps but one surely rising (falling): that one does not.
          const open: number[] = [];
          for (let k = 1; k < c.vars.length; k++) {
            const a = c.vars[k - 1]!;
            const b = c.vars[k]!;
            if (!(c.side === 1 ? lo[b]! > hi[a]! : hi[b]! < lo[a]!)) open.push(k);
          }
          if (open.length === 0) return false;
          if (open.length === 1) {
            const a = c.vars[open[0]! - 1]!;
            const b = c.vars[open[0]!]!;
            if (c.side === 1) {
              setHi(b, hi[a]!);
              setLo(a, lo[b]!);
            } else {
              setLo(b, lo[a]!);
              setHi(a, hi[b]!);
            }
          }
          break;
        }
        case "movingRange": {
          // Each |x_i − x_{i−1}| lies between what the bounds allow; their sum is the range.
          const v = c.vars;
          const tmin: number[] = [];
          const tmax: number[] = [];
          let minSum = 0;
          let maxSum = 0;
          for (let i = 1; i < v.length; i++) {
            const a = v[i - 1]!;
            const b = v[i]!;
            tmin.push(Math.max(0, lo[b]! - hi[a]!, lo[a]! - hi[b]!));
            tmax.push(Math.max(hi[b]! - lo[a]!, hi[a]! - lo[b]!));
            minSum += tmin.at(-1)!;
            maxSum += tmax.at(-1)!;
          }
          setLo(c.range, minSum);
          setHi(c.range, maxSum);
          if (lo[c.range]! > hi[c.range]!) return false;
          for (let i = 1; i < v.length; i++) {
            const a = v[i - 1]!;
            const b = v[i]!;
            // No step can exceed the range less the least the others take …
            const cap = hi[c.range]! - (minSum - tmin[i - 1]!);
            setHi(b, hi[a]! + cap);
            setLo(b, lo[a]! - cap);
            setHi(a, hi[b]! + cap);
            setLo(a, lo[b]! - cap);
            // … nor fall short of the range less the most the others take.
            const need = lo[c.range]! - (maxSum - tmax[i - 1]!);
            if (need > 0) {
              const up = hi[b]! - lo[a]! >= need;
              const down = hi[a]! - lo[b]! >= need;
              if (!up && !down) return false;
              if (!up) {
                setHi(b, hi[a]! - need);
                setLo(a, lo[b]! + need);
              }
              if (!down) {
                setLo(b, lo[a]! + need);
                setHi(a, hi[b]! - need);
              }
            }
          }
          break;
        }
        case "notSmall":
          if (lo[c.v]! >= 1 && lo[c.v]! <= c.largest) setLo(c.v, c.largest + 1);
          if (hi[c.v]! >= 1 && hi[c.v]! <= c.largest) setHi(c.v, 0);
          break;
        case "even":
          if (lo[c.v]! % 2 !== 0) setLo(c.v, lo[c.v]! + 1);
          if (hi[c.v]! % 2 !== 0 && hi[c.v]! < INF) setHi(c.v, hi[c.v]! - 1);
          break;
        case "percent": {
          if (lo[c.den] === hi[c.den]) {
            const [first, last] = numeratorsFor(lo[c.den]!, c.value);
            if (first > last) return false;
            setLo(c.num, first);
            setHi(c.num, last);
          } else {
            // n/d within half a tenth of a percent of the value (loosened by one: the leaves check exactly).
            const low = (10 * c.value - 0.5) / 1000;
            const high = (10 * c.value + 0.5) / 1000;
            setLo(c.num, Math.ceil(low * lo[c.den]!) - 1);
            if (hi[c.den]! < INF) setHi(c.num, Math.floor(high * hi[c.den]!) + 1);
            if (low > 0 && hi[c.num]! < INF) setHi(c.den, Math.floor(hi[c.num]! / low) + 1);
            if (high > 0) setLo(c.den, Math.ceil(lo[c.num]! / high) - 1);
          }
          break;
        }
        case "somePrimary": {
          const possible = c.vars.filter((v) => lo[v]! <= c.largest);
          if (possible.length === 0) return false;
          if (possible.length === 1) setHi(possible[0]!, c.largest);
          break;
        }
      }
      for (const v of varsOf(c)) if (lo[v]! > hi[v]!) return false;
    }
  }
  return true;
}

/** Widest domain, and most states per month, a chain is read jointly with (beyond them its bounds alone are propagated). */
const CHAIN_WIDTH = 40;
const CHAIN_STATES = 400_000;

/**
 * A chart's chain read jointly: the values each point takes in some assignment of all of them whose
 * sum and moving-range sum lie within their bounds (a walk along the months, keeping each month's
 * value, the sum so far and the moving ranges so far). Tightens every point to those values' span and
 * the sum and range to theirs. Exact for the chain alone; other constraints are left to the search.
 */
function chainSupports(lo: number[], hi: number[], c: Extract<Constraint, { kind: "movingRange" }>): false | "tightened" | "unchanged" {
  const v = c.vars;
  c.witness = null;
  const n = v.length;
  if (v.some((x) => hi[x]! - lo[x]! > CHAIN_WIDTH)) return "unchanged";
  if (v.every((x) => lo[x] === hi[x])) return "unchanged";
  const base = v.reduce((s, x) => s + lo[x]!, 0);
  const width = v.map((x) => hi[x]! - lo[x]!);
  const sLo = Math.max(0, lo[c.sum]! - base);
  const sHi = Math.min(width.reduce((a, b) => a + b, 0), hi[c.sum]! - base);
  const dLo = lo[c.range]!;
  const dHi = hi[c.range]!;
  if (sLo > sHi || dLo > dHi) return false;
  const S = sHi + 1;
  const D = dHi + 1;
  if (S * D * (CHAIN_WIDTH + 1) > CHAIN_STATES * 8 || v.some((_, i) => (width[i]! + 1) * S * D > CHAIN_STATES)) return "unchanged";
  // What the months after i can still add: to the sum (0 to their widths), to the moving ranges.
  const remS = new Array<number>(n).fill(0);
  const remDmin = new Array<number>(n).fill(0);
  const remDmax = new Array<number>(n).fill(0);
  for (let i = n - 2; i >= 0; i--) {
    const a = v[i]!;
    const b = v[i + 1]!;
    remS[i] = remS[i + 1]! + width[i + 1]!;
    remDmin[i] = remDmin[i + 1]! + Math.max(0, lo[b]! - hi[a]!, lo[a]! - hi[b]!);
    remDmax[i] = remDmax[i + 1]! + Math.max(hi[b]! - lo[a]!, hi[a]! - lo[b]!);
  }
  const keep = (i: number, s: number, d: number) => s <= sHi && s + remS[i]! >= sLo && d <= dHi && d + remDmin[i]! <= dHi && d + remDmax[i]! >= dLo;
  // Layer i: a flag per (value − lo, sum so far, ranges so far), with the box of sums and ranges it uses.
  const at = (x: number, s: number, d: number) => (x * S + s) * D + d;
  type Box = { s0: number; s1: number; d0: number; d1: number };
  const boxes: Box[] = [];
  const layers: Uint8Array[] = [new Uint8Array((width[0]! + 1) * S * D)];
  boxes.push({ s0: S, s1: -1, d0: 0, d1: 0 });
  for (let x = 0; x <= width[0]!; x++)
    if (keep(0, x, 0)) {
      layers[0]![at(x, x, 0)] = 1;
      boxes[0]!.s0 = Math.min(boxes[0]!.s0, x);
      boxes[0]!.s1 = Math.max(boxes[0]!.s1, x);
    }
  if (boxes[0]!.s1 < 0) return false;
  for (let i = 1; i < n; i++) {
    const previous = layers[i - 1]!;
    const box = boxes[i - 1]!;
    const next = new Uint8Array((width[i]! + 1) * S * D);
    const nb: Box = { s0: S, s1: -1, d0: D, d1: -1 };
    const shift = lo[v[i]!]! - lo[v[i - 1]!]!;
    for (let x = 0; x <= width[i - 1]!; x++) {
      for (let s = box.s0; s <= box.s1; s++) {
        const row = (x * S + s) * D;
        for (let d = box.d0; d <= box.d1; d++) {
          if (!previous[row + d]) continue;
          for (let y = 0; y <= width[i]!; y++) {
            const s2 = s + y;
            if (s2 > sHi) break;
            const d2 = d + Math.abs(y + shift - x);
            if (keep(i, s2, d2)) {
              next[at(y, s2, d2)] = 1;
              if (s2 < nb.s0) nb.s0 = s2;
              if (s2 > nb.s1) nb.s1 = s2;
              if (d2 < nb.d0) nb.d0 = d2;
              if (d2 > nb.d1) nb.d1 = d2;
            }
          }
        }
      }
    }
    if (nb.s1 < 0) return false;
    layers.push(next);
    boxes.push(nb);
  }
  // Back from the states that end within the sum and range: those that reach one.
  const alive: Uint8Array[] = new Array(n);
  const end = layers[n - 1]!;
  const last = boxes[n - 1]!;
  alive[n - 1] = new Uint8Array(end.length);
  for (let x = 0; x <= width[n - 1]!; x++)
    for (let s = Math.max(sLo, last.s0); s <= last.s1; s++) for (let d = Math.max(dLo, last.d0); d <= last.d1; d++) if (end[at(x, s, d)]) alive[n - 1]![at(x, s, d)] = 1;
  for (let i = n - 2; i >= 0; i--) {
    const layer = layers[i]!;
    const box = boxes[i]!;
    const out = new Uint8Array(layer.length);
    const later = alive[i + 1]!;
    const shift = lo[v[i + 1]!]! - lo[v[i]!]!;
    for (let x = 0; x <= width[i]!; x++) {
      for (let s = box.s0; s <= box.s1; s++) {
        const row = (x * S + s) * D;
        for (let d = box.d0; d <= box.d1; d++) {
          if (!layer[row + d]) continue;
          for (let y = 0; y <= width[i + 1]!; y++) {
            const s2 = s + y;
            if (s2 > sHi) break;
            const d2 = d + Math.abs(y + shift - x);
            if (d2 <= dHi && later[at(y, s2, d2)]) {
              out[row + d] = 1;
              break;
            }
          }
        }
      }
    }
    alive[i] = out;
  }
  let tightened = false;
  const tighten = (x: number, l: number, h: number) => {
    if (l > h) return;
    if (l > lo[x]!) {
      lo[x] = l;
      tightened = true;
    }
    if (h < hi[x]!) {
      hi[x] = h;
      tightened = true;
    }
  };
  const span = (layer: Uint8Array, w: number, f: (x: number, s: number, d: number) => number, box: Box): [number, number] => {
    let min = Infinity;
    let max = -Infinity;
    for (let x = 0; x <= w; x++)
      for (let s = box.s0; s <= box.s1; s++)
        for (let d = box.d0; d <= box.d1; d++)
          if (layer[at(x, s, d)]) {
            const value = f(x, s, d);
            if (value < min) min = value;
            if (value > max) max = value;
          }
    return [min, max];
  };
  const [first] = span(alive[n - 1]!, width[n - 1]!, (x) => x, last);
  if (first === Infinity) return false;
  const bounds = v.map((_, i) => span(alive[i]!, width[i]!, (x) => x, boxes[i]!));
  const sums = span(alive[n - 1]!, width[n - 1]!, (_x, s) => s, last);
  const ranges = span(alive[n - 1]!, width[n - 1]!, (_x, _s, d) => d, last);
  // Two whole chains the walk allows (one keeping low, one high): the search tries them first.
  const walk = (high: boolean): number[] => {
    const order = (w: number) => (high ? Array.from({ length: w + 1 }, (_, i) => w - i) : Array.from({ length: w + 1 }, (_, i) => i));
    let state: [number, number, number] | null = null;
    for (const x of order(width[0]!)) {
      for (let s = boxes[0]!.s0; s <= boxes[0]!.s1 && !state; s++) for (let d = boxes[0]!.d0; d <= boxes[0]!.d1 && !state; d++) if (alive[0]![at(x, s, d)]) state = [x, s, d];
      if (state) break;
    }
    const path = [lo[v[0]!]! + state![0]];
    for (let i = 1; i < n; i++) {
      const [x, s, d] = state!;
      const shift = lo[v[i]!]! - lo[v[i - 1]!]!;
      for (const y of order(width[i]!)) {
        const d2 = d + Math.abs(y + shift - x);
        if (s + y <= sHi && d2 <= dHi && alive[i]![at(y, s + y, d2)]) {
          state = [y, s + y, d2];
          break;
        }
      }
      path.push(lo[v[i]!]! + state![0]);
    }
    return path;
  };
  c.witness = { low: walk(false), high: walk(true) };
  v.forEach((x, i) => tighten(x, lo[x]! + bounds[i]![0], lo[x]! + bounds[i]![1]));
  tighten(c.sum, base + sums[0], base + sums[1]);
  tighten(c.range, ranges[0], ranges[1]);
  return tightened ? "tightened" : "unchanged";
}

function satisfied(x: number[], c: Constraint): boolean {
  switch (c.kind) {
    case "lt":
      return x[c.small]! < x[c.large]!;
    case "chart":
      return givesChart(c.vars.map((v) => x[v]!), c.shown);
    case "notAll":
      return !c.vars.every((v) => (c.side === 1 ? x[v]! >= c.bound : x[v]! <= c.bound));
    case "notRising":
      return !c.vars.slice(1).every((v, k) => (c.side === 1 ? x[v]! > x[c.vars[k]!]! : x[v]! < x[c.vars[k]!]!));
    case "movingRange":
      return c.vars.slice(1).reduce((s, v, i) => s + Math.abs(x[v]! - x[c.vars[i]!]!), 0) === x[c.range]!;
    case "linear":
      return c.vars.reduce((s, v, i) => s + c.coefs[i]! * x[v]!, 0) === c.constant;
    case "le":
      return x[c.small]! <= x[c.large]!;
    case "notSmall":
      return !(x[c.v]! >= 1 && x[c.v]! <= c.largest);
    case "even":
      return x[c.v]! % 2 === 0;
    case "percent":
      return percent(x[c.num]!, x[c.den]!) === c.value;
    case "somePrimary":
      return c.vars.some((v) => x[v]! >= 1 && x[v]! <= c.largest);
  }
}

interface Search {
  nodes: number;
  /** Nodes this search may visit (NODE_BUDGET unless less). */
  budget?: number;
  /** Large values first (a second solution unlike the first, small-first one). */
  high?: boolean;
  /** Values to try first, by variable (Model.hint). */
  hint?: Array<number | undefined>;
}

/** Some assignment of the component's variables within the bounds, or null; "budget" when the search gave up. */
function solve(lo: number[], hi: number[], vars: number[], constraints: Constraint[], search: Search, depth = 0): number[] | null | "budget" {
  if (++search.nodes > (search.budget ?? NODE_BUDGET)) return "budget";
  // The charts' joint reading at the top of a search and every third level down (bounds alone between: cheaper, as exact).
  if (!propagate(lo, hi, constraints, depth % 3 === 0)) return null;
  let pick = -1;
  for (const v of vars) if (lo[v]! < hi[v]! && (pick < 0 || hi[v]! - lo[v]! < hi[pick]! - lo[pick]!)) pick = v;
  if (pick < 0) return constraints.every((c) => satisfied(lo, c)) ? [...lo] : null;
  const hint = search.high ? undefined : search.hint;
  if (hint) {
    // The hinted values, within the bounds, where they still agree with everything.
    const probe = lo.map((l, i) => Math.min(hi[i]!, Math.max(l, hint[i] ?? l)));
    if (constraints.every((c) => satisfied(probe, c))) return probe;
  }
  // A chart's chain as its walk found it whole: tried first (it satisfies the chain; the rest is then propagated).
  for (const c of hint ? [] : constraints) {
    if (c.kind !== "movingRange" || !c.witness || c.vars.every((x) => lo[x] === hi[x])) continue;
    const path = search.high ? c.witness.high : c.witness.low;
    if (path.some((x, i) => x < lo[c.vars[i]!]! || x > hi[c.vars[i]!]!)) continue;
    const lo2 = [...lo];
    const hi2 = [...hi];
    c.vars.forEach((x, i) => (lo2[x] = hi2[x] = path[i]!));
    // A dive on a budget of its own: a chain the rest cannot follow is left for the search below, not proved hopeless here.
    const dive: Search = { nodes: 0, budget: DIVE_BUDGET, high: search.high, hint: search.hint };
    const found = solve(lo2, hi2, vars, constraints, dive, depth + 1);
    search.nodes += dive.nodes;
    if (Array.isArray(found)) return found;
    break;
  }
  // Every undecided variable at its low (or, searching from the other end, high) bound may already do.
  const probe = search.high ? hi.map((h, i) => (h >= INF ? lo[i]! : h)) : lo;
  if (constraints.every((c) => satisfied(probe, c))) return [...probe];
  // Small values first (hidden cells are mostly small); split wide domains in two.
  const width = hi[pick]! - lo[pick]!;
  const branches: Array<[number, number]> =
    width <= 12 ? Array.from({ length: width + 1 }, (_, i) => [lo[pick]! + i, lo[pick]! + i]) : [[lo[pick]!, lo[pick]! + Math.floor(width / 2)], [lo[pick]! + Math.floor(width / 2) + 1, hi[pick]!]];
  // From the other end only among a few values (a wide domain is still split low half first: its high end is no count).
  if (search.high && width <= 12) branches.reverse();
  // Nearest the hinted value first (the half holding it, for a wide domain).
  const h = hint?.[pick];
  if (h !== undefined) branches.sort((a, b) => distance(a, h) - distance(b, h) || a[0] - b[0]);
  let gaveUp = false;
  for (const [l, h] of branches) {
    const lo2 = [...lo];
    const hi2 = [...hi];
    lo2[pick] = l;
    hi2[pick] = h;
    const found = solve(lo2, hi2, vars, constraints, search, depth + 1);
    if (found === "budget") gaveUp = true;
    else if (found) return found;
  }
  return gaveUp ? "budget" : null;
}

/** How far a value is from a range of values. */
const distance = ([l, h]: [number, number], x: number) => (x < l ? l - x : x > h ? x - h : 0);

/** Every hidden cell the reader can work out from the view. */
export function attack(view: ReaderView): AttackResult {
  const model = buildModel(view);
  const { names, constraints } = model;
  const hiddenVars = names.map((n, i) => (view.cells[n] === "hidden" ? i : -1)).filter((i) => i >= 0);
  // Components: variables tied by a constraint, counting only unknowns (a fixed shown count ties nothing).
  const unknown = (v: number) => model.lo[v]! < model.hi[v]!;
  const parent = names.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (const c of constraints) {
    const vs = varsOf(c).filter((v) => unknown(v) || view.cells[names[v]!] === "hidden");
    for (const v of vs.slice(1)) parent[find(v)] = find(vs[0]!);
  }
  const result: AttackResult = { pinned: [], consistent: true, undecided: [] };
  const components = new Map<number, number[]>();
  for (let i = 0; i < names.length; i++) components.set(find(i), [...(components.get(find(i)) ?? []), i]);
  for (const vars of components.values()) {
    const hiddenHere = vars.filter((v) => hiddenVars.includes(v));
    if (hiddenHere.length === 0) continue;
    const inHere = new Set(vars);
    const local = constraints.filter((c) => varsOf(c).some((v) => inHere.has(v)));
    // The same component, with the same bounds, was decided before (suppression asks again and again as it hides more elsewhere).
    const key = componentKey(model, vars, hiddenHere, local);
    const known = DECIDED.get(key);
    if (known) {
      result.pinned.push(...known.pinned);
      result.undecided.push(...known.undecided);
      if (!known.consistent) result.consistent = false;
      continue;
    }
    const decided = decideComponent(model, vars, hiddenHere, local);
    if (DECIDED.size > 5_000) DECIDED.clear();
    DECIDED.set(key, decided);
    result.pinned.push(...decided.pinned);
    result.undecided.push(...decided.undecided);
    if (!decided.consistent) result.consistent = false;
  }
  result.pinned.sort((a, b) => a.cell.localeCompare(b.cell));
  return result;
}

/** Components already decided, by what defines them (its variables' names and bounds, which are hidden, its constraints). */
const DECIDED = new Map<string, AttackResult>();

function componentKey(model: Model, vars: number[], hidden: number[], local: Constraint[]): string {
  const referenced = [...new Set([...vars, ...local.flatMap(varsOf)])].sort((a, b) => a - b);
  const name = (v: number) => model.names[v]!;
  const bounds = referenced.map((v) => `${name(v)}:${model.lo[v]}:${model.hi[v]}`).join("|");
  const parts = local.map((c) => {
    switch (c.kind) {
      case "linear":
        return `L${c.vars.map((v, i) => `${c.coefs[i]}*${name(v)}`).join("+")}=${c.constant}`;
      case "somePrimary":
        return `P${c.largest}:${c.vars.map(name).join(",")}`;
      case "movingRange":
        return `M${name(c.range)}:${name(c.sum)}:${c.vars.map(name).join(",")}`;
      case "chart":
        return `C${c.shown}:${c.vars.map(name).join(",")}`;
      case "notAll":
        return `A${c.side}:${c.bound}:${c.vars.map(name).join(",")}`;
      case "notRising":
        return `R${c.side}:${c.vars.map(name).join(",")}`;
      case "le":
      case "lt":
        return `${c.kind}${name(c.small)}<${name(c.large)}`;
      case "percent":
        return `%${name(c.num)}/${name(c.den)}=${c.value}`;
      case "notSmall":
        return `N${c.largest}:${name(c.v)}`;
      case "even":
        return `E${name(c.v)}`;
    }
  });
  const hints = vars.map((v) => model.hint[v] ?? "").join(",");
  return `${bounds}#${hidden.map(name).join(",")}#${parts.join(";")}#${hints}`;
}

/** Which hidden cells of one component the reader can work out. */
function decideComponent(model: Model, vars: number[], hiddenHere: number[], local: Constraint[]): AttackResult {
  const { names } = model;
  const result: AttackResult = { pinned: [], consistent: true, undecided: [] };
  {
    const search: Search = { nodes: 0, hint: model.hint };
    const first = solve([...model.lo], [...model.hi], vars, local, search);
    if (first === "budget") {
      result.undecided.push(...hiddenHere.map((v) => names[v]!));
      return result;
    }
    if (first === null) {
      result.consistent = false;
      return result;
    }
    // Values seen per variable across the solutions found: a second value means not pinned.
    const seen = new Map<number, Set<number>>(vars.map((v) => [v, new Set([first[v]!])]));
    const record = (x: number[]) => vars.forEach((v) => seen.get(v)!.add(x[v]!));
    // A solution from the other end shows at once most cells that can take another value.
    if (hiddenHere.length > 1) {
      const opposite = solve([...model.lo], [...model.hi], vars, local, { nodes: 0, high: true, budget: 2_000 });
      if (Array.isArray(opposite)) record(opposite);
    }
    for (const v of hiddenHere) {
      if (seen.get(v)!.size > 1) continue;
      const value = first[v]!;
      let other: number[] | null | "budget" = null;
      for (const [l, h] of [[model.lo[v]!, value - 1], [value + 1, model.hi[v]!]] as const) {
        if (l > h) continue;
        const lo = [...model.lo];
        const hi = [...model.hi];
        lo[v] = l;
        hi[v] = h;
        other = solve(lo, hi, vars, local, { nodes: 0, hint: model.hint });
        if (other) break;
      }
      if (other === "budget") result.undecided.push(names[v]!);
      else if (other) record(other);
      else result.pinned.push({ cell: names[v]!, value });
    }
  }
  return result;
}
