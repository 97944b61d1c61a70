/**
 * The six monthly series behind the board's XmR charts (METRICS.md, "Statistical process control"),
 * over the 24 months ending December 2025, as of 9 January 2026, from the hand-worked world of
 * tests/board-report.test.ts (rows in tests/support/handWorld.ts; north: 3 stages of 2 working days,
 * closure day 29 December 2025; chair follow-up limit 5 working days).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getSpc, spcMonths, type MonthlySeries, type Spc } from "../server/metrics/monthlySeries";
import { useTestWarehouse } from "./support/db";
import { loadHandWorkedWorld } from "./support/handWorld";

const ctx = useTestWarehouse();
let series: MonthlySeries;
let spc: Spc;

beforeAll(async () => {
  await loadHandWorkedWorld(ctx.db);
  ({ series, spc } = await getSpc(ctx.db, { partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-09" }));
});

const valueOf = (measure: keyof MonthlySeries, month: string) => series[measure].find((m) => m.month === month)!.value;

describe("the monthly series", () => {
  it("covers the 24 months ending with the quarter's last month", () => {
    const months = spcMonths("2025-Q4").map((m) => m.month);
    expect(months).toHaveLength(24);
    expect([months[0], months[23]]).toEqual(["2024-01", "2025-12"]);
    expect(spcMonths("2025-Q1").at(-1)).toEqual({ month: "2025-03", start: "2025-03-01", end: "2025-03-31" });
    expect(spcMonths("2024-Q1")[1]).toEqual({ month: "2022-05", start: "2022-05-01", end: "2022-05-31" });
  });

  it("counts escalations raised each month", () => {
    // E0 31 Dec 2024; E5 1 Jan, E16 and E17 27 Jan 2025; E6 22 May; E14 30 Sep; E1 E7 E19 in October; E3 E4 in November;
    // E2 E8 E9 E10 E11 E18 in December. Every other month 0.
    const raised = Object.fromEntries(series.raised.filter((m) => m.value).map((m) => [m.month, m.value]));
    expect(raised).toEqual({ "2024-12": 1, "2025-01": 3, "2025-05": 1, "2025-09": 1, "2025-10": 3, "2025-11": 2, "2025-12": 6 });
    expect(spc.raised.values).toHaveLength(24);
  });

  it("gives the share of stage completions within the limit, each month", () => {
    // October: E14 stage 1 (1 Oct, 1 day), E1 stage 1 (3 Oct, 2) and stage 2 (7 Oct, 2), E19 stage 1 (same day): 4 of 4 = 100.0.
    // November: E3 stage 2 (2 ✓), stage 3 (5→10 Nov = 3 ✗); E4 stages 1, 2, 3 (1 each ✓): 4 of 5 = 80.0. June 2024: none.
    expect([valueOf("withinLimitPct", "2025-10"), valueOf("withinLimitPct", "2025-11"), valueOf("withinLimitPct", "2024-06")]).toEqual([100, 80, null]);
  });

  it("gives the share resolved at the lowest level, each month", () => {
    // October: E1 (stage 2), E14 and E19 (stage 1): 3 of 3. November: E3 and E4 (stage 3): 0 of 2. December: E18 (stage 1).
    expect(["2025-10", "2025-11", "2025-12", "2024-06"].map((m) => valueOf("resolvedAtLowestLevelPct", m))).toEqual([100, 0, 100, null]);
  });

  it("counts dissent and the chair's follow-up within the limit, each month", () => {
    // September: D7 (no follow-up) 0 of 1. October: D1 (6→13 Oct = 5 ✓), D5 (none): 1 of 2. November: D2 (3→11 Nov = 6 ✗): 0 of 1.
    // December: D3 (19→30 Dec = 22, 23, 24, 30 = 4 ✓), D4 (follow-up 12 Jan, after A), D6 (same day ✓): 2 of 3 = 66.7.
    expect(["2025-09", "2025-10", "2025-11", "2025-12"].map((m) => valueOf("dissentCount", m))).toEqual([1, 2, 1, 3]);
    expect(["2025-09", "2025-10", "2025-11", "2025-12"].map((m) => valueOf("chairFollowUpWithinLimitPct", m))).toEqual([0, 50, 0, 66.7]);
  });

  it("counts overdue at each month end, as of that month end", () => {
    // 31 October: nothing open (E1, E7, E14, E19 closed in October). 31 December: E8 (stage 2 from 16 Dec: 17, 18, 19, 22, 23,
    // 24, 30, 31 = 8 > 2), E9 (stage 1 from 31 Dec: 0, not yet), E10 (its last stage dated: unresolved, not overdue), E11
    // (stage 2 from 2 Dec: > 2), E2 (stage 2 from 30 Dec: 1, not yet) : 2.
    expect([valueOf("overdueAtMonthEnd", "2025-10"), valueOf("overdueAtMonthEnd", "2025-12")]).toEqual([0, 2]);
  });

  it("has no limits where fewer than 12 months have a value", () => {
    // Completions fall in only a few months of the 24: fewer than 12 points, so no limits.
    expect(spc.withinLimitPct).toMatchObject({ polarity: "higher_is_better", mean: null, upperLimit: null, variation: null });
    // Raised has a value (0 included) every month: 24 points.
    expect(spc.raised.mean).not.toBeNull();
  });
});
