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

type Constraint =
  | { kind: "linear"; vars: number[]; coefs: number[]; constant: number } // Σ coef·x = constant
  | { kind: "le"; small: number; large: number }
  | { kind: "notSmall"; v: number; largest: number } // x ∉ 1..largest
  | { kind: "percent"; num: number; den: number; value: number }
  | { kind: "even"; v: number }
  | { kind: "somePrimary"; vars: number[]; largest: number };

interface Model {
  names: string[];
  lo: number[];
  hi: number[];
  constraints: Constraint[];
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
  if (r.secondary) {
    // Groups of hidden cells tied by a total: each holds at least one small cell.
    const hidden = Object.keys(view.cells).filter((k) => view.cells[k] === "hidden");
    const parent = new Map(hidden.map((k) => [k, k]));
    const find = (k: string): string => (parent.get(k) === k ? k : find(parent.get(k)!));
    for (const s of view.sums) {
      const members = [s.total, ...s.parts].filter((k) => parent.has(k));
      for (const m of members.slice(1)) parent.set(find(m), find(members[0]!));
    }
    const groups = new Map<string, number[]>();
    for (const k of hidden) groups.set(find(k), [...(groups.get(find(k)) ?? []), at(k)]);
    for (const vars of groups.values()) constraints.push({ kind: "somePrimary", vars, largest: r.largestHidden });
  }
  return { names, lo, hi, constraints };
}

const varsOf = (c: Constraint): number[] =>
  c.kind === "linear" || c.kind === "somePrimary" ? c.vars : c.kind === "le" ? [c.small, c.large] : c.kind === "percent" ? [c.num, c.den] : [c.v];

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
function propagate(lo: number[], hi: number[], constraints: Constraint[]): boolean {
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

function satisfied(x: number[], c: Constraint): boolean {
  switch (c.kind) {
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
}

/** Some assignment of the component's variables within the bounds, or null; "budget" when the search gave up. */
function solve(lo: number[], hi: number[], vars: number[], constraints: Constraint[], search: Search): number[] | null | "budget" {
  if (++search.nodes > NODE_BUDGET) return "budget";
  if (!propagate(lo, hi, constraints)) return null;
  let pick = -1;
  for (const v of vars) if (lo[v]! < hi[v]! && (pick < 0 || hi[v]! - lo[v]! < hi[pick]! - lo[pick]!)) pick = v;
  if (pick < 0) return constraints.every((c) => satisfied(lo, c)) ? [...lo] : null;
  // Small values first (hidden cells are mostly small); split wide domains in two.
  const width = hi[pick]! - lo[pick]!;
  const branches: Array<[number, number]> =
    width <= 12 ? Array.from({ length: width + 1 }, (_, i) => [lo[pick]! + i, lo[pick]! + i]) : [[lo[pick]!, lo[pick]! + Math.floor(width / 2)], [lo[pick]! + Math.floor(width / 2) + 1, hi[pick]!]];
  let gaveUp = false;
  for (const [l, h] of branches) {
    const lo2 = [...lo];
    const hi2 = [...hi];
    lo2[pick] = l;
    hi2[pick] = h;
    const found = solve(lo2, hi2, vars, constraints, search);
    if (found === "budget") gaveUp = true;
    else if (found) return found;
  }
  return gaveUp ? "budget" : null;
}

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
    const search: Search = { nodes: 0 };
    const first = solve([...model.lo], [...model.hi], vars, local, search);
    if (first === "budget") {
      result.undecided.push(...hiddenHere.map((v) => names[v]!));
      continue;
    }
    if (first === null) {
      result.consistent = false;
      continue;
    }
    // Values seen per variable across the solutions found: a second value means not pinned.
    const seen = new Map<number, Set<number>>(vars.map((v) => [v, new Set([first[v]!])]));
    const record = (x: number[]) => vars.forEach((v) => seen.get(v)!.add(x[v]!));
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
        other = solve(lo, hi, vars, local, { nodes: 0 });
        if (other) break;
      }
      if (other === "budget") result.undecided.push(names[v]!);
      else if (other) record(other);
      else result.pinned.push({ cell: names[v]!, value });
    }
  }
  result.pinned.sort((a, b) => a.cell.localeCompare(b.cell));
  return result;
}
