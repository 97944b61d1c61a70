/**
 * The attacker against an independent oracle. For tiny publications (a total with two breakdowns, a
 * percentage and a median over its parts, a pair within ≤ completed, a recurring count ≥ 3), the oracle
 * enumerates every value of the hidden cells (and, under nhs, of every rounded shown cell) within its
 * range that agrees with what the output prints, read by the published rules alone; a hidden cell with
 * one value in every such world is worked out. The attacker must pin exactly those cells, with those
 * values: not fewer (a leak it misses would pass suppression), not more. Nothing here calls the
 * attacker's model or the suppressor's loop to decide what a reader knows.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attack } from "../reports/attacker";
import { nhsCount, readerView, suppress, type DisclosureProfile, type Publication } from "../reports/disclosure";
import { percent } from "../server/metrics/percent";
import { xmrChart } from "../server/metrics/spc";

/** The published rules as a reader knows them (METRICS.md, and the statement printed with the output). */
const RULES = {
  dfe: { largest: 5, smallestDenominator: 10, smallestMedian: 6 },
  nhs: { largest: 7, smallestDenominator: 1, smallestMedian: 8 },
};

interface Tiny {
  parts: number[]; // a0..ak−1, total T = Σ
  split: number | null; // b0 (b1 = T − b0): a second breakdown of T
  pair: [number, number] | null; // within ≤ completed
  learned: number | null; // latent numerator n ≤ a0: percentage n / a0 shown as "pct"
  median: number | null; // a median over a1's values (a .5 says an even count)
  recurring: number | null; // ≥ 3 by definition
}

const tiny = (max: number) =>
  fc
    .record({
      parts: fc.array(fc.integer({ min: 0, max }), { minLength: 2, maxLength: 3 }),
      split: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      pair: fc.option(fc.tuple(fc.integer({ min: 0, max }), fc.double({ min: 0, max: 1, noNaN: true })), { nil: null }),
      learned: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      median: fc.option(fc.constantFrom(1, 2, 2.5, 4, 7.5), { nil: null }),
      recurring: fc.option(fc.integer({ min: 3, max }), { nil: null }),
    })
    .map((g): Tiny => {
      const total = g.parts.reduce((a, b) => a + b, 0);
      return {
        parts: g.parts,
        split: g.split === null ? null : Math.round(g.split * total),
        pair: g.pair === null ? null : [Math.round(g.pair[1] * g.pair[0]), g.pair[0]],
        learned: g.learned === null ? null : Math.round(g.learned * g.parts[0]!),
        // A median ending .5 is over an even number of values: over an odd count, its whole part.
        median: g.median === null ? null : g.parts[1]! % 2 ? Math.floor(g.median) : g.median,
        recurring: g.recurring,
      };
    });

const A = (i: number) => `a${i}`;

function publicationOf(t: Tiny): Publication {
  const total = t.parts.reduce((a, b) => a + b, 0);
  const cells: Record<string, number> = { T: total };
  t.parts.forEach((n, i) => (cells[A(i)] = n));
  const sums = [{ total: "T", parts: t.parts.map((_, i) => A(i)) }];
  if (t.split !== null) {
    cells.b0 = t.split;
    cells.b1 = total - t.split;
    sums.push({ total: "T", parts: ["b0", "b1"] });
  }
  const atMost: Publication["atMost"] = [];
  if (t.pair) {
    cells.within = t.pair[0];
    cells.completed = t.pair[1];
    atMost.push({ small: "within", large: "completed" });
  }
  const latents: Record<string, number> = {};
  const percents: Publication["percents"] = [];
  if (t.learned !== null) {
    latents.n = t.learned;
    atMost.push({ small: "n", large: "a0" });
    percents.push({ key: "pct", numerator: "n", denominator: "a0", exact: percent(t.learned, t.parts[0]!), nullMeansZero: true });
  }
  const medians = t.median === null ? [] : [{ key: "median", values: "a1", exact: t.parts[1] === 0 ? null : t.median }];
  const atLeast: Record<string, number> = {};
  if (t.recurring !== null) {
    cells.recurring = t.recurring;
    atLeast.recurring = 3;
  }
  return { cells, totals: ["T"], latents, sums, atMost, atLeast, percents, medians };
}

type Printed = number | "hidden";
interface Output {
  cells: Record<string, Printed>;
  /** Percentage and median as printed: a number, none (null), or withheld. */
  pct: number | null | "withheld" | "absent";
  median: number | null | "withheld" | "absent";
  /** The statement says further cells were hidden (always so under dfe). */
  further: boolean;
}

/** What the output prints, worked from the rules (not from the code that publishes it). */
function printed(t: Tiny, p: Publication, hidden: Set<string>, withheld: Set<string>, profile: DisclosureProfile): Output {
  const cells: Record<string, Printed> = {};
  for (const [k, n] of Object.entries(p.cells)) cells[k] = hidden.has(k) ? "hidden" : profile === "nhs" ? (nhsCount(n) as number) : n;
  const small = (n: number) => n >= 1 && n <= RULES[profile].largest;
  let pct: Output["pct"] = "absent";
  if (t.learned !== null) {
    const a0 = t.parts[0]!;
    pct = a0 === 0 ? null : withheld.has("pct") ? "withheld" : profile === "dfe" ? percent(t.learned, a0) : percent(nhsCount(t.learned) as number, nhsCount(a0) as number);
  }
  const median: Output["median"] = t.median === null ? "absent" : t.parts[1] === 0 ? null : withheld.has("median") ? "withheld" : t.median;
  return { cells, pct, median, further: profile === "dfe" || [...hidden].some((k) => !small(p.cells[k]!)) };
}

/**
 * Every world agreeing with the output, by enumeration: the hidden cells that take one value in all of
 * them. `cap` bounds a hidden count that nothing else bounds (well above any value generated).
 */
function oracle(t: Tiny, out: Output, profile: DisclosureProfile, cap: number): { worlds: number; pinned: Record<string, number> } {
  const { largest, smallestDenominator, smallestMedian } = RULES[profile];
  const small = (n: number) => n >= 1 && n <= largest;
  // The values a cell can have, read off the output alone.
  const range = (key: string): number[] => {
    const seen = out.cells[key]!;
    const span = (lo: number, hi: number) => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
    if (seen === "hidden") return out.further ? span(1, cap) : span(1, largest); // zeros are never hidden
    if (seen === 0) return [0];
    if (profile === "dfe") return [seen];
    return span(Math.max(seen - 2, largest + 1), seen + 2).filter((n) => nhsCount(n) === seen);
  };
  const values = new Map<string, Set<number>>();
  const note = (world: Record<string, number>) => {
    for (const [k, v] of Object.entries(world)) (values.get(k) ?? values.set(k, new Set()).get(k)!).add(v);
  };
  // Groups of hidden cells tied by a total (two hidden cells of one sum are in one group) each hold one
  // small cell: a cell is hidden further only to protect another of a total it belongs to.
  const partKeys = t.parts.map((_, i) => A(i));
  const sums = [["T", ...partKeys], ...(t.split !== null ? [["T", "b0", "b1"]] : [])];
  const hiddenKeys = Object.keys(out.cells).filter((k) => out.cells[k] === "hidden");
  const groups: string[][] = hiddenKeys.map((k) => [k]);
  for (const sum of sums) {
    const joined = groups.filter((g) => g.some((k) => sum.includes(k)));
    if (joined.length < 2) continue;
    for (const g of joined) groups.splice(groups.indexOf(g), 1);
    groups.push(joined.flat());
  }
  const groupHoldsSmall = (world: Record<string, number>, keys: string[]) =>
    !out.further || groups.filter((g) => g.some((k) => keys.includes(k))).every((g) => g.some((k) => small(world[k]!)));
  let worlds = 0;
  // The total's table: parts, total, second breakdown, the percentage and the median.
  const tableKeys = ["T", ...partKeys, ...(t.split !== null ? ["b0", "b1"] : [])];
  let tableWorlds = 0;
  const walk = (i: number, chosen: number[]) => {
    if (i < partKeys.length) {
      for (const v of range(partKeys[i]!)) walk(i + 1, [...chosen, v]);
      return;
    }
    const T = chosen.reduce((a, b) => a + b, 0);
    if (!range("T").includes(T)) return;
    const a0 = chosen[0]!;
    const a1 = chosen[1]!;
    if (out.pct !== "absent" && out.pct !== "withheld") {
      if (out.pct === null) {
        if (a0 !== 0) return;
      } else {
        // Shown: its denominator is not too small, its numerator (unpublished, 0..a0) is not small and gives the figure.
        if (a0 < Math.max(1, smallestDenominator) || small(a0)) return;
        let some = false;
        for (let n = 0; n <= a0 && !some; n++) {
          if (small(n)) continue;
          some = profile === "dfe" ? percent(n, a0) === out.pct : percent(nhsCount(n) as number, nhsCount(a0) as number) === out.pct;
        }
        if (!some) return;
      }
    }
    if (out.median !== "absent" && out.median !== "withheld") {
      if (out.median === null) {
        if (a1 !== 0) return;
      } else if (a1 < smallestMedian || (!Number.isInteger(out.median) && a1 % 2 !== 0)) return;
    }
    const splits = t.split === null ? [null] : range("b0").filter((b0) => range("b1").includes(T - b0));
    for (const b0 of splits) {
      const world: Record<string, number> = { T, ...Object.fromEntries(partKeys.map((k, j) => [k, chosen[j]!])) };
      if (b0 !== null) Object.assign(world, { b0, b1: T - b0 });
      if (!groupHoldsSmall(world, tableKeys)) continue;
      tableWorlds++;
      note(world);
    }
  };
  walk(0, []);
  worlds = tableWorlds;
  // The pair (no total ties them: each hidden one is its own group).
  if (t.pair) {
    let pairWorlds = 0;
    for (const w of range("within"))
      for (const c of range("completed")) {
        const world = { within: w, completed: c };
        if (w <= c && groupHoldsSmall(world, ["within"]) && groupHoldsSmall(world, ["completed"])) {
          pairWorlds++;
          note(world);
        }
      }
    worlds = Math.min(worlds, pairWorlds);
  }
  if (t.recurring !== null) {
    const ok = range("recurring").filter((r) => r >= 3 && groupHoldsSmall({ recurring: r }, ["recurring"]));
    ok.forEach((r) => note({ recurring: r }));
    worlds = Math.min(worlds, ok.length);
  }
  const pinned: Record<string, number> = {};
  for (const [k, seen] of Object.entries(out.cells)) if (seen === "hidden" && values.get(k)?.size === 1) pinned[k] = [...values.get(k)!][0]!;
  return { worlds, pinned };
}

const asRecord = (pinned: Array<{ cell: string; value: number }>) => Object.fromEntries(pinned.map((p) => [p.cell, p.value]));

/** Figures withheld as suppression must: over a hidden or small count, or too small a denominator. */
function mandatoryWithheld(t: Tiny, hidden: Set<string>, profile: DisclosureProfile, basisRule: boolean): Set<string> {
  const { largest, smallestDenominator, smallestMedian } = RULES[profile];
  const small = (n: number) => n >= 1 && n <= largest;
  const out = new Set<string>();
  if (t.learned !== null && t.parts[0]! > 0) {
    if ((basisRule && hidden.has("a0")) || small(t.parts[0]!) || small(t.learned) || t.parts[0]! < smallestDenominator) out.add("pct");
  }
  if (t.median !== null && t.parts[1]! > 0 && ((basisRule && hidden.has("a1")) || t.parts[1]! < smallestMedian)) out.add("median");
  return out;
}

describe.each([
  ["dfe", 12, 40],
  ["nhs", 12, 40],
] as Array<[DisclosureProfile, number, number]>)("the attacker and an enumerating oracle under %s", (profile, max, cap) => {
  it("agree on which hidden cells a reader can work out, for any cells hidden (primary, and some more in the total's table)", () => {
    let leaks = 0;
    fc.assert(
      fc.property(tiny(max), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), fc.boolean(), (t, extra, showOverHidden) => {
        const publication = publicationOf(t);
        const { largest } = RULES[profile];
        const hidden = new Set(Object.keys(publication.cells).filter((k) => publication.cells[k]! >= 1 && publication.cells[k]! <= largest));
        // More cells hidden, as secondary suppression would: a non-zero cell of a sum that already hides one.
        let i = 0;
        for (const sum of publication.sums) {
          const members = [sum.total, ...sum.parts];
          const protects = members.some((k) => hidden.has(k));
          for (const k of members) if (extra[i++ % extra.length] && protects && publication.cells[k]! > 0) hidden.add(k);
        }
        // Under dfe, a percentage or median may also be shown over a hidden count (as before issue 21): the attacker must read it too.
        const withheld = mandatoryWithheld(t, hidden, profile, !(profile === "dfe" && showOverHidden));
        const out = printed(t, publication, hidden, withheld, profile);
        const truth = oracle(t, out, profile, cap);
        expect(truth.worlds).toBeGreaterThan(0); // the true world agrees with its own output
        const result = attack(readerView(publication, { hidden, withheld }, profile));
        expect(result).toMatchObject({ consistent: true, undecided: [] });
        expect(asRecord(result.pinned)).toEqual(truth.pinned);
        if (result.pinned.length) leaks++;
      }),
      { numRuns: 120, seed: 2121 },
    );
    // Not a vacuous agreement under dfe: some of these outputs do give a hidden cell away. (Under nhs the rounding
    // leaves every * at least two values in tables this small: the agreement there is that neither pins anything.)
    if (profile === "dfe") expect(leaks).toBeGreaterThan(5);
  });

  it("find nothing to work out in what suppression publishes", () => {
    fc.assert(
      fc.property(tiny(max), (t) => {
        const publication = publicationOf(t);
        const suppression = suppress(publication, profile);
        expect(suppression.check.passed).toBe(true);
        const truth = oracle(t, printed(t, publication, suppression.hidden, suppression.withheld, profile), profile, cap);
        expect(truth.worlds).toBeGreaterThan(0);
        expect(truth.pinned).toEqual({});
      }),
      { numRuns: 120, seed: 2122 },
    );
  });
});

describe("the oracle itself", () => {
  it("works out a month hidden alone under a shown quarter (23 − 10 − 12 = 1), and not once a second is hidden", () => {
    // T 23 = a0 10 + a1 1 + a2 12: only a1 hidden (dfe, further hiding allowed): a1 = 23 − 10 − 12 = 1, the one world.
    const t: Tiny = { parts: [10, 1, 12], split: null, pair: null, learned: null, median: null, recurring: null };
    const p = publicationOf(t);
    expect(oracle(t, printed(t, p, new Set(["a1"]), new Set(), "dfe"), "dfe", 24)).toEqual({ worlds: 1, pinned: { a1: 1 } });
    // a0 hidden too: a0 + a1 = 11 with a small one among them: 1 + 10, …, 10 + 1 (and a1 ≥ 1): ten worlds, nothing pinned.
    expect(oracle(t, printed(t, p, new Set(["a0", "a1"]), new Set(), "dfe"), "dfe", 24)).toEqual({ worlds: 10, pinned: {} });
  });
});

/**
 * A chart of counts (issue 19): twelve months shown as an XmR chart with its mean, limits and flags,
 * the last three summing to a shown quarter. The oracle recomputes the whole chart (server/metrics/spc.ts)
 * for every assignment of the hidden months and keeps those that print the same mean, limits and flags:
 * all a reader can learn from them (what the flags say, and what their absence says of windows and runs).
 * The attacker must pin exactly the months the oracle does, and what suppression publishes must leave
 * the oracle nothing. (Found this way: 6, 6, 6, 10, 6, 6, 6, 6, 6, c, c, c under a quarter of 12, the
 * truth 2, 7, 3, was the only world: 1, 2, 9 has the same sum and moving ranges, but puts 1 and 2 below
 * the lower 2σ line, 2.45, side by side with no flag to say so.)
 */
describe("the attacker and an enumerating oracle on a chart of counts (dfe)", () => {
  const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`);
  const key = (i: number) => `m.${MONTHS[i]}`;
  const series = fc
    .array(fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 0, max: 5 }) }, { weight: 3, arbitrary: fc.integer({ min: 6, max: 14 }) }), { minLength: 12, maxLength: 12 })
    .filter((xs) => xs.filter((x) => x >= 1 && x <= 5).length <= 3);

  function publicationOf(xs: number[]): { publication: Publication; chart: ReturnType<typeof xmrChart> } {
    const chart = xmrChart({ months: MONTHS, values: xs, polarity: "neutral" });
    const cells: Record<string, number> = { Q: xs[9]! + xs[10]! + xs[11]! };
    xs.forEach((x, i) => (cells[key(i)] = x));
    const points = MONTHS.map((_, i) => key(i));
    return {
      chart,
      publication: {
        cells, totals: ["Q"], latents: {}, atMost: [], atLeast: {}, percents: [], medians: [],
        sums: [{ total: "Q", parts: [key(9), key(10), key(11)] }],
        charts: [{ key: "chart", points, mean: chart.mean!, upperLimit: chart.upperLimit!, lowerLimit: chart.lowerLimit!, flags: chart.specialCause!.map((f) => ({ point: key(MONTHS.indexOf(f.month)), rule: f.rule, side: f.side })) }],
      },
    };
  }

  /** The hidden months' values in every world that prints the same chart (or, withheld, the same cells), and the pinned ones. */
  function oracleOf(xs: number[], chart: ReturnType<typeof xmrChart>, hidden: Set<string>, chartShown: boolean, cap = 30): Record<string, number> {
    const hiddenMonths = MONTHS.map((_, i) => i).filter((i) => hidden.has(key(i)));
    const quarterHidden = hidden.has("Q");
    const values = new Map<number, Set<number>>(hiddenMonths.map((i) => [i, new Set()]));
    const quarterValues = new Set<number>();
    const world = [...xs];
    const printed = JSON.stringify([chart.mean, chart.upperLimit, chart.lowerLimit, chart.specialCause]);
    const walk = (j: number) => {
      if (j === hiddenMonths.length) {
        const q = world[9]! + world[10]! + world[11]!;
        if (!quarterHidden && q !== xs[9]! + xs[10]! + xs[11]!) return;
        // Each group of hidden cells tied by the chart and the quarter holds one from 1 to 5; zeros are never hidden.
        const hiddenValues = [...hiddenMonths.map((i) => world[i]!), ...(quarterHidden ? [q] : [])];
        if (hiddenValues.length && !hiddenValues.some((v) => v >= 1 && v <= 5)) return;
        if (quarterHidden && q < 1) return;
        if (chartShown) {
          const again = xmrChart({ months: MONTHS, values: world, polarity: "neutral" });
          if (JSON.stringify([again.mean, again.upperLimit, again.lowerLimit, again.specialCause]) !== printed) return;
        }
        hiddenMonths.forEach((i) => values.get(i)!.add(world[i]!));
        quarterValues.add(q);
        return;
      }
      for (let v = 1; v <= cap; v++) {
        world[hiddenMonths[j]!] = v;
        // The mean printed to two decimals allows a sum within 0.06 of 12 × mean: prune on the partial sum (the rest at least 1 each).
        if (chartShown) {
          const partial = world.reduce((s, x, i) => s + (hiddenMonths.slice(j + 1).includes(i) ? 1 : x), 0);
          if (partial > 12 * chart.mean! + 0.06) break;
        }
        walk(j + 1);
      }
      world[hiddenMonths[j]!] = xs[hiddenMonths[j]!]!;
    };
    walk(0);
    const pinned: Record<string, number> = {};
    for (const [i, set] of values) if (set.size === 1) pinned[key(i)] = [...set][0]!;
    if (quarterHidden && quarterValues.size === 1) pinned.Q = [...quarterValues][0]!;
    return pinned;
  }

  it("agree on which months a reader can work out, with only the small months hidden", () => {
    let pins = 0;
    fc.assert(
      fc.property(series, (xs) => {
        const { publication, chart } = publicationOf(xs);
        const hidden = new Set(Object.keys(publication.cells).filter((k) => publication.cells[k]! >= 1 && publication.cells[k]! <= 5));
        const result = attack(readerView(publication, { hidden, withheld: new Set() }, "dfe"));
        expect(result).toMatchObject({ consistent: true, undecided: [] });
        // The same cells with the same values: the attacker reads the chart whole, as the oracle does.
        expect(asRecord(result.pinned)).toEqual(oracleOf(xs, chart, hidden, true));
        pins += result.pinned.length;
      }),
      { numRuns: 60, seed: 1919 },
    );
    // Not vacuous: the mean and limits do give small months away.
    expect(pins).toBeGreaterThan(5);
  });

  it("leaves the oracle nothing in what suppression publishes", () => {
    fc.assert(
      fc.property(series, (xs) => {
        const { publication, chart } = publicationOf(xs);
        const suppression = suppress(publication, "dfe");
        expect(suppression.check.passed).toBe(true);
        expect(oracleOf(xs, chart, suppression.hidden, !suppression.withheld.has("chart"))).toEqual({});
      }),
      { numRuns: 60, seed: 1920 },
    );
  });
});
