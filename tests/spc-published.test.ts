/**
 * Statistical process control in published outputs (issue 19), over the planted-signals world of
 * tests/support/spcWorld.ts: each month's value under the dfe and nhs profiles, hidden where the
 * profile says and further where a reader could otherwise work a month out from the mean and limits
 * (which are shown from the exact values) and the sums a reader knows (a quarter = its months); the
 * attacker finds nothing in the JSON or in the document; the written summary claims a rise or fall only
 * on special cause; the PDF prints the variation words of the JSON.
 *
 * Exact series (hand-worked in tests/spc-world.test.ts), month m = 1 … 24 from January 2024:
 * raised 4 (odd m ≤ 17), 6 (even m ≤ 16), 8 (m 18–24); overdue 1 (odd), 2 (even), 6 in m 12;
 * dissent 2 (odd), 4 (even), 9 in m 20–21; completions (and resolutions) R − O a month: 3 (odd m ≤ 17),
 * 4 (even m ≤ 16), none in m 12, 6 or 7 in m 18–24. The report's quarter is 2025-Q4 (m 22–24), as of 15 January 2026.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attack } from "../reports/attacker";
import { getBoardDocument, readDocumentFigures, type BoardDocument } from "../reports/boardDocument";
import { getBoardReportFor } from "../reports/boardReport";
import { closeSharedChromium } from "../reports/chromium";
import { readerView, readPublishedBoardReport, type PublishedBoardReport } from "../reports/disclosure";
import { boardDocumentPdf } from "../reports/pdf";
import { VARIATION_WORDS } from "../reports/spcText";
import type { Variation } from "../server/metrics/spc";
import { useTestWarehouse } from "./support/db";
import { printedSuppression } from "./support/printed";
import { loadSpcWorld, SPC_WORLD } from "./support/spcWorld";

const ctx = useTestWarehouse();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ew-spc-"));
let dfe: PublishedBoardReport & { documentCheck?: { passed: boolean } };
let nhs: PublishedBoardReport & { documentCheck?: { passed: boolean } };
let document: BoardDocument;
let exactDocument: BoardDocument;

beforeAll(async () => {
  await loadSpcWorld(ctx.db);
  dfe = (await getBoardReportFor(ctx.db, { ...SPC_WORLD, published: true, documentCheck: true })) as typeof dfe;
  nhs = (await getBoardReportFor(ctx.db, { ...SPC_WORLD, published: true, profile: "nhs", documentCheck: true })) as typeof nhs;
  document = await getBoardDocument(ctx.db, { ...SPC_WORLD, published: true });
  exactDocument = await getBoardDocument(ctx.db, { ...SPC_WORLD, published: false });
}, 120_000);

afterAll(async () => {
  await closeSharedChromium();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const c24 = (mark: string, shown: Record<number, unknown>) => Array.from({ length: 24 }, (_, i) => (i + 1 in shown ? shown[i + 1] : mark));

describe("spc in report board --published under dfe", () => {
  it("hides the months from 1 to 5, and the raised months a reader could work out from the mean and limits or a trend quarter", () => {
    // Primary: raised 4 in the nine odd months 1–17; overdue 1 and 2 in every month but m 12 (6); dissent 2 and 4 in every
    // month but m 20–21 (9). Shown: raised 6 in the even months, 8 in m 18–24; overdue 6 in m 12; dissent 9 in m 20–21.
    // Secondary (the attacker pinned a month, the suppressor hid the smallest shown month that set it free):
    // - m 1 (2024-01, 4). The mean 5.83 × 24 pins Σ = 140 (139.8 to 140.04), and upper − lower = 10.00 − 1.67 =
    //   5.32 × D / 23 pins the moving ranges' sum D = 36 (35.97 to 36.05). Shown: 8 × 6 + 7 × 8 = 104, so the nine hidden
    //   a, m3 … m15 (seven), b (m 17) sum to 36. Each is within the limits (2 to 9: 1.67 ≤ x ≤ 9.9968), and b ≤ 5 (the
    //   point before a shift above the mean is not above it). D = |6 − a| + 2 Σ|6 − mᵢ| + (6 − b) + (8 − b), and
    //   2 Σ|6 − mᵢ| = 2 Σ(6 − mᵢ) + 4 Σ(mᵢ − 6)⁺, so 36 = |6 − a| + 84 − 2(36 − a − b) + 14 − 2b + 4k = |6 − a| + 26 + 2a + 4k:
    //   a ≤ 6 gives 32 + a + 4k = 36, a = 4 (k = 0; a = 0 is no count); a > 6 gives 20 + 3a + 4k = 36, no whole a > 6.
    //   Hidden further: m 2 (2024-02, 6), the first of the smallest shown months; then e.g. m1 2, m2 2, m3 3, m5 2, m7 5,
    //   m9 7, m11 9, m13 2, m15 6, m17 4 also gives Σ 140 and D 36.
    // - m 17 (2025-05, 4), pinned in the board document (whose figures these are): its trend quarter 2025-Q2 raised 18 =
    //   m 16 (6) + m 17 + m 18 (8). Hidden further: m 16 (2025-04, 6): m 16 + m 17 = 10, each 5 + 5 … 8 + 2.
    expect(dfe.spc!.raised).toMatchObject({ values: c24("c", { 4: 6, 6: 6, 8: 6, 10: 6, 12: 6, 14: 6, 18: 8, 19: 8, 20: 8, 21: 8, 22: 8, 23: 8, 24: 8 }), mean: 5.83, upperLimit: 10, lowerLimit: 1.67, variation: "neither_high" });
    expect(dfe.spc!.raised.specialCause).toHaveLength(7);
    expect(dfe.spc!.dissentCount).toMatchObject({ values: c24("c", { 20: 9, 21: 9 }), mean: 3.5, upperLimit: 9.51, lowerLimit: -2.51, variation: "common_cause" });
  });

  it("withholds the overdue chart's mean, limits and signals: they would give two hidden months away, and no month can be hidden to stop it", () => {
    // Σ = 1.67 × 24 → 40, D = (5.25 − (−1.92)) × 23 / 5.32 → 31. Hidden: 23 months of 1 to 5 (within the limits) summing
    // to 34, beside m 12 = 6. D = (6 − m11) + (6 − m13) + the moving ranges among the hidden (two runs of 10 and 11 steps).
    // Those can reach at most 2 per unit above 1 (a spike of one month), and the 23 months hold 34 − 23 = 11 such units:
    // 31 − 12 + m11 + m13 ≤ 2 (11 − (m11 − 1) − (m13 − 1)) − (an end month costs 1) leaves only m11 = m13 = 1 (the walk
    // over every assignment agrees: 2024-11 and 2025-01 are 1 in all of them). Hiding m 12 too changes nothing (it is
    // flagged outside the limits: 6 or more, the same argument), and no other cell is tied to these months: the summary goes.
    expect(dfe.spc!.overdueAtMonthEnd).toMatchObject({ values: c24("c", { 12: 6 }), mean: "c", upperLimit: "c", lowerLimit: "c", specialCause: "c", variation: "c", assurance: "c", target: 3 });
  });

  it("withholds every month's percentage: its denominator is under 10, or none at all (null)", () => {
    // Completions and resolutions a month: 3, 4, 6 or 7; none in m 12 (null). Dissent a month 2, 4 or 9. The mean, limits and
    // icons are the exact series' (hand-worked in tests/spc-world.test.ts).
    const withheld = c24("c", { 12: null });
    expect(dfe.spc!.withinLimitPct).toMatchObject({ values: withheld, mean: 65.18, upperLimit: 93.33, lowerLimit: 37.03, variation: "improvement_high", assurance: "inconsistent" });
    expect(dfe.spc!.resolvedAtLowestLevelPct).toMatchObject({ values: withheld, mean: 100, variation: "common_cause", assurance: "pass" });
    expect(dfe.spc!.chairFollowUpWithinLimitPct).toMatchObject({ values: c24("c", {}), mean: 100, variation: "common_cause" });
  });

  it("hides the quarter's other cells as before: withdrawn 4 and open 2 (from 1 to 5), and resolved 19 with them", () => {
    // Q4: raised 24 (m 22–24: 8 + 8 + 8); closed 23 = resolved 19 (m 21's three … 7 + 6 + 6 completions of m 22–24 less overdue:
    // 6 + 7 + 6) + withdrawn 4 (m 21's 1, m 22's 2, m 23's 1 withdrawn on the 1st of the next month).
    expect(dfe.escalations).toMatchObject({ raised: 24, closed: 23, resolved: "c", withdrawn: "c", openAtPeriodEnd: "c", resolvedAtLowestLevelPct: "c" });
    expect(dfe.disclosure.check).toMatchObject({ passed: true, secondary: 3 });
    expect(dfe.documentCheck).toMatchObject({ passed: true, pinned: [] });
  });
});

describe("spc in report board --published under nhs", () => {
  it("shows counts from 1 to 7 as *, others rounded to 5, and hides nothing further", () => {
    // raised 4 and 6 are *; 8 → 10. dissent 2 and 4 are *; 9 → 10. overdue 1, 2 and 6 are all *.
    expect(nhs.spc!.raised).toMatchObject({ values: c24("*", { 18: 10, 19: 10, 20: 10, 21: 10, 22: 10, 23: 10, 24: 10 }), mean: 5.83, upperLimit: 10, lowerLimit: 1.67, variation: "neither_high" });
    expect(nhs.spc!.dissentCount).toMatchObject({ values: c24("*", { 20: 10, 21: 10 }), mean: 3.5, variation: "common_cause" });
    // Percentages from the rounded counts: chair follow-up in m 20–21 is 9 of 9 → 10 of 10 = 100.0; the others are over 1 to 7.
    expect(nhs.spc!.chairFollowUpWithinLimitPct.values).toEqual(c24("*", { 20: 100, 21: 100 }));
    expect(nhs.spc!.withinLimitPct.values).toEqual(c24("*", { 12: null }));
    expect(nhs.disclosure.check).toMatchObject({ passed: true, secondary: 0 });
  });

  it("withholds the overdue chart's summary for the same reason as under dfe (m 12's 6 is a * of 6 or 7: flagged above 5.25)", () => {
    expect(nhs.spc!.overdueAtMonthEnd).toMatchObject({ values: c24("*", {}), mean: "*", variation: "*", assurance: "*" });
    expect(nhs.disclosure.statement).not.toContain("Further counts");
  });
});

describe("the test of a published output, with the charts", () => {
  it("finds nothing to work out in the JSON, read as a reader reads it", async () => {
    // The exact figures only order the attacker's search (its verdict is the same without them, only slower to reach).
    const { publication } = await readDocumentFigures(ctx.db, { ...SPC_WORLD, published: false });
    const hint = { ...publication.latents, ...publication.cells };
    for (const published of [dfe, nhs]) expect(attack({ ...readPublishedBoardReport(published), hint })).toEqual({ pinned: [], consistent: true, undecided: [] });
  });

  it("finds nothing in the document as printed (its tables, trend and charts' months read back from what it prints)", async () => {
    const { publication } = await readDocumentFigures(ctx.db, { ...SPC_WORLD, published: false });
    expect(document.figures).toEqual(dfe.documentCheck ? { ...dfe, documentCheck: undefined } : dfe);
    const printed = printedSuppression(document, publication);
    expect(attack(readerView(publication, printed, "dfe"))).toEqual({ pinned: [], consistent: true, undecided: [] });
  });

  it("models only relations the exact figures satisfy (the months of 2025-Q4 sum to its figures; overdue at the quarter's end is that at the as-of date when they are the same day)", async () => {
    for (const asOf of [SPC_WORLD.asOf, "2025-12-31"]) {
      const { publication } = await readDocumentFigures(ctx.db, { ...SPC_WORLD, asOf, published: false });
      const value = (k: string) => publication.cells[k] ?? publication.latents[k]!;
      for (const s of publication.sums) expect([s.total, value(s.total)]).toEqual([s.total, s.parts.reduce((n, k) => n + value(k), 0)]);
      for (const a of publication.atMost) expect(value(a.small)).toBeLessThanOrEqual(value(a.large));
      const view = readerView(publication, { hidden: new Set(Object.keys(publication.cells)), withheld: new Set() }, "dfe");
      expect(attack({ ...view, percents: [], medians: [] }).consistent).toBe(true);
    }
    // As of the quarter's last day: overdue at 31 December (m 24: 2) is overdue at the as-of date, a sum the reader knows.
    const { publication } = await readDocumentFigures(ctx.db, { ...SPC_WORLD, asOf: "2025-12-31", published: false });
    expect(publication.sums).toContainEqual({ total: "e.overdueAtAsOf", parts: ["spc.overdueAtMonthEnd.2025-12"] });
    expect([publication.cells["e.overdueAtAsOf"], publication.cells["spc.overdueAtMonthEnd.2025-12"]]).toEqual([2, 2]);
  });
});

describe("the board document's signal or noise", () => {
  const section = (doc: BoardDocument) => doc.sections.find((s) => s.id === "signal-or-noise")!;

  it("tables each measure's latest month, mean, limits, variation and assurance in Making Data Count's words", () => {
    const table = section(document).blocks.find((b) => b.kind === "table")!;
    expect(table.kind === "table" && table.rows).toEqual([
      ["Escalations raised", "Dec 2025: 8", "5.83", "1.67", "10.00", "Special cause: neither improvement nor concern (high)", "No target set"],
      ["Stage completions within the limit", "Dec 2025: c", "65.18", "37.03", "93.33", "Special cause: improvement (high)", "Assurance: hit and miss the target, subject to random variation"],
      ["Resolved at the lowest level (stage 1 or 2)", "Dec 2025: c", "100.00", "100.00", "100.00", "Common cause: no significant change", "Assurance: consistently passes the target"],
      ["Escalations overdue at the month's end", "Dec 2025: c", "c", "c", "c", "Withheld (c): the chart's summary would give a hidden month away", "Assurance withheld (c)"],
      ["Dissents from conference decisions", "Dec 2025: c", "3.50", "-2.51", "9.51", "Common cause: no significant change", "No target set"],
      ["Chair's follow-up within the limit", "Dec 2025: c", "100.00", "100.00", "100.00", "Common cause: no significant change", "No target set"],
    ]);
  });

  it("draws each chart with a data table beneath that never prints a count from 1 to 5", () => {
    const blocks = section(document).blocks;
    const charts = blocks.filter((b) => b.kind === "chart");
    expect(charts).toHaveLength(6);
    for (const chart of charts) expect(chart.kind === "chart" && chart.svg).toMatch(/^<svg[^>]*role="img"/);
    const raised = blocks[blocks.indexOf(charts[0]!) + 1]!;
    expect(raised.kind === "table" && raised.rows.slice(15, 18)).toEqual([
      ["Apr 2025", "c", ""],
      ["May 2025", "c", ""],
      ["Jun 2025", 8, "shift (high)"],
    ]);
    const counts = blocks.flatMap((b) => (b.kind === "table" ? b.rows.flatMap((r) => b.countColumns.map((i) => r[i])) : []));
    expect(counts.filter((v) => typeof v === "number" && v >= 1 && v <= 5)).toEqual([]);
  });

  it("says a measure rose or fell only where its chart shows special cause", () => {
    // Exact: raised's latest month (8) is in a shift above the mean: "rose"; overdue's is common cause (the 6 was m 12).
    expect(exactDocument.summary[0]).toBe(
      "24 escalations were raised in 2025-Q4 (24 in 2025-Q3); month by month, the number raised rose (special cause variation in December 2025: a shift: 7 or more points on one side of the mean; neither an improvement nor a concern).",
    );
    expect(exactDocument.summary).toContain(
      "On 15 January 2026, 0 escalations were overdue and 0 were still open after the final stage; month by month, the number overdue at the month's end shows no significant change (common cause variation).",
    );
    // Published: the overdue chart's summary is withheld, so nothing is claimed.
    expect(document.summary).toContain(
      "On 15 January 2026, 0 escalations were overdue and 0 were still open after the final stage; month by month, no change is claimed (the chart's summary is withheld).",
    );
    // No sentence compares quarters by "up" or "down".
    expect([...document.summary, ...exactDocument.summary].filter((s) => /\b(up|down) [\d,]+ on\b/.test(s))).toEqual([]);
  });

  it("prints to a PDF whose text holds the same variation words as the JSON", async () => {
    const file = path.join(scratch, "spc.pdf");
    fs.writeFileSync(file, await boardDocumentPdf(document));
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    for (const chart of Object.values(dfe.spc!)) {
      const words = chart.variation === "c" ? "Withheld (c): the chart's summary would give a hidden month away" : VARIATION_WORDS[chart.variation as Variation];
      expect(text).toContain(words);
    }
    expect(text).toContain("Signal or noise");
  }, 60_000);
});
