/**
 * The board report's figures, each worked out by hand from a small world loaded through the
 * importer. North: a 3-stage procedure, 2 working days a stage; closure days 25, 27 and 29 December
 * 2025 (only Monday 29th adds anything: the 25th is a bank holiday, the 27th a Saturday).
 * Around Christmas 2025 in north: Thu 25 and Fri 26 bank holidays, Mon 29 closed, Thu 1 Jan bank holiday.
 * The rows (E0–E20, D1–D8, conference activity) are in tests/support/handWorld.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getBoardReport } from "../server/metrics/boardReport";
import { useTestWarehouse } from "./support/db";
import { TEST_ADMIN } from "./support/principals";
import { createAuth } from "../server/access/auth";
import { loadHandWorkedWorld } from "./support/handWorld";

const ctx = useTestWarehouse();

beforeAll(async () => {
  await loadHandWorkedWorld(ctx.db);
});

describe("board report, north, 2025-Q4 as of 9 January 2026", () => {
  let report: Awaited<ReturnType<typeof getBoardReport>>;
  beforeAll(async () => {
    report = await getBoardReport(ctx.db, { partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-09" });
  });

  it("names what it reports on", () => {
    expect(report).toMatchObject({ partnership: "north", quarter: "2025-Q4", asOf: "2026-01-09", period: { start: "2025-10-01", end: "2025-12-31" } });
  });

  it("counts raised, closed, resolved, withdrawn and open at period end", () => {
    // Raised 1 Oct–31 Dec: E1 E2 E3 E4 E7 E8 E9 E10 E11 E18 E19 = 11 (E14 arose 30 Sep; E12, E15 in January; E13 after A).
    // Closed in Q: E1 E3 E4 E14 E18 E19 resolved (6) and E7 withdrawn (1) = 7. E2 closed 2 Jan; E11's closure (12 Jan) is after A.
    // Open at 31 Dec: E2 (closed 2 Jan), E8, E9, E10, E11 (its closure after A has not happened) = 5.
    expect(report.escalations).toMatchObject({ raised: 11, closed: 7, resolved: 6, withdrawn: 1, openAtPeriodEnd: 5 });
  });

  it("gives the stage reached distribution as the records stand at A", () => {
    // Closed: highest stage dated (1 if none): E1 2, E2 2 (stage 2 on 2 Jan ≤ A), E3 3, E4 3, E7 1, E18 1, E19 1.
    // Open: highest dated + 1, at most 3: E8 2, E9 1, E10 3 (last stage dated), E11 2 (open at A).
    // 1: E7 E9 E18 E19 = 4; 2: E1 E2 E8 E11 = 4; 3: E3 E4 E10 = 3.
    expect(report.escalations.stageReached).toEqual({ "1": 4, "2": 4, "3": 3 });
  });

  it("computes resolved at the lowest level and the median working days to close", () => {
    // Resolved in Q: E1 (stage 2), E3 (3), E4 (3), E14 (1), E18 (1), E19 (1): 4 of 6 at stage ≤ 2 = 66.666… → 66.7.
    // wd(arose, closed): E19 0 (same day); E14 30 Sep→2 Oct = 2; E18 22→26 Dec = Tue 23, Wed 24 (25, 26 bank holidays) = 2;
    // E4 14→19 Nov = 3; E1 1→7 Oct = 4; E3 3→10 Nov = 5. Sorted 0 2 2 3 4 5: median (2 + 3) / 2 = 2.5.
    expect(report.escalations.resolvedAtLowestLevelPct).toBe(66.7);
    expect(report.escalations.medianWorkingDaysToClose).toBe(2.5);
  });

  it("measures timescale adherence per stage, clocks starting at the nearest earlier date", () => {
    // Stage 1 completions in Q (clock from the concern): E1 2 ✓, E2 23→30 Dec = Wed 24, Tue 30 (25, 26 holidays, 29 closed) = 2 ✓,
    // E4 1 ✓, E8 1 ✓, E10 5→10 Dec = 3 ✗, E11 1 ✓, E14 1 ✓, E18 1 ✓, E19 0 ✓: 9 completed, 8 within.
    // Stage 2: E1 3→7 Oct = 2 ✓; E3 skipped stage 1, clock from the concern 3→5 Nov = 2 ✓; E4 1 ✓; E10 1 ✓ (E2's stage 2 is in January): 4, 4.
    // Stage 3: E3 5→10 Nov = 3 ✗; E4 1 ✓; E10 11→15 Dec = 2 ✓: 3, 2.
    expect(report.escalations.timescale).toEqual([
      { stage: 1, limitWorkingDays: 2, completed: 9, withinLimit: 8 },
      { stage: 2, limitWorkingDays: 2, completed: 4, withinLimit: 4 },
      { stage: 3, limitWorkingDays: 2, completed: 3, withinLimit: 2 },
    ]);
  });

  it("counts overdue and unresolved-after-the-final-stage escalations at A, whenever raised", () => {
    // Open at 9 Jan: E8 (stage 2 from 16 Dec: far over 2), E9 (stage 1 from 31 Dec: Fri 2, Mon 5 … Fri 9 = 6 > 2),
    // E10 (last stage dated: unresolved, not overdue), E11 (stage 2 from 2 Dec), E12 (stage 1 from 5 Jan: 6–9 Jan = 4 > 2),
    // E15 (stage 1 from 7 Jan: Thu 8, Fri 9 = 2, not over). Overdue: E8 E9 E11 E12 = 4; unresolved after final stage: E10 = 1.
    expect(report.escalations.overdueAtAsOf).toBe(4);
    expect(report.escalations.unresolvedAfterFinalStage).toBe(1);
  });

  it("breaks raised escalations down by agency and theme (a row with two themes counts under each)", () => {
    expect(report.escalations.byRaisingAgency).toEqual({ CSC: 10, HLT: 1 });
    expect(report.escalations.byReceivingAgency).toEqual({ CSC: 1, HLT: 7, POL: 3 });
    // thresholds E1 E2 E3 E4; information_sharing E1 E18; roles E7; other E7 E19; service_provision E8; assessment E9 E10 E11.
    expect(report.escalations.themes).toEqual({
      assessment_outcome: 3, information_sharing: 2, other: 2, roles_responsibilities: 1, service_provision: 1, thresholds: 4,
    });
  });

  it("finds recurring (receiving agency, theme) pairs in the 365 days ending at the quarter's end", () => {
    // Window 1 Jan 2025 – 31 Dec 2025. (HLT, thresholds): E1 E2 E3 E4 = 4. (HLT, assessment): E9 E10 E11 = 3.
    // (POL, roles): E5 (1 Jan 2025, inside), E6, E7 = 3; E0 (31 Dec 2024) is outside, else it would be 4.
    // (POL, info sharing) E14 E18 = 2, (POL, other) E7 E19 = 2, (HLT, other) E16 E17 = 2: not recurring.
    expect(report.escalations.recurringThemes).toEqual([
      { receivingAgency: "HLT", theme: "thresholds", count: 4 },
      { receivingAgency: "HLT", theme: "assessment_outcome", count: 3 },
      { receivingAgency: "POL", theme: "roles_responsibilities", count: 3 },
    ]);
  });

  it("measures learning disseminated within one calendar month of a final-stage resolution", () => {
    // Resolved in Q at stage 3: E3 (closed 10 Nov, learning 10 Dec = one month exactly ✓), E4 (closed 19 Nov, learning 20 Dec ✗): 50.0.
    expect(report.escalations.learningWithinOneMonthPct).toBe(50);
  });

  it("gives the dissent measures", () => {
    // Conferences 1 Oct – 31 Dec: D1 D2 D3 D4 D5 D6 = 6 (D7 on 30 Sep, D8 on 2 Jan are outside).
    // Rate: 6 ÷ (10+20 + 10+20 + 5+15 = 80) × 100 = 7.5.
    // Follow-up within 5 working days: D1 6→13 Oct = 5 ✓; D2 3→11 Nov = 6 ✗; D3 19→30 Dec = Mon 22, Tue 23, Wed 24, Tue 30 = 4 ✓
    // (holidays and the closure day skipped); D4's follow-up (12 Jan) is after A ✗; D5 none ✗; D6 same day = 0 ✓: 3 of 6 = 50.0.
    expect(report.dissent).toEqual({
      count: 6,
      byAgency: { HLT: 4, POL: 2 },
      byDecision: { conference_not_convened: 1, cp_plan: 1, no_cp_plan: 3, plan_category: 1 },
      byConferenceType: { initial: 2, review: 3, transfer_in: 1 },
      themes: { conference_need: 1, plan_decision: 5, thresholds: 1 },
      ratePer100Conferences: 7.5,
      chairFollowUpWithinLimitPct: 50,
      escalated: 2,
    });
  });
});

describe("board report, north, 2025-Q1 as of 15 April 2025", () => {
  it("handles 31 January + 1 month, a bank-holiday concern, and conference activity missing a month", async () => {
    const report = await getBoardReport(ctx.db, { partnerships: ["north"], quarter: "2025-Q1", asOf: "2025-04-15" });
    // Raised: E5 (1 Jan, a bank holiday), E16, E17 = 3. Resolved in Q: E0, E5 (stage 1), E16, E17 (stage 3): 2 of 4 low = 50.0.
    // wd: E0 31 Dec→2 Jan = 1 (1 Jan a holiday); E5 1→3 Jan = 2; E16, E17 27→31 Jan = 4 each. Median of 1 2 4 4 = 3.
    // Learning: E16 closed 31 Jan, learning 28 Feb = 31 Jan + 1 month ✓; E17 learning 1 Mar ✗: 50.0.
    expect(report.escalations).toMatchObject({
      raised: 3, resolved: 4, stageReached: { "1": 1, "2": 0, "3": 2 }, resolvedAtLowestLevelPct: 50, medianWorkingDaysToClose: 3,
      learningWithinOneMonthPct: 50,
    });
    // No dissent, and March's conference activity is missing: the rate and the follow-up share are null.
    expect(report.dissent).toMatchObject({ count: 0, ratePer100Conferences: null, chairFollowUpWithinLimitPct: null });
  });

  it("refuses an as-of date before the quarter's end", async () => {
    await expect(getBoardReport(ctx.db, { partnerships: ["north"], quarter: "2025-Q4", asOf: "2025-12-30" })).rejects.toThrow(
      "The as-of date (30 December 2025) is before the end of 2025-Q4 (31 December 2025).",
    );
  });
});

describe("board report, north, 2022-Q4: substitute days", () => {
  it("skips Christmas 2022's substitute day", async () => {
    // Christmas Day 2022 fell on a Sunday: Mon 26 Boxing Day, Tue 27 the substitute. E20: concern Fri 23 Dec, stage 1 Wed 28
    // = 1 working day (within 2); closed Thu 29 = wd(23, 29) = Wed 28, Thu 29 = 2.
    const report = await getBoardReport(ctx.db, { partnerships: ["north"], quarter: "2022-Q4", asOf: "2023-01-31" });
    expect(report.escalations).toMatchObject({
      raised: 1, resolved: 1, medianWorkingDaysToClose: 2,
      timescale: [{ stage: 1, limitWorkingDays: 2, completed: 1, withinLimit: 1 }, { stage: 2, limitWorkingDays: 2, completed: 0, withinLimit: 0 }, { stage: 3, limitWorkingDays: 2, completed: 0, withinLimit: 0 }],
    });
  });
});

describe("the board report through the API", () => {
  it("serves the same figures over tRPC, and the published form with its disclosure statement", async () => {
    const { createCaller } = await import("../wiring/trpc/router");
    const caller = createCaller({ db: ctx.db, principal: TEST_ADMIN, auth: createAuth(ctx.db, { secret: "test-auth-secret-test-auth-secret-0123456" }) });
    const exact = await caller.reports.board({ partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-09" });
    expect(exact).toEqual(await getBoardReport(ctx.db, { partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-09" }));
    const published = await caller.reports.board({ partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-09", published: true });
    expect(published).toMatchObject({ disclosure: { profile: "dfe" }, escalations: { raised: 11, withdrawn: "c", resolved: "c" } });
  });

  it("reports several partnerships together", async () => {
    // South has no records: together the figures are north's.
    const both = await getBoardReport(ctx.db, { partnerships: ["north", "south"], quarter: "2025-Q4", asOf: "2026-01-09" });
    expect(both).toMatchObject({ partnership: "north+south", escalations: { raised: 11, overdueAtAsOf: 4 }, dissent: { count: 6, ratePer100Conferences: null } });
  });
});

describe("the operational views", () => {
  it("lists the escalations overdue at the as-of date, most overdue first", async () => {
    const { getOverdueEscalations } = await import("../server/metrics/operational");
    const overdue = await getOverdueEscalations(ctx.db, { partnerships: ["north"], asOf: "2026-01-09" });
    // E11: stage 2 from Tue 2 Dec: 24 working days to 9 Jan (skipping 25, 26, 29 Dec and 1 Jan) → 22 over.
    // E8: stage 2 from Tue 16 Dec: 14 → 12 over. E9: stage 1 from Wed 31 Dec: Fri 2, Mon 5 – Fri 9 Jan = 6 → 4 over.
    // E12: stage 1 from Mon 5 Jan: 4 → 2 over.
    expect(overdue.map((o) => [o.recordRef, o.currentStage, o.clockStartedOn, o.workingDaysElapsed, o.workingDaysOver])).toEqual([
      ["E11", 2, "2025-12-02", 24, 22],
      ["E8", 2, "2025-12-16", 14, 12],
      ["E9", 1, "2025-12-31", 6, 4],
      ["E12", 1, "2026-01-05", 4, 2],
    ]);
    expect(overdue[1]).toMatchObject({ raisingAgency: "HLT", receivingAgency: "CSC", stageName: "Managers", limitWorkingDays: 2, uploadedBy: "CSC" });
    expect(JSON.stringify(overdue)).not.toMatch(/child/i);
  });

  it("counts who escalates to whom", async () => {
    const { getAgencyMatrix } = await import("../server/metrics/operational");
    // Raised in Q4: CSC→HLT E1 E2 E3 E4 E9 E10 E11 = 7; CSC→POL E7 E18 E19 = 3; HLT→CSC E8 = 1.
    expect(await getAgencyMatrix(ctx.db, { partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-09" })).toEqual([
      { raisingAgency: "CSC", receivingAgency: "HLT", count: 7 },
      { raisingAgency: "CSC", receivingAgency: "POL", count: 3 },
      { raisingAgency: "HLT", receivingAgency: "CSC", count: 1 },
    ]);
  });

  it("gives headline trends, with overdue as it stood at each quarter's end", async () => {
    const { getTrends } = await import("../server/metrics/operational");
    const trend = await getTrends(ctx.db, { partnerships: ["north"], quarters: 2, asOf: "2026-01-09" });
    // Q3: E14 raised 30 Sep, open at 30 Sep (closed 2 Oct); not overdue then (its clock started that day). D7 the only dissent; no activity: no rate.
    // Q4 at 31 Dec: E8 (stage 2 from 16 Dec: 8 working days) and E11 (stage 2 from 2 Dec: 18) overdue; E2's stage 2 clock
    // (from 30 Dec) had run 1 day; E10 unresolved after its final stage.
    expect(trend).toEqual([
      expect.objectContaining({ quarter: "2025-Q3", raised: 1, closed: 0, openAtPeriodEnd: 1, overdueAtQuarterEnd: 0, unresolvedAfterFinalStageAtQuarterEnd: 0, dissent: 1, dissentRatePer100Conferences: null }),
      expect.objectContaining({ quarter: "2025-Q4", raised: 11, closed: 7, openAtPeriodEnd: 5, medianWorkingDaysToClose: 2.5, overdueAtQuarterEnd: 2, unresolvedAfterFinalStageAtQuarterEnd: 1, dissent: 6, dissentRatePer100Conferences: 7.5 }),
    ]);
  });
});

describe("the dashboard's views of the same world", () => {
  const asOf = "2026-01-09";

  it("counts a run of quarters exactly as the quarterly report counts each quarter", async () => {
    const { getBreakdowns, getDissentQuarters } = await import("../server/metrics/dashboard");
    const { getTrends } = await import("../server/metrics/operational");
    const run = { partnerships: ["north"], from: "2025-Q1", quarter: "2025-Q4", asOf };
    const [breakdowns, dissent, trends] = [await getBreakdowns(ctx.db, run), await getDissentQuarters(ctx.db, run), await getTrends(ctx.db, { partnerships: ["north"], quarters: 4, to: "2025-Q4", asOf })];
    for (const [i, quarter] of ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"].entries()) {
      const report = await getBoardReport(ctx.db, { partnerships: ["north"], quarter, asOf });
      const { quarter: q, themesByReceivingAgency: _pairs, ...counted } = breakdowns.quarters[i]!;
      expect(q).toBe(quarter);
      expect(counted).toEqual({
        stageReached: report.escalations.stageReached, timescale: report.escalations.timescale, byRaisingAgency: report.escalations.byRaisingAgency,
        byReceivingAgency: report.escalations.byReceivingAgency, themes: report.escalations.themes,
      });
      const { quarter: dq, fractions: _fractions, ...dissentCounted } = dissent[i]!;
      expect([dq, dissentCounted]).toEqual([quarter, report.dissent]);
      expect(trends[i]).toMatchObject({ quarter, raised: report.escalations.raised, closed: report.escalations.closed, medianWorkingDaysToClose: report.escalations.medianWorkingDaysToClose });
    }
    // Q4 by receiving agency and theme: HLT thresholds E1 E2 E3 E4, information sharing E1, assessment E9 E10 E11;
    // POL roles E7, other E7 E19, information sharing E18; CSC services E8.
    expect(breakdowns.quarters[3]!.themesByReceivingAgency).toEqual([
      { receivingAgency: "CSC", theme: "service_provision", count: 1 },
      { receivingAgency: "HLT", theme: "assessment_outcome", count: 3 },
      { receivingAgency: "HLT", theme: "information_sharing", count: 1 },
      { receivingAgency: "HLT", theme: "thresholds", count: 4 },
      { receivingAgency: "POL", theme: "information_sharing", count: 1 },
      { receivingAgency: "POL", theme: "other", count: 2 },
      { receivingAgency: "POL", theme: "roles_responsibilities", count: 1 },
    ]);
  });

  it("gives the board document's run of quarters the figures of one report per quarter (as the document was computed before)", async () => {
    // Before: the document read one full report per trend quarter (headlines, breakdowns and dissent of that quarter alone,
    // as of the same date). Now one run of four quarters: every quarter's figures must be those, and the last the report itself.
    const { getBoardReportRun } = await import("../server/metrics/boardReport");
    const { resolveScope } = await import("../server/metrics/scope");
    const { escalationHeadlines, breakdowns } = await import("../server/metrics/escalationMeasures");
    const { dissentMeasures } = await import("../server/metrics/dissentMeasures");
    const run = await getBoardReportRun(ctx.db, { partnerships: ["north"], quarter: "2025-Q4", asOf, quarters: 4 });
    expect(run.quarters.map((q) => q.quarter)).toEqual(["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]);
    for (const figures of run.quarters) {
      const scope = await resolveScope(ctx.db, { partnerships: ["north"], quarter: figures.quarter, asOf });
      const [h, b] = [await escalationHeadlines(ctx.db, scope), await breakdowns(ctx.db, scope)];
      const { fractions, quarter: _q, ...dissent } = await dissentMeasures(ctx.db, scope);
      expect(figures.escalations).toEqual({
        raised: h.raised, closed: h.closed, resolved: h.resolved, withdrawn: h.withdrawn, openAtPeriodEnd: h.openAtPeriodEnd,
        stageReached: b.stageReached, resolvedAtLowestLevelPct: h.resolvedAtLowestLevelPct, medianWorkingDaysToClose: h.medianWorkingDaysToClose,
        timescale: b.timescale, byRaisingAgency: b.byRaisingAgency, byReceivingAgency: b.byReceivingAgency, themes: b.themes,
        learningWithinOneMonthPct: h.learningWithinOneMonthPct,
        // North's one procedure version sets no total limit: null (METRICS.md, "total limit").
        totalLimit: null,
      });
      expect(figures.dissent).toEqual(dissent);
      expect(figures.fractions).toEqual({
        resolvedAtLowestLevel: { numerator: h.resolvedAtLowestLevel, denominator: h.resolved }, learningWithinOneMonth: h.learningWithinOneMonth,
        medianWorkingDaysToClose: { values: h.resolved }, chairFollowUpWithinLimit: fractions.chairFollowUpWithinLimit,
        ratePer100Conferences: { numerator: dissent.count, denominator: fractions.conferences },
      });
      if (figures.quarter === "2025-Q4") {
        expect(run.report.escalations).toMatchObject({ overdueAtAsOf: h.overdueAtAsOf, unresolvedAfterFinalStage: h.unresolvedAfterFinalStage, recurringThemes: b.recurringThemes });
      }
    }
    // Hand-worked: raised Q3 1 (E14), Q4 11 (see above); Q1: E5 E16 E17 (E0 arose 31 Dec 2024) = 3; Q2: E6 = 1.
    expect(run.quarters.map((q) => q.escalations.raised)).toEqual([3, 1, 1, 11]);
    expect(run.report).toEqual(await getBoardReport(ctx.db, { partnerships: ["north"], quarter: "2025-Q4", asOf }));
  });

  it("narrows every figure to one agency (raising, receiving or either) and to one theme", async () => {
    const { resolveScope } = await import("../server/metrics/scope");
    const { escalationQuarters } = await import("../server/metrics/escalationMeasures");
    const raised = async (extra: Record<string, string>) =>
      (await escalationQuarters(ctx.db, await resolveScope(ctx.db, { partnerships: ["north"], quarter: "2025-Q4", asOf, ...extra })))[0]!.raised;
    // Q4's 11: received by HLT E1 E2 E3 E4 E9 E10 E11 = 7; raised by HLT E8 = 1; either 8. Thresholds E1 E2 E3 E4 = 4, all received by HLT.
    expect(await raised({ agency: "HLT", agencyRole: "receiving" })).toBe(7);
    expect(await raised({ agency: "HLT", agencyRole: "raising" })).toBe(1);
    expect(await raised({ agency: "HLT" })).toBe(8);
    expect(await raised({ theme: "thresholds" })).toBe(4);
    expect(await raised({ theme: "thresholds", agency: "POL" })).toBe(0);
    await expect(raised({ agency: "NOPE" })).rejects.toThrow('There is no agency with the code "NOPE".');
  });

  it("profiles an agency as raiser and receiver beside its partnership", async () => {
    const { getAgencyProfile } = await import("../server/metrics/agencyProfile");
    const profile = await getAgencyProfile(ctx.db, { agency: "CSC", partnerships: ["north"], quarters: 2, to: "2025-Q4", asOf });
    // Q4: CSC raised 10 of 11 (all but E8) and received 1 (E8, HLT → CSC). Overdue at A: E8 of the partnership's 4 (E8 E9 E11 E12).
    expect(profile.quarters).toEqual(["2025-Q3", "2025-Q4"]);
    expect(profile.asRaiser.map((q) => q.raised)).toEqual([1, 10]);
    expect(profile.asReceiver.map((q) => q.raised)).toEqual([0, 1]);
    expect(profile.partnership.map((q) => q.raised)).toEqual([1, 11]);
    expect([profile.overdueAsReceiver, profile.overdueInPartnership]).toEqual([1, 4]);
    // CSC dissented from no conference decision (the dissents are HLT's and POL's).
    expect(profile.dissent.map((d) => d.count)).toEqual([0, 0]);
  });

  it("lists the records of a quarter, pseudonymised, with working days open and overdue", async () => {
    const { listEscalationRecords } = await import("../server/records/escalationRecords");
    const rows = await listEscalationRecords(ctx.db, { partnerships: ["north"], quarter: "2025-Q4", from: "2025-Q4", asOf });
    // The 11 raised in Q4, newest concern first: E9 (31 Dec) … E1 (1 Oct).
    expect(rows.map((r) => r.recordRef)).toEqual(["E9", "E2", "E18", "E8", "E10", "E11", "E4", "E3", "E19", "E7", "E1"]);
    // E9: open, stage 1 from 31 Dec to 9 Jan = Fri 2, Mon 5 … Fri 9 = 6 working days; limit 2: 4 over.
    expect(rows[0]).toMatchObject({ stageReached: 1, stageCount: 3, status: "open", closedOn: null, workingDaysOpen: 6, workingDaysOverdue: 4, childPseudonym: null });
    // E10: open after its final stage: not overdue. E3: resolved 10 Nov, 5 working days from 3 Nov.
    expect(rows.find((r) => r.recordRef === "E10")).toMatchObject({ stageReached: 3, status: "open", workingDaysOverdue: 0 });
    expect(rows.find((r) => r.recordRef === "E3")).toMatchObject({ stageReached: 3, status: "resolved", closedOn: "2025-11-10", workingDaysOpen: 5 });
    // As of 15 April 2026 (E11 closed 12 Jan), those overdue are E8, E9, E12, E13, E15 (E10 is past its final stage): 5,
    // the same as the figures' overdue count at that date.
    const april = await listEscalationRecords(ctx.db, { partnerships: ["north"], quarter: "2026-Q1", from: "2022-Q4", asOf: "2026-04-15" });
    expect(april.filter((r) => r.workingDaysOverdue > 0).map((r) => r.recordRef).sort()).toEqual(["E12", "E13", "E15", "E8", "E9"]);
    const { escalationsPointInTime } = await import("../server/metrics/escalationMeasures");
    const { resolveScope } = await import("../server/metrics/scope");
    const [atApril] = await escalationsPointInTime(ctx.db, await resolveScope(ctx.db, { partnerships: ["north"], quarter: "2026-Q1", asOf: "2026-04-15" }), ["2026-04-15"]);
    expect(atApril!.overdue).toBe(5);
    // An agency lead for POL sees only escalations POL uploaded, raised or received: E7 E18 E19.
    const pol = await listEscalationRecords(ctx.db, { partnerships: ["north"], quarter: "2025-Q4", from: "2025-Q4", asOf, involvingAgency: "POL" });
    expect(pol.map((r) => r.recordRef).sort()).toEqual(["E18", "E19", "E7"]);
  });

  it("shows one record's stages against their limits", async () => {
    const { getEscalationRecord } = await import("../server/records/escalationRecords");
    const { queryRows } = await import("../db/client");
    const { sql } = await import("drizzle-orm");
    const idOf = async (ref: string) => (await queryRows<{ id: number }>(ctx.db, sql`select id::int from escalations where record_ref = ${ref}`))[0]!.id;
    // E3: stage 1 skipped; stage 2 from the concern (Mon 3 Nov) to Wed 5 Nov = 2 ≤ 2; stage 3 from 5 Nov to Mon 10 Nov = Thu, Fri, Mon = 3 > 2.
    const e3 = await getEscalationRecord(ctx.db, { partnership: "north", id: await idOf("E3"), asOf });
    expect(e3.stages.map((s) => [s.number, s.state, s.clockStartedOn, s.on, s.workingDays])).toEqual([
      [1, "skipped", null, null, null],
      [2, "within", "2025-11-03", "2025-11-05", 2],
      [3, "late", "2025-11-05", "2025-11-10", 3],
    ]);
    // E12: open, no stage dated: stage 1 runs from Mon 5 Jan to Fri 9 Jan = 4 > 2, overdue; stages 2 and 3 not reached.
    const e12 = await getEscalationRecord(ctx.db, { partnership: "north", id: await idOf("E12"), asOf });
    expect(e12.stages.map((s) => [s.number, s.state, s.workingDays])).toEqual([[1, "overdue", 4], [2, "not_reached", null], [3, "not_reached", null]]);
    // E13 arose 12 Jan, after A: as of 9 January it does not exist yet.
    await expect(getEscalationRecord(ctx.db, { partnership: "north", id: await idOf("E13"), asOf })).rejects.toThrow(/no escalation/);
  });
});

describe("the glossary", () => {
  it("explains every figure of the board report", async () => {
    const { GLOSSARY, GLOSSARY_FOR_FIELD } = await import("../server/metrics/glossary");
    const report = await getBoardReport(ctx.db, { partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-09" });
    const fields = [...Object.keys(report.escalations).map((k) => `escalations.${k}`), ...Object.keys(report.dissent).map((k) => `dissent.${k}`)];
    const ids = new Set(GLOSSARY.map((g) => g.id));
    expect(fields.filter((f) => !ids.has(GLOSSARY_FOR_FIELD[f] ?? ""))).toEqual([]);
  });
});
