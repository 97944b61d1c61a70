/**
 * The procedure shapes of db/reference/examples/procedure-shapes.json, loaded as a partnership
 * would load them and judged through the importer and the board report: a six-step version with a
 * 14-calendar-day review, an independent chair's meeting after two stages (revised in January 2025),
 * an IRO dispute process with a 20-working-day total limit, beside the two procedures of the seeds.
 * As of Friday 9 January 2026. No closure days; bank holidays 25, 26 December 2025 and 1 January 2026.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getBoardReport } from "../server/metrics/boardReport";
import { loadReferenceData, parseReferenceDataJson } from "../server/reference/config";
import { listProcedureVersions } from "../server/reference/procedureVersions";
import { useTestWarehouse } from "./support/db";
import { escalationRow, loadEscalations } from "./support/records";

const ctx = useTestWarehouse();
const SHAPES = path.join(process.cwd(), "db", "reference", "examples", "procedure-shapes.json");
const asOf = "2026-01-09";

beforeAll(async () => {
  await loadReferenceData(ctx.db, parseReferenceDataJson(fs.readFileSync(SHAPES, "utf8")), "test");
  await loadEscalations(ctx.db, "CSC", [
    // six-step, April 2024 version: steps 1–5 dated, open.
    escalationRow({
      record_ref: "S1", partnership: "six-step", raising_agency: "CSC", receiving_agency: "POL", concern_arose_on: "2025-11-03",
      stage1_on: "2025-11-05", stage2_on: "2025-11-10", stage3_on: "2025-11-12", stage4_on: "2025-11-26", stage5_on: "2025-12-01",
    }),
    // six-step, 2019 four-step version: its last step dated, still open.
    escalationRow({
      record_ref: "S2", partnership: "six-step", raising_agency: "CSC", receiving_agency: "POL", concern_arose_on: "2024-03-01",
      stage1_on: "2024-03-04", stage2_on: "2024-03-05", stage3_on: "2024-03-06", stage4_on: "2024-03-07",
    }),
    // IRO dispute process: two closed under the total limit, one open past it, one under the 2018 version (no total).
    escalationRow({ record_ref: "I3", partnership: "iro-dispute", raising_agency: "IRO", receiving_agency: "CSC", concern_arose_on: "2025-10-01", stage1_on: "2025-10-03", status: "resolved", closed_on: "2025-10-29" }),
    escalationRow({ record_ref: "I4", partnership: "iro-dispute", raising_agency: "IRO", receiving_agency: "CSC", concern_arose_on: "2025-10-01", stage1_on: "2025-10-02", status: "resolved", closed_on: "2025-10-30" }),
    escalationRow({ record_ref: "I5", partnership: "iro-dispute", raising_agency: "IRO", receiving_agency: "CSC", concern_arose_on: "2025-12-01" }),
    escalationRow({ record_ref: "I6", partnership: "iro-dispute", raising_agency: "IRO", receiving_agency: "CSC", concern_arose_on: "2025-08-15", stage1_on: "2025-08-18", status: "resolved", closed_on: "2025-10-15" }),
    // Independent chair's meeting: one under each version of 2025-Q1.
    escalationRow({ record_ref: "C7", partnership: "chair-meeting", raising_agency: "CSC", receiving_agency: "POL", concern_arose_on: "2025-01-02", stage1_on: "2025-01-07", status: "resolved", closed_on: "2025-01-07" }),
    escalationRow({ record_ref: "C8", partnership: "chair-meeting", raising_agency: "CSC", receiving_agency: "POL", concern_arose_on: "2025-01-07", stage1_on: "2025-01-09", status: "resolved", closed_on: "2025-01-09" }),
  ]);
});

describe("procedure shapes expressed as versions", () => {
  it("loads every shape with its versions, units and total limit", async () => {
    const versions = await listProcedureVersions(ctx.db);
    const shape = (code: string) => versions.filter((v) => v.partnershipCode === code).map((v) => [v.effectiveFrom, v.stages.length, v.totalLimitWorkingDays]);
    expect(shape("hips-shape")).toEqual([["2015-01-01", 5, null]]);
    expect(shape("oxfordshire-shape")).toEqual([["2015-01-01", 5, null]]);
    expect(shape("six-step")).toEqual([["2015-01-01", 4, null], ["2024-04-01", 6, null]]);
    expect(shape("chair-meeting")).toEqual([["2015-01-01", 3, null], ["2025-01-06", 4, null]]);
    expect(shape("iro-dispute")).toEqual([["2015-01-01", 3, null], ["2025-09-01", 4, 20]]);
    expect(versions.find((v) => v.partnershipCode === "six-step" && v.stages.length === 6)!.stages[3]).toMatchObject({ limitDays: 14, limitUnit: "calendar" });
  });

  it("six steps: a 14-calendar-day review, an open record with step 5 dated at step 6, and the old version's last step unresolved", async () => {
    const report = await getBoardReport(ctx.db, { partnerships: ["six-step"], quarter: "2025-Q4", asOf });
    // Only the six-step version is in force in 2025-Q4: keys 1..6. S1 (raised 3 Nov) is open with step 5 dated: step 6.
    expect(report.escalations.stageReached).toEqual({ "1": 0, "2": 0, "3": 0, "4": 0, "5": 0, "6": 1 });
    // S1's completions in Q4: step 1 wd(3→5 Nov) = 2 ≤ 3; step 2 wd(5→10 Nov) = Thu 6, Fri 7, Mon 10 = 3 ≤ 5;
    // step 3 wd(10→12 Nov) = 2 ≤ 5; step 4 26 Nov − 12 Nov = 14 calendar days ≤ 14; step 5 wd(26 Nov→1 Dec) = 3 ≤ 10.
    expect(report.escalations.timescale).toEqual([
      { stage: 1, limitWorkingDays: 3, completed: 1, withinLimit: 1 },
      { stage: 2, limitWorkingDays: 5, completed: 1, withinLimit: 1 },
      { stage: 3, limitWorkingDays: 5, completed: 1, withinLimit: 1 },
      { stage: 4, limitCalendarDays: 14, completed: 1, withinLimit: 1 },
      { stage: 5, limitWorkingDays: 10, completed: 1, withinLimit: 1 },
      { stage: 6, limitWorkingDays: 10, completed: 0, withinLimit: 0 },
    ]);
    // Overdue at 9 Jan: S1's step 6 clock from 1 Dec: Dec 2–5 (4), 8–12 (5), 15–19 (5), 22–24 (3), 29–31 (3), Jan 2 (1),
    // 5–9 (5) = 26 working days > 10. S2 (2019 version of 4 steps, step 4 dated, open) is unresolved after the final step.
    expect(report.escalations.overdueAtAsOf).toBe(1);
    expect(report.escalations.unresolvedAfterFinalStage).toBe(1);
    expect(report.escalations.totalLimit).toBeNull();
  });

  it("an IRO dispute process: the 20-working-day total limit, closed within and beyond it, and open past it", async () => {
    const report = await getBoardReport(ctx.db, { partnerships: ["iro-dispute"], quarter: "2025-Q4", asOf });
    // Closed in Q4 under the September 2025 version: I3 wd(1→29 Oct) = Oct 2–3 (2), 6–10, 13–17, 20–24 (15), 27–29 (3) = 20 ≤ 20;
    // I4 to 30 Oct = 21 > 20. I6 closed in Q4 too, but arose under the 2018 version, which has no total limit: not counted.
    // Open at 9 Jan past the total: I5, wd(1 Dec→9 Jan) = 26 > 20.
    expect(report.escalations.totalLimit).toEqual({ limitWorkingDays: 20, closed: 2, withinLimit: 1, overdueAtAsOf: 1 });
    expect(report.escalations.closed).toBe(3);
  });

  it("the chair's meeting revision of 6 January 2025: four stages shown, stage 1 judged against either limit", async () => {
    const report = await getBoardReport(ctx.db, { partnerships: ["chair-meeting"], quarter: "2025-Q1", asOf: "2025-04-30" });
    // Versions in force in 2025-Q1: 2021 (3 stages, to 5 Jan) and January 2025 (4): keys 1..4, limits of the January 2025 version.
    // C7 (raised 2 Jan, 2021 version) stage 1 wd(2→7 Jan) = Fri 3, Mon 6, Tue 7 = 3 ≤ 5; C8 (7 Jan) wd(7→9 Jan) = 2 ≤ 2.
    // C7 was judged against 5 working days, not the 2 shown: limits vary for stage 1.
    expect(report.escalations.stageReached).toEqual({ "1": 2, "2": 0, "3": 0, "4": 0 });
    expect(report.escalations.timescale).toEqual([
      { stage: 1, limitWorkingDays: 2, completed: 2, withinLimit: 2, limitsVary: true },
      { stage: 2, limitWorkingDays: 5, completed: 0, withinLimit: 0 },
      { stage: 3, limitWorkingDays: 10, completed: 0, withinLimit: 0 },
      { stage: 4, limitWorkingDays: 10, completed: 0, withinLimit: 0 },
    ]);
  });
});
