/**
 * Disclosure control for published outputs (METRICS.md, "Disclosure control"), implemented once, over
 * a whole published output at a time (ADR 0016):
 *
 * - `dfe` (default): a count from 1 to 5 is shown as `c` (a true 0 stays 0); secondary suppression
 *   then hides further cells, the smallest first and totals last, until the attacker of
 *   reports/attacker.ts can work out no hidden cell from what the output shows; a percentage (or
 *   median) is withheld when a count it is made of, or bounded by, is hidden, when its denominator
 *   is under 10 (a median: fewer than 6 values), or when its unpublished numerator is from 1 to 5.
 * - `nhs`: a count from 1 to 7 is shown as `*`, every other count rounded to the nearest 5, and
 *   percentages computed from the rounded counts; the same attacker (knowing the rounding) checks it,
 *   and the same secondary step hides more while it can work a cell out (the output then says so,
 *   and its reader no longer takes every * for 1 to 7).
 *
 * Counts about professionals (one agency's dissent in a quarter) are protected like counts about children.
 */
import { InvalidRequestError } from "../server/errors";
import { percent } from "../server/metrics/percent";
import type { BoardReport } from "../server/metrics/boardReport";
import { attack, type Pinned, type ReaderRules, type ReaderView, type Seen } from "./attacker";

export type DisclosureProfile = "dfe" | "nhs";
export type Published = number | "c" | "*" | null;

const HIDDEN: Record<DisclosureProfile, "c" | "*"> = { dfe: "c", nhs: "*" };

/**
 * What a reader of each profile knows of its rules from the statement printed with an output. Only
 * what the reader assumes: suppression hides more under either profile while a cell can be worked out
 * (an nhs output that did says so, and is read under `rulesFor(profile, true)`).
 */
export const READER_RULES: Record<DisclosureProfile, ReaderRules> = {
  dfe: { largestHidden: 5, rounding: 1, secondary: true, smallestPercentDenominator: 10, smallestMedianValues: 6 },
  nhs: { largestHidden: 7, rounding: 5, secondary: false, smallestPercentDenominator: 1, smallestMedianValues: 8 },
};

/**
 * A published output with its exact figures: the counts it shows, the unpublished quantities
 * behind its percentages, and every relation a reader knows between them.
 */
export interface Publication {
  cells: Record<string, number>;
  /** Totals boards need (raised, closed, dissent): hidden only when no other cell would do. */
  totals: string[];
  latents: Record<string, number>;
  sums: ReaderView["sums"];
  atMost: ReaderView["atMost"];
  atLeast: ReaderView["atLeast"];
  percents: Array<{ key: string; numerator: string; denominator: string; exact: number | null; nullMeansZero: boolean }>;
  medians: Array<{ key: string; values: string; exact: number | null }>;
}

/** What suppression decided for one output, and the attacker's verdict on it. */
export interface DisclosureCheck {
  profile: DisclosureProfile;
  /** Counts in the output (cells that could be hidden). */
  cells: number;
  /** Hidden by the small-number rule. */
  primary: number;
  /** Hidden further, so that no hidden cell can be worked out. */
  secondary: number;
  /** Percentages and medians withheld. */
  withheld: number;
  /** True when the attacker can work out no hidden cell. */
  passed: boolean;
  /** Hidden cells the attacker could work out (empty when passed). */
  pinned: Pinned[];
  /** Time taken to choose the cells and check them, in milliseconds. */
  milliseconds: number;
}

export interface Suppression {
  hidden: Set<string>;
  /** Percentages and medians withheld, by key. */
  withheld: Set<string>;
  check: DisclosureCheck;
}

const small = (n: number, profile: DisclosureProfile) => n >= 1 && n <= READER_RULES[profile].largestHidden;

/** The rules a reader of an output holds: under nhs, a * is 1 to 7 unless the output says further cells were hidden. */
export function rulesFor(profile: DisclosureProfile, furtherHidden: boolean): ReaderRules {
  return furtherHidden ? { ...READER_RULES[profile], secondary: true } : READER_RULES[profile];
}

/** Whether cells beyond the small ones were hidden (secondary suppression never hides a small cell: those are hidden already). */
function hidesFurther(publication: Publication, hidden: Set<string>, profile: DisclosureProfile): boolean {
  return [...hidden].some((k) => !small(publication.cells[k]!, profile));
}

/** The nhs rule on one count. */
export function nhsCount(n: number): number | "*" {
  if (n >= 1 && n <= 7) return "*";
  return Math.round(n / 5) * 5;
}

/** Cells each latent quantity is bounded by (a numerator by its denominator's count, and so on). */
function basisOf(publication: Publication, key: string, seen = new Set<string>()): string[] {
  if (key in publication.cells) return [key];
  if (seen.has(key)) return [];
  seen.add(key);
  return publication.atMost.filter((a) => a.small === key).flatMap((a) => basisOf(publication, a.large, seen));
}

/** Which percentages and medians are withheld, given the hidden cells. */
function withheldFigures(publication: Publication, hidden: Set<string>, profile: DisclosureProfile): Set<string> {
  const value = (key: string) => publication.cells[key] ?? publication.latents[key]!;
  const concealed = (key: string) => basisOf(publication, key).some((c) => hidden.has(c)) || small(value(key), profile);
  const out = new Set<string>();
  for (const p of publication.percents) {
    if (p.exact === null) continue;
    if (concealed(p.numerator) || concealed(p.denominator)) out.add(p.key);
    else if (value(p.denominator) < READER_RULES[profile].smallestPercentDenominator) out.add(p.key);
  }
  for (const m of publication.medians) {
    if (m.exact === null) continue;
    if (concealed(m.values) || value(m.values) < READER_RULES[profile].smallestMedianValues) out.add(m.key);
  }
  return out;
}

/** A count as published, given the hidden cells. */
function shownCount(n: number, isHidden: boolean, profile: DisclosureProfile): Published {
  if (isHidden) return HIDDEN[profile];
  return profile === "nhs" ? nhsCount(n) : n;
}

/** A percentage as published: exact under dfe, from the rounded counts under nhs. */
function shownPercent(publication: Publication, p: Publication["percents"][number], withheld: Set<string>, profile: DisclosureProfile): Published {
  if (p.exact === null) return null;
  if (withheld.has(p.key)) return HIDDEN[profile];
  if (profile === "dfe") return p.exact;
  const value = (key: string) => publication.cells[key] ?? publication.latents[key]!;
  return percent(nhsCount(value(p.numerator)) as number, nhsCount(value(p.denominator)) as number);
}

/** What a reader sees of a publication: its shown counts and figures, and the relations. */
export function readerView(publication: Publication, suppression: Pick<Suppression, "hidden" | "withheld">, profile: DisclosureProfile): ReaderView {
  const cells: Record<string, Seen> = {};
  for (const [key, n] of Object.entries(publication.cells)) {
    const shown = shownCount(n, suppression.hidden.has(key), profile);
    cells[key] = typeof shown === "number" ? shown : "hidden";
  }
  return {
    rules: rulesFor(profile, hidesFurther(publication, suppression.hidden, profile)),
    cells,
    latents: Object.keys(publication.latents),
    sums: publication.sums,
    atMost: publication.atMost,
    atLeast: publication.atLeast,
    percents: publication.percents
      .filter((p) => !suppression.withheld.has(p.key))
      .map((p) => ({ key: p.key, numerator: p.numerator, denominator: p.denominator, nullMeansZero: p.nullMeansZero, shown: shownPercent(publication, p, suppression.withheld, profile) as number | null })),
    medians: publication.medians.filter((m) => !suppression.withheld.has(m.key)).map((m) => ({ key: m.key, values: m.values, shown: m.exact })),
  };
}

/**
 * Primary suppression, then secondary until the attacker pins nothing: for the first hidden cell it
 * can work out, hide a shown, non-zero cell of a total that cell belongs to: the smallest that sets it
 * free (or else the smallest), parts before totals boards need. A zero is never hidden.
 */
export function suppress(publication: Publication, profile: DisclosureProfile): Suppression {
  const started = performance.now();
  const hidden = new Set(Object.keys(publication.cells).filter((k) => small(publication.cells[k]!, profile)));
  const primary = hidden.size;
  const totals = new Set(publication.totals);
  const run = () => {
    const withheld = withheldFigures(publication, hidden, profile);
    return { withheld, result: attack(readerView(publication, { hidden, withheld }, profile)) };
  };
  const pinnedOf = (r: ReturnType<typeof attack>) => [...r.pinned.map((p) => p.cell), ...r.undecided];
  let { withheld, result } = run();
  let stuck = false;
  // Under both profiles: what a reader assumes (READER_RULES) is not whether more may be hidden.
  while (pinnedOf(result).length && !stuck) {
    const target = pinnedOf(result)[0]!;
    const candidates = [
      ...new Set(
        publication.sums
          .filter((s) => s.total === target || s.parts.includes(target))
          .flatMap((s) => [s.total, ...s.parts])
          .filter((k) => !hidden.has(k) && publication.cells[k]! > 0),
      ),
    ].sort((a, b) => Number(totals.has(a)) - Number(totals.has(b)) || publication.cells[a]! - publication.cells[b]! || a.localeCompare(b));
    if (candidates.length === 0) {
      stuck = true;
      break;
    }
    let chosen = candidates[0]!;
    for (const candidate of candidates) {
      hidden.add(candidate);
      const trial = run();
      hidden.delete(candidate);
      if (!pinnedOf(trial.result).includes(target)) {
        chosen = candidate;
        break;
      }
    }
    hidden.add(chosen);
    ({ withheld, result } = run());
  }
  const pinned = [...result.pinned, ...result.undecided.map((cell) => ({ cell, value: Number.NaN }))];
  return {
    hidden,
    withheld,
    check: {
      profile,
      cells: Object.keys(publication.cells).length,
      primary,
      secondary: hidden.size - primary,
      withheld: withheld.size,
      passed: pinned.length === 0 && result.consistent,
      pinned,
      milliseconds: Math.round((performance.now() - started) * 10) / 10,
    },
  };
}

/** The counts and relations of a board report (exact or as published: the shape is the same). */
interface ReportShape<V> {
  escalations: {
    raised: V; closed: V; resolved: V; withdrawn: V; openAtPeriodEnd: V; overdueAtAsOf: V; unresolvedAfterFinalStage: V;
    stageReached: Record<string, V>; byRaisingAgency: Record<string, V>; byReceivingAgency: Record<string, V>; themes: Record<string, V>;
    timescale: Array<{ stage: number; completed: V; withinLimit: V }>;
    recurringThemes: Array<{ count: V }>;
    totalLimit?: { closed: V; withinLimit: V; overdueAtAsOf: V } | null;
  };
  dissent: { count: V; escalated: V; byAgency: Record<string, V>; byDecision: Record<string, V>; byConferenceType: Record<string, V>; themes: Record<string, V> };
}

/** Keys of the derived figures and the quantities behind them (the same for every board report). */
const DERIVED = {
  percents: [
    { key: "e.resolvedAtLowestLevelPct", numerator: "e.resolvedAtLowestLevel", denominator: "e.resolved", nullMeansZero: true },
    { key: "e.learningWithinOneMonthPct", numerator: "e.learning.numerator", denominator: "e.learning.denominator", nullMeansZero: true },
    { key: "d.ratePer100Conferences", numerator: "d.count", denominator: "d.conferences", nullMeansZero: false },
    { key: "d.chairFollowUpWithinLimitPct", numerator: "d.chairFollowUp", denominator: "d.count", nullMeansZero: true },
  ],
  medians: [{ key: "e.medianWorkingDaysToClose", values: "e.resolved" }],
  latentBounds: [
    { small: "e.resolvedAtLowestLevel", large: "e.resolved" },
    { small: "e.learning.numerator", large: "e.learning.denominator" },
    { small: "e.learning.denominator", large: "e.resolved" },
    { small: "d.chairFollowUp", large: "d.count" },
  ],
};

/** A board report's cells and the relations a reader knows among them; `prefix` keeps a document's quarters apart. */
export function boardReportStructure<V>(report: ReportShape<V>, prefix = "") {
  const e = report.escalations;
  const d = report.dissent;
  const cells: Record<string, V> = {};
  const key = (k: string) => `${prefix}${k}`;
  const put = (name: string, map: Record<string, V>) => Object.keys(map).sort().map((k) => ((cells[key(`${name}.${k}`)] = map[k]!), key(`${name}.${k}`)));
  for (const k of ["raised", "closed", "resolved", "withdrawn", "openAtPeriodEnd", "overdueAtAsOf", "unresolvedAfterFinalStage"] as const) cells[key(`e.${k}`)] = e[k];
  const stages = put("e.stageReached", e.stageReached);
  const raising = put("e.byRaisingAgency", e.byRaisingAgency);
  const receiving = put("e.byReceivingAgency", e.byReceivingAgency);
  const themes = put("e.themes", e.themes);
  const atMost: ReaderView["atMost"] = [];
  e.timescale.forEach((t) => {
    cells[key(`e.timescale.${t.stage}.completed`)] = t.completed;
    cells[key(`e.timescale.${t.stage}.withinLimit`)] = t.withinLimit;
    atMost.push({ small: key(`e.timescale.${t.stage}.withinLimit`), large: key(`e.timescale.${t.stage}.completed`) });
  });
  const total = e.totalLimit;
  if (total) {
    // Closed under a total limit: some of the quarter's closures; within the limit, some of those.
    cells[key("e.totalLimit.closed")] = total.closed;
    cells[key("e.totalLimit.withinLimit")] = total.withinLimit;
    cells[key("e.totalLimit.overdueAtAsOf")] = total.overdueAtAsOf;
    atMost.push({ small: key("e.totalLimit.withinLimit"), large: key("e.totalLimit.closed") });
    atMost.push({ small: key("e.totalLimit.closed"), large: key("e.closed") });
  }
  const atLeast: Record<string, number> = {};
  e.recurringThemes.forEach((r, i) => {
    cells[key(`e.recurring.${i}`)] = r.count;
    atLeast[key(`e.recurring.${i}`)] = 3;
  });
  cells[key("d.count")] = d.count;
  cells[key("d.escalated")] = d.escalated;
  const byAgency = put("d.byAgency", d.byAgency);
  const byDecision = put("d.byDecision", d.byDecision);
  const byType = put("d.byConferenceType", d.byConferenceType);
  const dissentThemes = put("d.themes", d.themes);
  // Themes overlap (an escalation with two themes counts under each): each is at most the total, no sum.
  for (const t of themes) atMost.push({ small: t, large: key("e.raised") });
  for (const t of dissentThemes) atMost.push({ small: t, large: key("d.count") });
  atMost.push({ small: key("d.escalated"), large: key("d.count") });
  for (const b of DERIVED.latentBounds) atMost.push({ small: key(b.small), large: key(b.large) });
  const sums = [
    { total: key("e.raised"), parts: stages },
    { total: key("e.raised"), parts: raising },
    { total: key("e.raised"), parts: receiving },
    { total: key("e.closed"), parts: [key("e.resolved"), key("e.withdrawn")] },
    { total: key("d.count"), parts: byAgency },
    { total: key("d.count"), parts: byDecision },
    { total: key("d.count"), parts: byType },
  ].filter((s) => s.parts.length > 0);
  return {
    cells,
    totals: [key("e.raised"), key("e.closed"), key("d.count")],
    sums,
    atMost,
    atLeast,
    latents: ["e.resolvedAtLowestLevel", "e.learning.numerator", "e.learning.denominator", "d.chairFollowUp", "d.conferences"].map(key),
    percents: DERIVED.percents.map((p) => ({ ...p, key: key(p.key), numerator: key(p.numerator), denominator: key(p.denominator) })),
    medians: DERIVED.medians.map((m) => ({ key: key(m.key), values: key(m.values) })),
  };
}

/** A board report with its exact figures, as one publication (or a part of a document's). */
export function boardReportPublication(report: BoardReport, prefix = ""): Publication {
  const s = boardReportStructure(report, prefix);
  const f = report.fractions;
  const latents: Record<string, number> = {
    [`${prefix}e.resolvedAtLowestLevel`]: f.resolvedAtLowestLevel.numerator,
    [`${prefix}e.learning.numerator`]: f.learningWithinOneMonth.numerator,
    [`${prefix}e.learning.denominator`]: f.learningWithinOneMonth.denominator,
    [`${prefix}d.chairFollowUp`]: f.chairFollowUpWithinLimit.numerator,
    [`${prefix}d.conferences`]: f.ratePer100Conferences.denominator ?? 0,
  };
  const exact: Record<string, number | null> = {
    "e.resolvedAtLowestLevelPct": report.escalations.resolvedAtLowestLevelPct,
    "e.learningWithinOneMonthPct": report.escalations.learningWithinOneMonthPct,
    "d.ratePer100Conferences": report.dissent.ratePer100Conferences,
    "d.chairFollowUpWithinLimitPct": report.dissent.chairFollowUpWithinLimitPct,
    "e.medianWorkingDaysToClose": report.escalations.medianWorkingDaysToClose,
  };
  return {
    cells: s.cells,
    totals: s.totals,
    latents,
    sums: s.sums,
    atMost: s.atMost,
    atLeast: s.atLeast,
    percents: s.percents.map((p) => ({ ...p, exact: exact[p.key.slice(prefix.length)]! })),
    medians: s.medians.map((m) => ({ ...m, exact: exact[m.key.slice(prefix.length)]! })),
  };
}

/** Several publications shown together as one output (a document's quarters and sections). */
export function mergePublications(...parts: Publication[]): Publication {
  return {
    cells: Object.assign({}, ...parts.map((p) => p.cells)),
    totals: parts.flatMap((p) => p.totals),
    latents: Object.assign({}, ...parts.map((p) => p.latents)),
    sums: parts.flatMap((p) => p.sums),
    atMost: parts.flatMap((p) => p.atMost),
    atLeast: Object.assign({}, ...parts.map((p) => p.atLeast)),
    percents: parts.flatMap((p) => p.percents),
    medians: parts.flatMap((p) => p.medians),
  };
}

/**
 * What a reader of a published board report (the JSON of `report board --published`) can set up for
 * the attacker: its cells as shown, and the relations every board report has.
 */
export function readPublishedBoardReport(published: PublishedBoardReport): ReaderView {
  const s = boardReportStructure(published as unknown as ReportShape<Published>);
  const profile = published.disclosure.profile;
  const further = published.disclosure.statement === disclosureStatement(profile, true);
  const cells: Record<string, Seen> = {};
  for (const [k, v] of Object.entries(s.cells)) cells[k] = typeof v === "number" ? v : "hidden";
  const shown: Record<string, Published> = {
    "e.resolvedAtLowestLevelPct": published.escalations.resolvedAtLowestLevelPct,
    "e.learningWithinOneMonthPct": published.escalations.learningWithinOneMonthPct,
    "d.ratePer100Conferences": published.dissent.ratePer100Conferences,
    "d.chairFollowUpWithinLimitPct": published.dissent.chairFollowUpWithinLimitPct,
    "e.medianWorkingDaysToClose": published.escalations.medianWorkingDaysToClose,
  };
  const visible = (v: Published): v is number | null => v === null || typeof v === "number";
  return {
    rules: rulesFor(profile, further),
    cells,
    latents: s.latents,
    sums: s.sums,
    atMost: s.atMost,
    atLeast: s.atLeast,
    percents: s.percents.filter((p) => visible(shown[p.key]!)).map((p) => ({ ...p, shown: shown[p.key] as number | null })),
    medians: s.medians.filter((m) => visible(shown[m.key]!)).map((m) => ({ ...m, shown: shown[m.key] as number | null })),
  };
}

export type PublishedBoardReport = Omit<BoardReport, "escalations" | "dissent" | "fractions"> & {
  disclosure: { profile: DisclosureProfile; statement: string; check: ReportCheck };
  escalations: { [K in Exclude<keyof BoardReport["escalations"], "totalLimit">]: PublishedShape<BoardReport["escalations"][K]> } & {
    totalLimit: { limitWorkingDays: number | null; closed: Published; withinLimit: Published; overdueAtAsOf: Published } | null;
  };
  dissent: { [K in keyof BoardReport["dissent"]]: PublishedShape<BoardReport["dissent"][K]> };
};
type PublishedShape<T> = T extends number | null
  ? Published
  : T extends Array<infer U>
    ? Array<{ [K in keyof U]: U[K] extends number ? Published : U[K] }>
    : T extends Record<string, number>
      ? Record<string, Published>
      : T;

/** The statement printed with a published output. */
export const DISCLOSURE_STATEMENT: Record<DisclosureProfile, string> = {
  dfe: "Published figures: counts from 1 to 5 are shown as c, with further cells hidden (never a zero) until no hidden count can be worked out from the others; a percentage or median is withheld when a count it is made of is hidden, when its denominator is under 10 (a median: fewer than 6 values), or when its numerator is from 1 to 5.",
  nhs: "Published figures: counts from 1 to 7 are shown as *, other counts are rounded to the nearest 5, and percentages are computed from the rounded counts; a percentage or median is withheld when a count it is made of is hidden.",
};

/** The statement of an output: under nhs it says so when further cells were hidden (the reader then reads a * as any count). */
export function disclosureStatement(profile: DisclosureProfile, furtherHidden: boolean): string {
  if (profile === "dfe" || !furtherHidden) return DISCLOSURE_STATEMENT[profile];
  return `${DISCLOSURE_STATEMENT.nhs} Further counts (never a zero) are shown as * too, where the others would let a reader work a hidden count out; each group of * tied by a total holds at least one count from 1 to 7.`;
}

/** A published output that fails the test: a reader could work out a hidden figure. Refused, never served. */
export class NotPublishableError extends InvalidRequestError {
  override name = "NotPublishableError";
}

/**
 * Refuses a published output the attacker can read a hidden figure from. `what` names it for the
 * reader ("The 2025-Q4 board report for North"); `exactly` says how to ask for exact figures instead.
 */
export function refuseUnlessPassed(check: DisclosureCheck, what: string, exactly = "ask for exact figures (not for publication)"): void {
  if (check.passed) return;
  const cells = check.pinned.length;
  throw new NotPublishableError(
    `${what} cannot be published: ` +
      (cells
        ? `a reader could work out ${cells === 1 ? "1 hidden figure" : `${cells} hidden figures`} from the others it shows, and hiding more cells did not prevent it. `
        : "its figures could not be checked against the disclosure rules. ") +
      `To see the figures, ${exactly}; to publish them, ask the warehouse's administrators to look at the report.`,
  );
}

/** The verdict on one report's own cells (within a document, the document's verdict on it). */
export type ReportCheck = Pick<DisclosureCheck, "cells" | "primary" | "secondary" | "withheld" | "passed">;

function ownCheck(publication: Publication, suppression: Suppression, profile: DisclosureProfile, prefix: string, structure: { cells: Record<string, unknown>; percents: Array<{ key: string }>; medians: Array<{ key: string }> }): ReportCheck {
  const keys = Object.keys(structure.cells);
  const primary = keys.filter((k) => small(publication.cells[k]!, profile)).length;
  const hidden = keys.filter((k) => suppression.hidden.has(k)).length;
  const figures = [...structure.percents, ...structure.medians].filter((f) => f.key.startsWith(prefix) && suppression.withheld.has(f.key)).length;
  return { cells: keys.length, primary, secondary: hidden - primary, withheld: figures, passed: suppression.check.passed };
}

/** A board report as published from a suppression decided for it (alone, or within a document). */
export function publishedFromSuppression(report: BoardReport, publication: Publication, suppression: Suppression, profile: DisclosureProfile, prefix = ""): PublishedBoardReport {
  const e = report.escalations;
  const d = report.dissent;
  const count = (key: string): Published => shownCount(publication.cells[`${prefix}${key}`]!, suppression.hidden.has(`${prefix}${key}`), profile);
  const figure = (key: string): Published => {
    const p = publication.percents.find((x) => x.key === `${prefix}${key}`);
    if (p) return shownPercent(publication, p, suppression.withheld, profile);
    const m = publication.medians.find((x) => x.key === `${prefix}${key}`)!;
    return m.exact === null ? null : suppression.withheld.has(m.key) ? HIDDEN[profile] : m.exact;
  };
  const map = (name: string, source: Record<string, number>) => Object.fromEntries(Object.keys(source).map((k) => [k, count(`${name}.${k}`)]));
  return {
    partnership: report.partnership,
    partnerships: report.partnerships,
    quarter: report.quarter,
    asOf: report.asOf,
    period: report.period,
    disclosure: { profile, statement: disclosureStatement(profile, hidesFurther(publication, suppression.hidden, profile)), check: ownCheck(publication, suppression, profile, prefix, boardReportStructure(report, prefix)) },
    escalations: {
      raised: count("e.raised"),
      closed: count("e.closed"),
      resolved: count("e.resolved"),
      withdrawn: count("e.withdrawn"),
      openAtPeriodEnd: count("e.openAtPeriodEnd"),
      stageReached: map("e.stageReached", e.stageReached),
      resolvedAtLowestLevelPct: figure("e.resolvedAtLowestLevelPct"),
      medianWorkingDaysToClose: figure("e.medianWorkingDaysToClose"),
      timescale: e.timescale.map((t) => ({
        stage: t.stage,
        ...(t.limitWorkingDays !== undefined ? { limitWorkingDays: t.limitWorkingDays } : {}),
        ...(t.limitCalendarDays !== undefined ? { limitCalendarDays: t.limitCalendarDays } : {}),
        completed: count(`e.timescale.${t.stage}.completed`),
        withinLimit: count(`e.timescale.${t.stage}.withinLimit`),
        ...(t.limitsVary ? { limitsVary: true as const } : {}),
      })),
      overdueAtAsOf: count("e.overdueAtAsOf"),
      unresolvedAfterFinalStage: count("e.unresolvedAfterFinalStage"),
      byRaisingAgency: map("e.byRaisingAgency", e.byRaisingAgency),
      byReceivingAgency: map("e.byReceivingAgency", e.byReceivingAgency),
      themes: map("e.themes", e.themes),
      recurringThemes: e.recurringThemes.map((r, i) => ({ receivingAgency: r.receivingAgency, theme: r.theme, count: count(`e.recurring.${i}`) })),
      learningWithinOneMonthPct: figure("e.learningWithinOneMonthPct"),
      totalLimit:
        e.totalLimit === null
          ? null
          : {
              limitWorkingDays: e.totalLimit.limitWorkingDays,
              closed: count("e.totalLimit.closed"),
              withinLimit: count("e.totalLimit.withinLimit"),
              overdueAtAsOf: count("e.totalLimit.overdueAtAsOf"),
            },
    },
    dissent: {
      count: count("d.count"),
      byAgency: map("d.byAgency", d.byAgency),
      byDecision: map("d.byDecision", d.byDecision),
      byConferenceType: map("d.byConferenceType", d.byConferenceType),
      themes: map("d.themes", d.themes),
      ratePer100Conferences: figure("d.ratePer100Conferences"),
      chairFollowUpWithinLimitPct: figure("d.chairFollowUpWithinLimitPct"),
      escalated: count("d.escalated"),
    },
  };
}

/** Applies the partnership's profile to a board report on its own (the JSON of `report board --published`). */
export function publishBoardReport(report: BoardReport, profile: DisclosureProfile = "dfe"): PublishedBoardReport {
  const publication = boardReportPublication(report);
  return publishedFromSuppression(report, publication, suppress(publication, profile), profile);
}

/** A cell of a publication as printed under a suppression. */
export function publishedCount(publication: Publication, suppression: Pick<Suppression, "hidden">, profile: DisclosureProfile, key: string): Published {
  return shownCount(publication.cells[key]!, suppression.hidden.has(key), profile);
}

/** One count under a profile's primary rule (a count with no published total beside it). */
export function publishCount(n: number, profile: DisclosureProfile): Published {
  if (profile === "nhs") return nhsCount(n);
  return n >= 1 && n <= 5 ? "c" : n;
}
