/**
 * The evidence checks a self-assessment return faces (issue 18), each at its edge, worked by hand.
 * Three partnerships on one procedure of a single stage of 2 working days; period 2025-Q4, so E is
 * 31 December 2025. Every escalation arises on Monday 6 October 2025: a stage dated Wednesday 8th
 * took 2 working days (within), Thursday 9th took 3 (late). Agency AAA is the one under test.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { corroboration, getEvidenceChecks } from "../server/metrics/evidenceChecks";
import { loadReferenceData, parseReferenceData } from "../server/reference/config";
import { useTestWarehouse } from "./support/db";
import { escalationRow, loadEscalations } from "./support/records";

const ctx = useTestWarehouse();

const WORLD = {
  procedures: [{ code: "one", name: "One stage", stages: [{ number: 1, name: "Practitioners", limitWorkingDays: 2 }] }],
  partnerships: ["east", "west", "third"].map((code) => ({ code, name: `${code} partnership`, procedure: "one" })),
  agencies: [
    { code: "AAA", name: "Agency A", sector: "health", partnerships: ["east", "west", "third"] },
    { code: "BBB", name: "Agency B", sector: "police", partnerships: ["east", "west", "third"] },
    { code: "CCC", name: "Agency C", sector: "social_care", partnerships: ["east", "west", "third"] },
    { code: "DDD", name: "Agency D", sector: "education", partnerships: ["east"] },
  ],
};

/** `n` closed escalations in a partnership, `within` of them with stage 1 inside its limit. */
const closedRows = (prefix: string, partnership: string, raising: string, receiving: string, n: number, within: number) =>
  Array.from({ length: n }, (_, i) => {
    const on = i < within ? "2025-10-08" : "2025-10-09";
    return escalationRow({ record_ref: `${prefix}${i + 1}`, partnership, raising_agency: raising, receiving_agency: receiving, concern_arose_on: "2025-10-06", stage1_on: on, status: "resolved", closed_on: on });
  });

async function uploadedIn(batchId: number | null, day: string) {
  await ctx.db.execute(sql`update import_batches set uploaded_at = ${`${day} 12:00:00+00`}::timestamptz where id = ${batchId}`);
}

beforeAll(async () => {
  await loadReferenceData(ctx.db, parseReferenceData(WORLD), "test");
  // east: AAA raises 10 (7 within), uploaded by AAA in two files, in October and in December (none in November).
  const rows = closedRows("EA", "east", "AAA", "BBB", 10, 7);
  await uploadedIn((await loadEscalations(ctx.db, "AAA", rows.slice(0, 5))).batchId, "2025-10-15");
  await uploadedIn((await loadEscalations(ctx.db, "AAA", rows.slice(5))).batchId, "2025-12-10");
  await loadEscalations(ctx.db, "BBB", [
    // east: 5 more completions, all within; one received by AAA, open, raised 1 December with no stage dated.
    ...closedRows("EB", "east", "BBB", "CCC", 5, 5),
    escalationRow({ record_ref: "EO", partnership: "east", raising_agency: "BBB", receiving_agency: "AAA", concern_arose_on: "2025-12-01" }),
    // west: AAA raises 11 (1 within); 10 others (3 within); one received by AAA raised 30 December, open.
    ...closedRows("WA", "west", "AAA", "BBB", 11, 1),
    ...closedRows("WB", "west", "BBB", "CCC", 10, 3),
    escalationRow({ record_ref: "WO", partnership: "west", raising_agency: "BBB", receiving_agency: "AAA", concern_arose_on: "2025-12-30" }),
    // third: AAA raises 9 (none within); 5 others, all within.
    ...closedRows("TA", "third", "AAA", "BBB", 9, 0),
    ...closedRows("TB", "third", "BBB", "CCC", 5, 5),
  ]);
});

const period = { from: "2025-Q4", to: "2025-Q4" };

describe("evidence checks", () => {
  it("flags a within-limit share exactly 10.0 points below the partnership's, received overdue, and a month with no upload", async () => {
    const east = await getEvidenceChecks(ctx.db, { agency: "AAA", partnerships: ["east"], ...period });
    // Raised: EA1–EA10 = 10; received: EO = 1.
    expect([east.raised, east.received]).toEqual([10, 1]);
    // EO at 31 December: stage 1 running since 1 December, wd = Dec 2–5, 8–12, 15–19, 22–24, 29–31 = 22 > 2: overdue.
    // AAA's completions: 10, 7 within = 70.0%. East's: 15, 7 + 5 = 12 within = 80.0%. 80.0 − 70.0 = 10.0 points, with 10 completions.
    // AAA uploaded escalations in October and December: November is missing.
    expect(east.checks).toEqual([
      { check: "received_overdue", count: 1 },
      { check: "timescale_below_partnership", agencyWithinLimitPct: 70, partnershipWithinLimitPct: 80, agencyCompletions: 10 },
      { check: "missing_upload_months", months: ["2025-11"] },
    ]);
  });

  it("does not flag 9.9 points below, nor an open escalation still within its limit", async () => {
    const west = await getEvidenceChecks(ctx.db, { agency: "AAA", partnerships: ["west"], ...period });
    // AAA: 1 of 11 = 9.09… → 9.1%. West: 1 + 3 = 4 of 21 = 19.04… → 19.0%. 19.0 − 9.1 = 9.9 points: not flagged.
    expect(west.completions).toEqual({ agency: { completed: 11, withinLimit: 1, pct: 9.1 }, partnership: { completed: 21, withinLimit: 4, pct: 19 } });
    // WO at 31 December: wd(30 Dec, 31 Dec) = 1 ≤ 2: not overdue, so received_overdue is not listed.
    expect(west.receivedOverdueAtEnd).toBe(0);
    expect(west.checks.map((c) => c.check)).toEqual(["missing_upload_months"]);
  });

  it("needs at least 10 completions before comparing timescales", async () => {
    const third = await getEvidenceChecks(ctx.db, { agency: "AAA", partnerships: ["third"], ...period });
    // AAA: 0 of 9 = 0.0%; third: 5 of 14 = 35.7%: 35.7 points below, but only 9 completions.
    expect(third.completions.agency).toEqual({ completed: 9, withinLimit: 0, pct: 0 });
    expect(third.completions.partnership.pct).toBe(35.7);
    expect(third.checks.map((c) => c.check)).toEqual(["missing_upload_months"]);
  });

  it("flags an agency that raised and received nothing, and every month it did not upload", async () => {
    const quiet = await getEvidenceChecks(ctx.db, { agency: "DDD", ...period });
    // DDD belongs to east only (the default partnerships); no escalation names it; it never uploaded.
    expect(quiet.partnerships).toEqual(["east"]);
    expect(quiet.checks).toEqual([
      { check: "no_escalation_activity", raised: 0, received: 0 },
      { check: "missing_upload_months", months: ["2025-10", "2025-11", "2025-12"] },
    ]);
  });

  it("gives the corroboration verdict of the escalation standard", async () => {
    const east = await getEvidenceChecks(ctx.db, { agency: "AAA", partnerships: ["east"], ...period });
    expect(corroboration(true, east.checks)).toBe("contradicted");
    expect(corroboration(true, [])).toBe("supported");
    expect(corroboration(false, east.checks)).toBe("consistent");
    expect(corroboration(false, [])).toBe("consistent");
  });
});
