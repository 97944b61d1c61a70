/**
 * Procedure versions in the figures (METRICS.md, "Procedure versions, limit units and a total limit"
 * and the board report's timescale, stage-reached and totalLimit fields), every figure worked out by
 * hand from the rows below. Reference data goes through loadReferenceData with `procedures` lists,
 * escalations through the importer, as an agency uploads them.
 *
 * The calendar around the figures (England and Wales; no closure days in these partnerships):
 *   Sep/Oct 2025: Fri 26 Sep, Mon 29, Tue 30, Wed 1 Oct, Thu 2, Fri 3, Mon 6 … Wed 15 Oct, Fri 31 Oct.
 *   Nov 2025: Mon 3, Fri 7, Sun 9, Mon 10, Fri 14, Mon 17, Fri 21, Mon 24, Tue 25, Fri 28.
 *   Dec 2025: Mon 1, Fri 5, Mon 8, Fri 12, Mon 15, Fri 19, Mon 22, Tue 23, Wed 24, Thu 25 and Fri 26
 *   (bank holidays), Sat 27, Sun 28, Mon 29, Tue 30, Wed 31. Thu 1 Jan 2026 a bank holiday.
 *   Jan 2026: Mon 5, Mon 12, Mon 19. Feb 2026: Mon 2, Fri 6, Sat 28 (2026 is no leap year); Sun 1 Mar.
 *   Fri 31 Dec 2027; Tue 29 Feb 2028 (a leap year).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWarehouse, queryRows, type Db } from "../db/client";
import { getBoardReport, type BoardReport } from "../server/metrics/boardReport";
import { loadReferenceData, parseReferenceData } from "../server/reference/config";
import { csvLine } from "../reports/csv";
import { useTestWarehouse } from "./support/db";
import { importText } from "./support/records";

const ctx = useTestWarehouse();

const AGENCIES = ["revised", "calendar", "six", "iro", "learning", "boundary"];

const REFERENCE = {
  partnerships: [
    {
      // Test 1: version A (3 stages × 5 working days) until Sunday 9 November 2025; version B from Monday 10 November:
      // 4 stages, 2 working days, 2 working days, 14 calendar days, 2 working days.
      code: "revised",
      name: "Revised Safeguarding Children Partnership",
      procedures: [
        {
          name: "Escalation procedure 2023",
          stages: [
            { number: 1, name: "Practitioners", limitWorkingDays: 5 },
            { number: 2, name: "Managers", limitWorkingDays: 5 },
            { number: 3, name: "Heads of service", limitWorkingDays: 5 },
          ],
        },
        {
          name: "Escalation procedure 2025",
          effectiveFrom: "2025-11-10",
          stages: [
            { number: 1, name: "Practitioners", limitWorkingDays: 2 },
            { number: 2, name: "Managers", limitWorkingDays: 2 },
            { number: 3, name: "Independent review", limitCalendarDays: 14 },
            { number: 4, name: "Partnership panel", limitWorkingDays: 2 },
          ],
        },
      ],
    },
    {
      // Test 2: a calendar-day first stage (3 calendar days), then 2 working days.
      code: "calendar",
      name: "Calendar Safeguarding Children Partnership",
      procedure: {
        name: "Calendar-day procedure",
        stages: [
          { number: 1, name: "Practitioners", limitCalendarDays: 3 },
          { number: 2, name: "Managers", limitWorkingDays: 2 },
        ],
      },
    },
    {
      // Test 3: six steps (1–5 of 2 working days, step 6 a review within 14 calendar days); from 2 February 2026 three
      // stages of 5 working days.
      code: "six",
      name: "Six Step Safeguarding Children Partnership",
      procedures: [
        {
          name: "Six-step procedure",
          stageWord: "step",
          stages: [
            { number: 1, name: "Front line", limitWorkingDays: 2 },
            { number: 2, name: "Team managers", limitWorkingDays: 2 },
            { number: 3, name: "Service managers", limitWorkingDays: 2 },
            { number: 4, name: "Senior managers", limitWorkingDays: 2 },
            { number: 5, name: "Independent chair's meeting", limitWorkingDays: 2 },
            { number: 6, name: "Independent review", limitCalendarDays: 14 },
          ],
        },
        {
          name: "Three-stage procedure",
          effectiveFrom: "2026-02-02",
          stages: [
            { number: 1, name: "Practitioners", limitWorkingDays: 5 },
            { number: 2, name: "Managers", limitWorkingDays: 5 },
            { number: 3, name: "Partnership", limitWorkingDays: 5 },
          ],
        },
      ],
    },
    {
      // Test 4: an IRO dispute process; from Monday 3 November 2025 it must end within 20 working days of the concern.
      code: "iro",
      name: "IRO Safeguarding Children Partnership",
      procedures: [
        {
          name: "IRO dispute process 2024",
          stages: [
            { number: 1, name: "Informal resolution", limitWorkingDays: 5 },
            { number: 2, name: "Formal resolution", limitWorkingDays: 5 },
          ],
        },
        {
          name: "IRO dispute process 2025",
          effectiveFrom: "2025-11-03",
          totalLimitWorkingDays: 20,
          stages: [
            { number: 1, name: "Informal resolution", limitWorkingDays: 5 },
            { number: 2, name: "Formal resolution", limitWorkingDays: 10 },
          ],
        },
      ],
    },
    {
      // Test 5: learning shared within two calendar months.
      code: "learning",
      name: "Learning Safeguarding Children Partnership",
      procedures: [
        {
          name: "Two-stage procedure",
          learningWithinMonths: 2,
          stages: [
            { number: 1, name: "Practitioners", limitWorkingDays: 5 },
            { number: 2, name: "Managers", limitWorkingDays: 5 },
          ],
        },
      ],
    },
    {
      // Versions changing on a quarter's first and last days, with no escalations: five stages to 30 Sep 2025, two from
      // Wed 1 Oct 2025, four from Wed 31 Dec 2025.
      code: "boundary",
      name: "Boundary Safeguarding Children Partnership",
      procedures: [
        { name: "Five stages", stages: [1, 2, 3, 4, 5].map((number) => ({ number, name: `Stage ${number}`, limitWorkingDays: 2 })) },
        { name: "Two stages", effectiveFrom: "2025-10-01", stages: [1, 2].map((number) => ({ number, name: `Stage ${number}`, limitWorkingDays: 3 })) },
        { name: "Four stages", effectiveFrom: "2025-12-31", stages: [1, 2, 3, 4].map((number) => ({ number, name: `Stage ${number}`, limitCalendarDays: 7 })) },
      ],
    },
  ],
  agencies: [
    { code: "POL", name: "County Police", sector: "police", partnerships: AGENCIES },
    { code: "HLT", name: "Community Health Trust", sector: "health", partnerships: AGENCIES },
  ],
};

const COLUMNS = [
  "partnership", "record_ref", "raising_agency", "receiving_agency", "concern_arose_on", "themes",
  "stage1_on", "stage2_on", "stage3_on", "stage4_on", "stage5_on", "stage6_on", "status", "closed_on", "learning_disseminated_on",
] as const;

/** One escalation raised by POL with HLT: its partnership, concern date, stage dates (1, 2, …), and how it stands. */
function row(partnership: string, ref: string, arose: string, stages: string[], status: "open" | "resolved" | "withdrawn" = "open", closed = "", learning = ""): string {
  const dates = Array.from({ length: 6 }, (_, i) => stages[i] ?? "");
  return csvLine([partnership, ref, "POL", "HLT", arose, "thresholds", ...dates, status, closed, learning]);
}

const ESCALATIONS =
  csvLine([...COLUMNS]) +
  [
    // revised — version A (concern before 10 November 2025) or B (from it).
    row("revised", "R1", "2025-11-03", ["2025-11-10", "2025-11-17", "2025-11-25"], "resolved", "2025-11-25"), // A
    row("revised", "R2", "2025-11-07", ["2025-11-11"]), // A, open
    row("revised", "R3", "2025-11-09", ["2025-11-14"], "resolved", "2025-11-14"), // A: the last day before B
    row("revised", "R4", "2025-11-10", ["2025-11-12", "2025-11-14", "2025-11-28", "2025-12-02"], "resolved", "2025-12-02"), // B: its first day
    row("revised", "R5", "2025-12-01", ["2025-12-04", "2025-12-08", "2025-12-23"]), // B, open
    row("revised", "R6", "2025-10-01", ["2025-10-08", "2025-10-15"], "resolved", "2025-10-15"), // A
    row("revised", "R7", "2025-09-26", ["2025-10-02"]), // A, raised in Q3, open
    row("revised", "R8", "2025-11-03", ["2025-11-03", "2025-11-04", "2025-11-05"]), // A, open after A's final stage
    // calendar
    row("calendar", "C1", "2025-12-23", ["2025-12-26"], "resolved", "2025-12-26"),
    row("calendar", "C2", "2025-12-23", ["2025-12-27"], "resolved", "2025-12-27"),
    row("calendar", "C3", "2025-12-19", ["2025-12-22", "2025-12-29"], "resolved", "2025-12-29"),
    row("calendar", "C4", "2025-12-22", ["2025-12-24", "2025-12-29"], "resolved", "2025-12-29"),
    row("calendar", "C5", "2025-12-27", []),
    row("calendar", "C6", "2025-12-28", []),
    row("calendar", "C7", "2025-12-23", ["2025-12-24"]),
    row("calendar", "C8", "2025-12-26", ["2025-12-29"]),
    // six — the six-step version (concern before 2 February 2026) or the three-stage one.
    row("six", "S1", "2025-12-01", ["2025-12-02", "2025-12-03", "2025-12-04", "2025-12-05", "2025-12-08"]),
    row("six", "S2", "2025-12-15", ["2025-12-16", "2025-12-17", "2025-12-18", "2025-12-19", "2025-12-22"]),
    row("six", "S3", "2025-12-01", ["2025-12-02", "2025-12-03", "2025-12-04", "2025-12-05", "2025-12-08", "2025-12-09"]),
    row("six", "S4", "2025-12-01", ["2025-12-02", "2025-12-03", "2025-12-04", "2025-12-05", "2025-12-08", "2025-12-22"], "resolved", "2025-12-22"),
    row("six", "S5", "2025-12-01", ["2025-12-02", "2025-12-03", "2025-12-04", "2025-12-05", "2025-12-08", "2025-12-23"], "resolved", "2025-12-23"),
    row("six", "S6", "2025-12-01", ["2025-12-02", "2025-12-03"]),
    row("six", "S7", "2025-12-01", ["2025-12-02"], "withdrawn", "2025-12-03"),
    row("six", "S8", "2026-01-05", ["2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09", "2026-01-12", "2026-01-19"], "resolved", "2026-01-19"),
    row("six", "S9", "2026-02-02", ["2026-02-06"], "resolved", "2026-02-06"),
    // iro — without a total limit before 3 November 2025, with one (20 working days) from it.
    row("iro", "T1", "2025-11-03", ["2025-11-10", "2025-11-24"], "resolved", "2025-12-01"),
    row("iro", "T2", "2025-11-03", [], "withdrawn", "2025-12-02"),
    row("iro", "T3", "2025-10-31", [], "resolved", "2025-12-12"),
    row("iro", "T4", "2025-11-05", [], "resolved", "2025-11-12"),
    row("iro", "T5", "2025-12-01", ["2025-12-05"]),
    row("iro", "T6", "2025-11-28", ["2025-12-01", "2025-12-15"]),
    row("iro", "T7", "2025-10-06", []),
    // learning — within two calendar months of closure.
    row("learning", "L1", "2025-10-06", ["2025-10-07", "2025-10-15"], "resolved", "2025-10-15", "2025-12-15"),
    row("learning", "L2", "2025-10-06", ["2025-10-07", "2025-10-15"], "resolved", "2025-10-15", "2025-12-16"),
    row("learning", "L3", "2025-12-22", ["2025-12-23", "2025-12-31"], "resolved", "2025-12-31", "2026-02-28"),
    row("learning", "L4", "2025-12-22", ["2025-12-23", "2025-12-31"], "resolved", "2025-12-31", "2026-03-01"),
    row("learning", "L5", "2025-10-06", ["2025-10-07"], "resolved", "2025-10-08", "2025-10-20"),
    row("learning", "L6", "2025-10-06", ["2025-10-07", "2025-10-15"], "resolved", "2025-10-15"),
    row("learning", "L7", "2027-12-20", ["2027-12-21", "2027-12-31"], "resolved", "2027-12-31", "2028-02-29"),
    row("learning", "L8", "2027-12-20", ["2027-12-21", "2027-12-31"], "resolved", "2027-12-31", "2028-03-01"),
  ].join("");

/** The reference data and the escalations, as a partnership loads them. */
async function loadWorld(db: Db): Promise<void> {
  await loadReferenceData(db, parseReferenceData(REFERENCE), "test");
  // Uploaded after the last date in it (the leap-year rows reach March 2028).
  const result = await importText(db, ESCALATIONS, { kind: "escalations", agency: "POL", uploadDate: "2028-06-01" });
  if (result.outcome !== "loaded" || result.counts.rejected > 0) throw new Error(`test data was not loaded cleanly: ${JSON.stringify(result)}`);
}

beforeAll(async () => {
  await loadWorld(ctx.db);
});

const report = (partnerships: string[], quarter: string, asOf: string): Promise<BoardReport> => getBoardReport(ctx.db, { partnerships, quarter, asOf });

describe("a version change mid-quarter (revised, 2025-Q4 as of 31 December 2025)", () => {
  let q4: BoardReport;
  beforeAll(async () => {
    q4 = await report(["revised"], "2025-Q4", "2025-12-31");
  });

  it("gives stage reached with keys 1..4, each escalation at a stage of its own version", () => {
    // N: versions in force on a day of Q4 are A (to 9 Nov, 3 stages) and B (from 10 Nov, 4 stages): 4.
    // Raised 1 Oct – 31 Dec: R1 R2 R3 R4 R5 R6 R8 (R7 arose 26 Sep).
    //   Closed: highest stage dated: R1 3, R3 1, R4 4, R6 2.
    //   Open: highest dated + 1, at most its own version's stages: R2 1+1 = 2; R5 (B) 3+1 = 4; R8 (A, 3 stages) min(3+1, 3) = 3.
    // 1: R3; 2: R2 R6; 3: R1 R8; 4: R4 R5.
    expect(q4.escalations.stageReached).toEqual({ "1": 1, "2": 2, "3": 2, "4": 2 });
    expect(q4.escalations).toMatchObject({ raised: 7, closed: 4, resolved: 4 });
  });

  it("judges each stage completion by its escalation's own version, shows the limits of the version in force on 31 December, and marks where limits vary", () => {
    // Stage 1 (clock from the concern), A = 5 working days, B = 2:
    //   R1 (A) 3→10 Nov = Tue 4 … Fri 7, Mon 10 = 5 ✓ (B's 2 would make it late); R2 (A) 7→11 Nov = Mon 10, Tue 11 = 2 ✓;
    //   R3 (A, concern Sun 9 Nov) 9→14 Nov = Mon 10 … Fri 14 = 5 ✓; R4 (B) 10→12 Nov = 2 ✓; R5 (B) 1→4 Dec = 3 ✗;
    //   R6 (A) 1→8 Oct = Thu 2, Fri 3, Mon 6, Tue 7, Wed 8 = 5 ✓; R7 (A, raised in Q3) 26 Sep→2 Oct = 29, 30, 1, 2 = 4 ✓;
    //   R8 (A) same day = 0 ✓. 8 completed, 7 within. Shown: B's 2 working days; A's completions judged by 5: limitsVary.
    // Stage 2 (clock from stage 1): R1 (A) 10→17 Nov = 5 ✓; R4 (B) 12→14 Nov = 2 ✓; R5 (B) Thu 4→Mon 8 Dec = Fri 5, Mon 8 = 2 ✓;
    //   R6 (A) 8→15 Oct = 5 ✓; R8 (A) 1 ✓. 5 completed, 5 within; shown B's 2 working days; A's among them: limitsVary.
    // Stage 3: R1 (A) 17→25 Nov = 18, 19, 20, 21, 24, 25 = 6 > 5 ✗ (8 calendar days: B's 14 would pass it);
    //   R4 (B) 14→28 Nov = 14 calendar days ✓ (exactly the limit); R5 (B) 8→23 Dec = 15 calendar days ✗ (only 11 working days);
    //   R8 (A) 4→5 Nov = 1 ✓. 4 completed, 2 within; shown B's 14 calendar days; R1 and R8 were judged by 5 working: limitsVary.
    // Stage 4 (only B has it): R4 28 Nov→2 Dec = Mon 1, Tue 2 = 2 ✓. 1, 1; shown 2 working days; no other limit counted.
    expect(q4.escalations.timescale).toStrictEqual([
      { stage: 1, limitWorkingDays: 2, completed: 8, withinLimit: 7, limitsVary: true },
      { stage: 2, limitWorkingDays: 2, completed: 5, withinLimit: 5, limitsVary: true },
      { stage: 3, limitCalendarDays: 14, completed: 4, withinLimit: 2, limitsVary: true },
      { stage: 4, limitWorkingDays: 2, completed: 1, withinLimit: 1 },
    ]);
  });

  it("counts overdue and unresolved-after-the-final-stage by each escalation's own version", () => {
    // Open at 31 Dec: R2 (A: stage 2 from 11 Nov, far over 5), R5 (B: stage 4 from Tue 23 Dec = Wed 24, Mon 29, Tue 30,
    // Wed 31 = 4 > 2), R7 (A: stage 2 from 2 Oct, far over 5), R8 (A: its third and last stage dated: unresolved, not
    // overdue; under B it would be at stage 4 and overdue). Overdue 3; unresolved 1.
    expect(q4.escalations).toMatchObject({ overdueAtAsOf: 3, unresolvedAfterFinalStage: 1, totalLimit: null });
  });

  it("lists only version A's three stages for a quarter before the change", async () => {
    // 2025-Q3: only A is in force: N = 3, limits A's 5 working days. Raised: R7 (26 Sep), open at 30 Sep with nothing dated
    // then (its stage 1 is on 2 Oct): stage 1. No stage dated in Q3.
    const q3 = await report(["revised"], "2025-Q3", "2025-09-30");
    expect(q3.escalations.stageReached).toEqual({ "1": 1, "2": 0, "3": 0 });
    expect(q3.escalations.timescale).toStrictEqual([
      { stage: 1, limitWorkingDays: 5, completed: 0, withinLimit: 0 },
      { stage: 2, limitWorkingDays: 5, completed: 0, withinLimit: 0 },
      { stage: 3, limitWorkingDays: 5, completed: 0, withinLimit: 0 },
    ]);
  });
});

describe("versions changing on a quarter's first and last days (boundary)", () => {
  it("counts a version in the quarters it is in force on a day of, and shows the limits of the one in force on the last day", async () => {
    const stages = async (quarter: string, asOf: string) => {
      const e = (await report(["boundary"], quarter, asOf)).escalations;
      return [Object.keys(e.stageReached).join(","), e.timescale.map((t) => t.limitWorkingDays ?? `${t.limitCalendarDays} calendar`).join(",")];
    };
    // 2025-Q3: only the five-stage version (to 30 Sep): 5 stages of 2 working days.
    expect(await stages("2025-Q3", "2025-09-30")).toEqual(["1,2,3,4,5", "2,2,2,2,2"]);
    // 2025-Q4: the two-stage version (1–30 Dec) and the four-stage one (31 Dec); the five-stage one ended the day before
    // the quarter. N = 4; on 31 Dec the four-stage version's 7 calendar days.
    expect(await stages("2025-Q4", "2025-12-31")).toEqual(["1,2,3,4", "7 calendar,7 calendar,7 calendar,7 calendar"]);
    // 2026-Q1: the four-stage version alone.
    expect(await stages("2026-Q1", "2026-03-31")).toEqual(["1,2,3,4", "7 calendar,7 calendar,7 calendar,7 calendar"]);
  });
});

describe("a calendar-day stage (calendar, 2025-Q4 as of 31 December 2025)", () => {
  let q4: BoardReport;
  beforeAll(async () => {
    q4 = await report(["calendar"], "2025-Q4", "2025-12-31");
  });

  it("judges a calendar-day stage in calendar days across the weekend and bank holidays, and a working-day one in working days", () => {
    // Stage 1, 3 calendar days from the concern:
    //   C1 Tue 23 → Fri 26 Dec = 3 ✓ (exactly the limit); C2 Tue 23 → Sat 27 = 4 ✗ (one over: in working days only Wed 24 = 1);
    //   C3 Fri 19 → Mon 22 = 3 ✓ (over the weekend); C4 Mon 22 → Wed 24 = 2 ✓; C7 Tue 23 → Wed 24 = 1 ✓;
    //   C8 Fri 26 → Mon 29 = 3 ✓. 6 completed, 5 within.
    // Stage 2, 2 working days from stage 1: C3 Mon 22 → Mon 29 = Tue 23, Wed 24, Mon 29 = 3 ✗;
    //   C4 Wed 24 → Mon 29 = Mon 29 = 1 ✓ (5 calendar days). 2 completed, 1 within.
    expect(q4.escalations.timescale).toStrictEqual([
      { stage: 1, limitCalendarDays: 3, completed: 6, withinLimit: 5 },
      { stage: 2, limitWorkingDays: 2, completed: 2, withinLimit: 1 },
    ]);
  });

  it("counts overdue at A in the running stage's own unit", () => {
    // Open at Wed 31 Dec: C5 (concern Sat 27, stage 1 running: 31 − 27 = 4 calendar days > 3: overdue; in working days
    // Mon 29, Tue 30, Wed 31 = 3, not over); C6 (concern Sun 28: 3 calendar days, exactly the limit: not overdue);
    // C7 (stage 2 from Wed 24: Mon 29, Tue 30, Wed 31 = 3 working days > 2: overdue); C8 (stage 2 from Mon 29: Tue 30,
    // Wed 31 = 2, not over). Overdue 2: C5 and C7.
    expect(q4.escalations.overdueAtAsOf).toBe(2);
    // Raised in Q4: all eight. Closed: C1 C2 at stage 1, C3 C4 at stage 2; open: C5 C6 at 0+1 = 1, C7 C8 at 1+1 = 2.
    expect(q4.escalations.stageReached).toEqual({ "1": 4, "2": 4 });
    expect(q4.escalations.totalLimit).toBeNull();
  });

  it("lists the same overdue escalations, each in its stage's unit", async () => {
    const { getOverdueEscalations } = await import("../server/metrics/operational");
    const overdue = await getOverdueEscalations(ctx.db, { partnerships: ["calendar"], asOf: "2025-12-31" });
    // Both 1 over (see above), so the earlier concern first: C7 (23 Dec) at stage 2, 3 working days of 2; C5 (27 Dec) at
    // stage 1, 4 calendar days of 3.
    expect(overdue.map((o) => [o.recordRef, o.currentStage, o.clockStartedOn, o.limitUnit, o.workingDaysElapsed, o.workingDaysOver])).toEqual([
      ["C7", 2, "2025-12-24", "working", 3, 1],
      ["C5", 1, "2025-12-27", "calendar", 4, 1],
    ]);
  });

  it("shows the same states on the record's own page", async () => {
    const { getEscalationRecord } = await import("../server/records/escalationRecords");
    const idOf = async (ref: string) => (await queryRows<{ id: number }>(ctx.db, sql`select id::int from escalations where record_ref = ${ref}`))[0]!.id;
    const stages = async (ref: string) =>
      (await getEscalationRecord(ctx.db, { partnership: "calendar", id: await idOf(ref), asOf: "2025-12-31" })).stages.map((s) => [s.number, s.state, s.limitUnit, s.workingDays]);
    // The days each stage took, in its own unit (see above).
    expect(await stages("C1")).toEqual([[1, "within", "calendar", 3], [2, "not_reached", "working", null]]);
    expect(await stages("C2")).toEqual([[1, "late", "calendar", 4], [2, "not_reached", "working", null]]);
    expect(await stages("C5")).toEqual([[1, "overdue", "calendar", 4], [2, "not_reached", "working", null]]);
    expect(await stages("C6")).toEqual([[1, "running", "calendar", 3], [2, "not_reached", "working", null]]);
  });
});

describe("a six-step version (six)", () => {
  it("puts an open escalation with step 5 dated at step 6, overdue by step 6's limit, and one with step 6 dated unresolved", async () => {
    const q4 = await report(["six"], "2025-Q4", "2025-12-31");
    // Raised in Q4: S1–S7 (all 1–15 Dec). S1, S2 open with step 5 dated: 5 + 1 = 6 (not capped at five). S3 open with step 6
    // dated: 6. S4, S5 closed with step 6 dated: 6. S6 open with step 2 dated: 3. S7 withdrawn with step 1 dated: 1.
    expect(q4.escalations.stageReached).toEqual({ "1": 1, "2": 0, "3": 1, "4": 0, "5": 0, "6": 5 });
    // Open at Wed 31 Dec: S1 at step 6, clock from Mon 8 Dec: 23 calendar days > 14: overdue. S2 at step 6, clock from
    // Mon 22 Dec: 9 calendar days ≤ 14: not overdue (in working days Tue 23, Wed 24, Mon 29, Tue 30, Wed 31 = 5: step 5's
    // limit of 2 would make it overdue). S3: step 6, the last, dated: unresolved after the final step, not overdue.
    // S6 at step 3, clock from Wed 3 Dec: Thu 4, Fri 5, 8–12, 15–19, 22–24, 29–31 Dec = 2 + 5 + 5 + 3 + 3 = 18 > 2: overdue.
    // S1 and S2 are not unresolved after the final step (step 6 is still to come).
    expect(q4.escalations).toMatchObject({ overdueAtAsOf: 2, unresolvedAfterFinalStage: 1 });
    // Steps 1–5, each 2 working days: S1–S5 complete each a working day after the one before (Fri 5 → Mon 8 Dec = 1):
    // 5 completions, 5 within, per step; S6 adds steps 1 (Mon 1 → Tue 2 = 1 ✓) and 2 (1 ✓), S7 step 1 (1 ✓).
    // Step 6, 14 calendar days from step 5 (Mon 8 Dec): S3 Tue 9 = 1 ✓; S4 Mon 22 = 14 ✓ (exactly); S5 Tue 23 = 15 ✗: 3, 2.
    expect(q4.escalations.timescale).toStrictEqual([
      { stage: 1, limitWorkingDays: 2, completed: 7, withinLimit: 7 },
      { stage: 2, limitWorkingDays: 2, completed: 6, withinLimit: 6 },
      { stage: 3, limitWorkingDays: 2, completed: 5, withinLimit: 5 },
      { stage: 4, limitWorkingDays: 2, completed: 5, withinLimit: 5 },
      { stage: 5, limitWorkingDays: 2, completed: 5, withinLimit: 5 },
      { stage: 6, limitCalendarDays: 14, completed: 3, withinLimit: 2 },
    ]);
    // The overdue list: S6 at step 3, 18 working days of 2 (16 over); S1 at step 6, 23 calendar days of 14 (9 over).
    const { getOverdueEscalations } = await import("../server/metrics/operational");
    const overdue = await getOverdueEscalations(ctx.db, { partnerships: ["six"], asOf: "2025-12-31" });
    expect(overdue.map((o) => [o.recordRef, o.currentStage, o.stageName, o.limitUnit, o.workingDaysElapsed, o.workingDaysOver])).toEqual([
      ["S6", 3, "Service managers", "working", 18, 16],
      ["S1", 6, "Independent review", "calendar", 23, 9],
    ]);
  });

  it("in the quarter the three-stage version takes over, lists six stages, leaving out the limits the new version lacks", async () => {
    const q1 = await report(["six"], "2026-Q1", "2026-03-31");
    // N: the six-step version (to 1 Feb) and the three-stage one (from 2 Feb) are both in force in Q1: 6. Shown: the
    // three-stage version's (in force on 31 Mar) 5 working days for stages 1–3, none for 4–6.
    // S8 (six-step, concern Mon 5 Jan): every step a working day after the one before (Fri 9 → Mon 12 = 1) ✓ against 2;
    // step 6 Mon 12 → Mon 19 Jan = 7 calendar days ✓ against 14. S9 (three-stage, concern Mon 2 Feb): stage 1 Fri 6 Feb = 4 ✓
    // against 5. Every stage counts one of S8's completions, judged against a limit other than the one shown (or none): limitsVary.
    expect(q1.escalations.timescale).toStrictEqual([
      { stage: 1, limitWorkingDays: 5, completed: 2, withinLimit: 2, limitsVary: true },
      { stage: 2, limitWorkingDays: 5, completed: 1, withinLimit: 1, limitsVary: true },
      { stage: 3, limitWorkingDays: 5, completed: 1, withinLimit: 1, limitsVary: true },
      { stage: 4, completed: 1, withinLimit: 1, limitsVary: true },
      { stage: 5, completed: 1, withinLimit: 1, limitsVary: true },
      { stage: 6, completed: 1, withinLimit: 1, limitsVary: true },
    ]);
    // Raised in Q1: S8 (closed at step 6) and S9 (closed at stage 1).
    expect(q1.escalations.stageReached).toEqual({ "1": 1, "2": 0, "3": 0, "4": 0, "5": 0, "6": 1 });
    // Still judged by the six-step version at 31 Mar: S1 (step 6 from 8 Dec) and S2 (step 6 from 22 Dec: 99 calendar days)
    // overdue, S6 (step 3 from 3 Dec) overdue; S3 unresolved after step 6.
    expect(q1.escalations).toMatchObject({ overdueAtAsOf: 3, unresolvedAfterFinalStage: 1 });
    // The trend, as things stood at each quarter's end: 31 Dec 2025 as in the Q4 report above (S1, S6 overdue; S3
    // unresolved); 31 Mar 2026 as here.
    const { getTrends } = await import("../server/metrics/operational");
    const trend = await getTrends(ctx.db, { partnerships: ["six"], quarters: 2, to: "2026-Q1", asOf: "2026-03-31" });
    expect(trend.map((t) => [t.quarter, t.overdueAtQuarterEnd, t.unresolvedAfterFinalStageAtQuarterEnd])).toEqual([["2025-Q4", 2, 1], ["2026-Q1", 3, 1]]);
  });

  it("lists the three stages alone once only the three-stage version is in force", async () => {
    // 2026-Q2: N = 3, nothing raised or dated.
    const q2 = await report(["six"], "2026-Q2", "2026-06-30");
    expect(q2.escalations.stageReached).toEqual({ "1": 0, "2": 0, "3": 0 });
    expect(q2.escalations.timescale).toStrictEqual([1, 2, 3].map((stage) => ({ stage, limitWorkingDays: 5, completed: 0, withinLimit: 0 })));
  });
});

describe("a total limit (iro, 20 working days from 3 November 2025)", () => {
  it("counts closures within and beyond it, and escalations open past it at A, under versions with a total limit only", async () => {
    const q4 = await report(["iro"], "2025-Q4", "2025-12-31");
    // Working days from Mon 3 Nov: Tue 4 – Fri 7 = 4, to Fri 14 = 9, Fri 21 = 14, Fri 28 = 19, Mon 1 Dec = 20, Tue 2 Dec = 21.
    // Closed in Q4 under the 2025 version: T1 (3 Nov → 1 Dec = 20 ≤ 20 ✓, exactly the limit), T2 (withdrawn 2 Dec = 21 ✗:
    // withdrawn closures count too), T4 (Wed 5 → Wed 12 Nov = 5 ✓). T3 (concern Fri 31 Oct, the 2024 version without a total
    // limit) is not counted. closed 3, within 2.
    // Open at Wed 31 Dec: December's working days after Mon 1 are 2–5, 8–12, 15–19, 22–24, 29–31 = 4 + 5 + 5 + 3 + 3 = 20.
    // T5 (1 Dec → 31 Dec = 20: not over); T6 (Fri 28 Nov → 31 Dec = 21 > 20: over, though its last stage is dated);
    // T7 (concern 6 Oct, the 2024 version: no total limit, not counted). overdueAtAsOf 1.
    // limitWorkingDays: the version in force on 31 Dec sets 20.
    expect(q4.escalations.totalLimit).toEqual({ limitWorkingDays: 20, closed: 3, withinLimit: 2, overdueAtAsOf: 1 });
    // Stage overdue at 31 Dec: T5 at stage 2 from Fri 5 Dec: 8–12, 15–19, 22–24, 29–31 = 16 > 10; T7 at stage 1 from 6 Oct,
    // far over 5. T6's last stage is dated: unresolved after it.
    expect(q4.escalations).toMatchObject({ overdueAtAsOf: 2, unresolvedAfterFinalStage: 1 });
  });

  it("shows no limit for a quarter whose last-day version has none, and null for a partnership without one in any version", async () => {
    // 2025-Q3: the 2024 version (no total limit) is in force on 30 Sep, but a later one sets one: the figures are given, with
    // no limit. Nothing closed in Q3; at 31 Dec T6 is past 20 (above).
    expect((await report(["iro"], "2025-Q3", "2025-12-31")).escalations.totalLimit).toEqual({ limitWorkingDays: null, closed: 0, withinLimit: 0, overdueAtAsOf: 1 });
    expect((await report(["learning"], "2025-Q4", "2025-12-31")).escalations.totalLimit).toBeNull();
  });
});

describe("learning within two calendar months (learning)", () => {
  it("counts learning shared up to two calendar months after closure, the month-end rule included", async () => {
    // Resolved in Q4 at the last stage (2): L1, L2 (closed 15 Oct), L3, L4 (closed 31 Dec), L6 (15 Oct, no learning) = 5.
    // L5 was resolved at stage 1: not the last stage, not counted.
    // L1 learning 15 Dec = 15 Oct + 2 months ✓ (one month would have been late); L2 16 Dec, a day later ✗;
    // L3 28 Feb 2026 = 31 Dec + 2 months (February has no 31st) ✓; L4 1 Mar ✗; L6 none ✗. 2 of 5 = 40.0.
    expect((await report(["learning"], "2025-Q4", "2026-03-31")).escalations.learningWithinOneMonthPct).toBe(40);
    // As of Fri 27 Feb 2026 L3's learning (28 Feb) has not happened yet: 1 of 5 = 20.0.
    expect((await report(["learning"], "2025-Q4", "2026-02-27")).escalations.learningWithinOneMonthPct).toBe(20);
  });

  it("takes 29 February in a leap year", async () => {
    // L7, L8 closed Fri 31 Dec 2027 at stage 2: 31 Dec + 2 months = 29 Feb 2028. L7 learning 29 Feb ✓; L8 1 Mar ✗: 50.0.
    expect((await report(["learning"], "2027-Q4", "2028-03-31")).escalations.learningWithinOneMonthPct).toBe(50);
  });
});

describe("two partnerships reported together (revised and calendar, 2025-Q4 as of 31 December 2025)", () => {
  it("shows a limit only where both partnerships' last-day versions set the same, and limitsVary where completions counted", async () => {
    const both = await report(["revised", "calendar"], "2025-Q4", "2025-12-31");
    // N = max(4, 2) = 4. Stage reached: revised {1: 1, 2: 2, 3: 2, 4: 2} + calendar {1: 4, 2: 4}.
    expect(both.escalations.stageReached).toEqual({ "1": 5, "2": 6, "3": 2, "4": 2 });
    // On 31 Dec: stage 1 is 2 working days in revised, 3 calendar days in calendar: no limit shown; completions 8 + 6 = 14,
    // within 7 + 5 = 12, limitsVary. Stage 2: 2 working days in both: shown; 5 + 2 = 7, 5 + 1 = 6; revised's version-A
    // completions were judged by 5: limitsVary. Stage 3: 14 calendar days in revised, none in calendar: no limit; 4, 2,
    // limitsVary. Stage 4: likewise none shown; 1, 1, limitsVary.
    expect(both.escalations.timescale).toStrictEqual([
      { stage: 1, completed: 14, withinLimit: 12, limitsVary: true },
      { stage: 2, limitWorkingDays: 2, completed: 7, withinLimit: 6, limitsVary: true },
      { stage: 3, completed: 4, withinLimit: 2, limitsVary: true },
      { stage: 4, completed: 1, withinLimit: 1, limitsVary: true },
    ]);
    // Overdue 3 (revised) + 2 (calendar); unresolved 1 (R8); neither has a total limit.
    expect(both.escalations).toMatchObject({ overdueAtAsOf: 5, unresolvedAfterFinalStage: 1, totalLimit: null });
  });

  it("leaves limitsVary out where no completion counted", async () => {
    // 2025-Q3: revised's version A (3 × 5 working days) and calendar's (3 calendar, 2 working) differ at every stage, and
    // none has a stage dated in Q3: no limit, no limitsVary.
    const q3 = await report(["revised", "calendar"], "2025-Q3", "2025-09-30");
    expect(q3.escalations.timescale).toStrictEqual([1, 2, 3].map((stage) => ({ stage, completed: 0, withinLimit: 0 })));
  });

  it("shows the total limit's figures without a limit when the partnerships differ", async () => {
    // iro sets 20 on 31 Dec, calendar none: no limit shown; the figures are iro's (calendar has no total limit).
    const both = await report(["iro", "calendar"], "2025-Q4", "2025-12-31");
    expect(both.escalations.totalLimit).toEqual({ limitWorkingDays: null, closed: 3, withinLimit: 2, overdueAtAsOf: 1 });
  });
});

describe("npm run cli -- report board --format json", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ew-versions-cli-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("prints the same JSON as the board report", async () => {
    const env = { ...process.env };
    if (ctx.databaseUrl) env.DATABASE_URL = ctx.databaseUrl;
    else {
      // The embedded database of the command line is a data folder: the same world is loaded into one first.
      delete env.DATABASE_URL;
      env.DATA_DIR = path.join(scratch, "data");
      const warehouse = await openWarehouse({ dataDir: env.DATA_DIR });
      try {
        await loadWorld(warehouse.db);
      } finally {
        await warehouse.close();
      }
    }
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "scripts/cli.ts", "report", "board", "--partnership", "revised", "--quarter", "2025-Q4", "--as-of", "2025-12-31", "--format", "json"],
      { env },
    );
    const printed = JSON.parse(stdout) as BoardReport;
    expect(printed).toEqual(JSON.parse(JSON.stringify(await report(["revised"], "2025-Q4", "2025-12-31"))));
    expect(printed.escalations.timescale[2]).toEqual({ stage: 3, limitCalendarDays: 14, completed: 4, withinLimit: 2, limitsVary: true });
    // On the embedded database this migrates and loads a data folder, then starts the command line: longer than most tests.
  }, 180_000);
});
