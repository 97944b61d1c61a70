/**
 * What the procedure versions decide, where people read it: a record's page names the version that
 * judged it and shows each stage against its limit in the stage's unit; the escalations page lists
 * the versions in force over the period shown and marks the stages whose limits vary; the overdue
 * download names each limit's unit; the board document prints limits with their units, "varies"
 * with its footnote, and the total limit's figures; an issued report shown after a revision lists
 * the versions revised beside the figures that changed.
 *
 * The world: partnership "vers", whose procedure changed on Monday 17 November 2025 (mid Q4 2025):
 *   "Procedure (2019)" (first version): 1 Practitioners 2 wd; 2 Managers 2 wd; 3 Partnership 2 wd; no total limit.
 *   "Procedure (2025)" from 2025-11-17: 1 Practitioners 2 wd; 2 Managers 14 calendar days; 3 Panel 5 wd;
 *     4 Independent chair 5 wd; a total limit of 20 working days.
 * Working days: Monday to Friday, less the bank holidays 25 and 26 December 2025. As of A = 31 December 2025.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../db/client";
import { recordView } from "../app/records/timeline";
import { versionRows } from "../app/lib/dashboard";
import { readBoardDocument, type BoardDocument } from "../reports/boardDocument";
import { getBoardReportFor } from "../reports/boardReport";
import { closeSharedChromium } from "../reports/chromium";
import { DATASETS } from "../reports/datasets";
import { boardDocumentDocx } from "../reports/docx";
import { boardDocumentHtml } from "../reports/html";
import { getIssuedReport, issueBoardReport } from "../reports/issuing";
import { boardDocumentPdf } from "../reports/pdf";
import { VARIES_NOTE } from "../reports/procedureText";
import { createAuth } from "../server/access/auth";
import { loadReferenceData, parseReferenceData } from "../server/reference/config";
import { createCaller } from "../wiring/trpc/router";
import { useTestWarehouse } from "./support/db";
import { TEST_ADMIN } from "./support/principals";
import { importText } from "./support/records";

const ctx = useTestWarehouse();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ew-versions-"));
const AS_OF = "2025-12-31";
const REQUEST = { partnerships: ["vers"], quarter: "2025-Q4", asOf: AS_OF };

const V2019 = {
  effectiveFrom: "2019-04-01",
  name: "Procedure (2019)",
  stages: [
    { number: 1, name: "Practitioners", limitWorkingDays: 2 },
    { number: 2, name: "Managers", limitWorkingDays: 2 },
    { number: 3, name: "Partnership", limitWorkingDays: 2 },
  ],
};
const v2025 = (managersCalendarDays: number) => ({
  effectiveFrom: "2025-11-17",
  name: "Procedure (2025)",
  stages: [
    { number: 1, name: "Practitioners", limitWorkingDays: 2 },
    { number: 2, name: "Managers", limitCalendarDays: managersCalendarDays },
    { number: 3, name: "Panel", limitWorkingDays: 5 },
    { number: 4, name: "Independent chair", limitWorkingDays: 5 },
  ],
  totalLimitWorkingDays: 20,
});
const V2026 = { effectiveFrom: "2026-04-01", name: "Procedure (2026)", stages: [{ number: 1, name: "Practitioners", limitWorkingDays: 3 }] };

const world = (procedures: object[]) =>
  parseReferenceData({
    partnerships: [{ code: "vers", name: "Versions Safeguarding Children Partnership", procedures }],
    agencies: [
      { code: "CSC", name: "Children's Social Care", sector: "social_care", partnerships: ["vers"] },
      { code: "HLT", name: "Community Health Trust", sector: "health", partnerships: ["vers"] },
    ],
  });

// Judged by 2019 (concern before 17 Nov): A0, A1, A2. By 2025: B1 to B4.
const ESCALATIONS = `record_ref,raising_agency,receiving_agency,concern_arose_on,themes,stage1_on,stage2_on,stage3_on,status,closed_on
A0,CSC,HLT,2018-06-04,thresholds,2018-06-05,,,resolved,2018-06-05
A1,CSC,HLT,2025-11-03,thresholds,2025-11-05,,,resolved,2025-11-05
A2,CSC,HLT,2025-09-25,thresholds,2025-09-26,2025-09-29,2025-10-02,resolved,2025-10-02
B1,CSC,HLT,2025-11-17,thresholds,2025-11-18,2025-12-01,,resolved,2025-12-01
B2,CSC,HLT,2025-11-18,thresholds,2025-11-20,2025-12-08,,open,
B3,CSC,HLT,2025-11-24,thresholds,2025-11-25,,,withdrawn,2025-12-30
B4,CSC,HLT,2025-12-01,thresholds,2025-12-02,,,open,
`;

let auth: ReturnType<typeof createAuth> | undefined;
const admin = () => createCaller({ db: ctx.db, auth: (auth ??= createAuth(ctx.db, { secret: "version-surfaces-secret-version-surfaces-01" })), principal: TEST_ADMIN });
const idOf = async (ref: string) => (await queryRows<{ id: number }>(ctx.db, sql`select id::int from escalations where record_ref = ${ref}`))[0]!.id;

let exact: BoardDocument;
let published: BoardDocument;

beforeAll(async () => {
  await loadReferenceData(ctx.db, world([V2019, v2025(14)]), "test");
  const result = await importText(ctx.db, ESCALATIONS, { kind: "escalations", agency: "CSC" });
  if (result.outcome !== "loaded" || result.counts.rejected) throw new Error(JSON.stringify(result));
  exact = await readBoardDocument(ctx.db, { ...REQUEST, published: false });
  published = await readBoardDocument(ctx.db, { ...REQUEST, published: true });
});

afterAll(async () => {
  await closeSharedChromium();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("a record's page", () => {
  it("names the version that judged it, its total limit, and each stage against its limit in the stage's unit", async () => {
    const record = await admin().records.get({ partnership: "vers", id: await idOf("B2"), asOf: AS_OF });
    expect(record.procedureVersion).toEqual({ name: "Procedure (2025)", effectiveFrom: "2025-11-17", totalLimitWorkingDays: 20 });
    // B2 (concern Tue 18 Nov): stage 1 on Thu 20 Nov = 2 working days (limit 2) ✓; stage 2 from 20 Nov to Mon 8 Dec = 18 calendar
    // days (limit 14) ✗; stage 3 running from 8 Dec to A: 9–12, 15–19, 22–24, 29–31 Dec = 15 working days (limit 5): overdue; stage 4 not reached.
    expect(record.stages.map((s) => [s.number, s.name, s.limitWorkingDays, s.limitUnit, s.clockStartedOn, s.on, s.workingDays, s.state])).toEqual([
      [1, "Practitioners", 2, "working", "2025-11-18", "2025-11-20", 2, "within"],
      [2, "Managers", 14, "calendar", "2025-11-20", "2025-12-08", 18, "late"],
      [3, "Panel", 5, "working", "2025-12-08", null, 15, "overdue"],
      [4, "Independent chair", 5, "working", null, null, null, "not_reached"],
    ]);
    const view = recordView(record);
    expect(view.version).toBe("Procedure (2025), in force from 17 November 2025");
    expect(view.totalLimit).toBe("20 working days from the concern");
    // Bars on one scale of 18 days (the longest: stage 2's 18) over 120 pixels: stage 2's bar 120, its limit's mark 120 × 14 / 18 = 93.3 → 93.
    expect(view.rows.map((r) => [r.daysAgainstLimit, r.bar, r.limitMark])).toEqual([
      ["2 (limit 2 working days)", 13, 13],
      ["18 (limit 14 calendar days)", 120, 93],
      ["15 (limit 5 working days)", 100, 33],
      ["– (limit 5 working days)", 0, 33],
    ]);
  });

  it("says an escalation raised before its partnership's first version's date is judged by that first version", async () => {
    const record = await admin().records.get({ partnership: "vers", id: await idOf("A0"), asOf: AS_OF });
    expect(record.procedureVersion).toEqual({ name: "Procedure (2019)", effectiveFrom: "2019-04-01", totalLimitWorkingDays: null });
    expect(record.stages.map((s) => s.name)).toEqual(["Practitioners", "Managers", "Partnership"]);
    const view = recordView(record);
    expect(view.version).toBe("Procedure (2019), the partnership's first version (it judges every escalation raised before the next version)");
    expect(view.totalLimit).toBeNull();
  });
});

describe("the escalations page", () => {
  it("lists the procedure versions in force over the period shown", async () => {
    const versions = await admin().partnerships.procedureVersions({ partnerships: ["vers"] });
    const stages2019 = "1. Practitioners: 2 working days; 2. Managers: 2 working days; 3. Partnership: 2 working days";
    const stages2025 = "1. Practitioners: 2 working days; 2. Managers: 14 calendar days; 3. Panel: 5 working days; 4. Independent chair: 5 working days";
    // Q3 to Q4 2025: the 2019 version until the day before the 2025 one took over, then the 2025 one.
    expect(versionRows(versions, { from: "2025-Q3", quarter: "2025-Q4" })).toEqual([
      { partnership: "vers", name: "Procedure (2019)", inForce: "until 16 November 2025", stages: stages2019, totalLimit: "none" },
      { partnership: "vers", name: "Procedure (2025)", inForce: "from 17 November 2025", stages: stages2025, totalLimit: "20 working days from the concern" },
    ]);
    // Q1 to Q3 2025 ended before the change; Q1 2026 began after it.
    expect(versionRows(versions, { from: "2025-Q1", quarter: "2025-Q3" }).map((v) => v.name)).toEqual(["Procedure (2019)"]);
    expect(versionRows(versions, { from: "2026-Q1", quarter: "2026-Q1" }).map((v) => v.name)).toEqual(["Procedure (2025)"]);
  });

  it("reads each stage's limit in its unit, and marks the stage whose limits vary", async () => {
    const breakdowns = await admin().metrics.breakdowns({ partnerships: ["vers"], from: "2025-Q4", to: "2025-Q4", asOf: AS_OF });
    // Stage 1 completions in Q4: A1 3→5 Nov 2 ✓, B1 1 ✓, B2 2 ✓, B3 1 ✓, B4 1 ✓ (2 working days in both versions): 5 of 5.
    // Stage 2: B1 18 Nov → 1 Dec = 13 calendar days ✓, B2 18 ✗ (both 2025: 14 calendar days): 1 of 2.
    // Stage 3: A2 (2019) 29 Sep → Thu 2 Oct = 3 working days > 2 ✗ (within the 2025 version's 5): the limit shown is 2025's, so it varies.
    // Stage 4: the 2025 version's, nothing completed. Four stages: the most of any version in force in Q4.
    expect(breakdowns.quarters[0]!.timescale).toEqual([
      { stage: 1, limitWorkingDays: 2, completed: 5, withinLimit: 5 },
      { stage: 2, limitCalendarDays: 14, completed: 2, withinLimit: 1 },
      { stage: 3, limitWorkingDays: 5, completed: 1, withinLimit: 0, limitsVary: true },
      { stage: 4, limitWorkingDays: 5, completed: 0, withinLimit: 0 },
    ]);
  });

  it("shows the overdue list's limits with their units, and the download names each unit", async () => {
    const overdue = await admin().metrics.overdue({ partnerships: ["vers"], asOf: AS_OF });
    // B4: stage 2 from Tue 2 Dec to A = 29 calendar days (limit 14): 15 over. B2: stage 3 from 8 Dec, 15 working days (limit 5): 10 over.
    expect(overdue.map((o) => [o.recordRef, o.currentStage, o.limitWorkingDays, o.limitUnit, o.workingDaysElapsed, o.workingDaysOver])).toEqual([
      ["B4", 2, 14, "calendar", 29, 15],
      ["B2", 3, 5, "working", 15, 10],
    ]);
    const data = await DATASETS.overdue!.read(ctx.db, { partnerships: ["vers"], from: "2025-Q4", to: "2025-Q4", asOf: AS_OF });
    expect(data.columns).toEqual([
      "partnership", "record_ref", "uploaded_by", "raising_agency", "receiving_agency", "concern_arose_on", "current_stage", "clock_started_on",
      "limit_working_days", "working_days_elapsed", "working_days_over", "limit_unit",
    ]);
    expect(data.rows).toEqual([
      ["vers", "B4", "CSC", "CSC", "HLT", "2025-12-01", 2, "2025-12-02", 14, 29, 15, "calendar"],
      ["vers", "B2", "CSC", "CSC", "HLT", "2025-11-18", 3, "2025-12-08", 5, 15, 10, "working"],
    ]);
  });
});

const tableOf = (doc: BoardDocument, caption: RegExp) => {
  const block = doc.sections.flatMap((s) => s.blocks).find((b) => b.kind === "table" && caption.test(b.caption));
  if (!block || block.kind !== "table") throw new Error(`no table ${caption}`);
  return block;
};

describe("the board document for a quarter in which the procedure changed", () => {
  it("shows each stage's limit with its unit, and varies (with its footnote) where the versions set no single limit", () => {
    const timescale = tableOf(exact, /^Timescale adherence/);
    expect(timescale.columns).toEqual(["Stage", "Limit", "Completed", "Within the limit"]);
    // As worked for the escalations page above.
    expect(timescale.rows).toEqual([
      ["Stage 1", "2 working days", 5, 5],
      ["Stage 2", "14 calendar days", 2, 1],
      ["Stage 3", "varies", 1, 0],
      ["Stage 4", "5 working days", 0, 0],
    ]);
    expect(timescale.note).toBe(VARIES_NOTE);
    expect(VARIES_NOTE).toContain("judged by the version in force on its escalation's concern date");
    // Limits are not counts: the published document shows the same.
    expect(tableOf(published, /^Timescale adherence/).rows.map((r) => r[1])).toEqual(["2 working days", "14 calendar days", "varies", "5 working days"]);
  });

  it("lists the procedure versions in force in the quarter", () => {
    const versions = tableOf(exact, /^Procedure versions in force during 2025-Q4$/);
    expect(versions.rows.map((r) => r.slice(0, 2).concat(r.slice(3)))).toEqual([
      ["Procedure (2019)", "until 16 November 2025", "none"],
      ["Procedure (2025)", "from 17 November 2025", "20 working days from the concern"],
    ]);
    expect(versions.countColumns).toEqual([]);
  });

  it("gives the total limit's figures, through the same disclosure control as every other count", async () => {
    // Closed in Q4 under a version with a total limit: B1 (resolved 1 Dec: 18 Nov – 1 Dec = 10 working days ≤ 20 ✓) and
    // B3 (withdrawn 30 Dec: 25–28 Nov 4, 1–19 Dec 15, 22–24 Dec 3, 29–30 Dec 2 = 24 > 20 ✗): 2 closed, 1 within. A1 and A2 (2019) have none.
    // Open at A past it: B2 (19 Nov – 31 Dec = 29 > 20); B4 (2–31 Dec = 4 + 5 + 5 + 3 + 3 = 20, not over): 1.
    expect((await getBoardReportFor(ctx.db, { ...REQUEST, published: false })).escalations.totalLimit).toEqual({ limitWorkingDays: 20, closed: 2, withinLimit: 1, overdueAtAsOf: 1 });
    const total = tableOf(exact, /^Total limit/);
    expect(total.caption).toBe("Total limit: escalations to be closed within 20 working days of the concern");
    expect(total.rows).toEqual([
      ["Closed in 2025-Q4 under a total limit", 2],
      ["Closed within the total limit", 1],
      ["Open and past the total limit on 31 December 2025", 1],
    ]);
    expect(total.countColumns).toEqual([1]);
    // Published: the document's cells are those of the published report (counts of 1 to 5 hidden).
    const cells = tableOf(published, /^Total limit/).rows.map((r) => r[1]);
    const json = published.figures.escalations.totalLimit!;
    expect(cells).toEqual([json.closed, json.withinLimit, json.overdueAtAsOf]);
    expect(cells.filter((c) => typeof c === "number" && c >= 1 && c <= 5)).toEqual([]);
    expect(exact.summary).toContain(
      "Of the escalations closed in the quarter under a total limit, 1 of 2 were closed within the total limit of 20 working days; on 31 December 2025, 1 open escalations had passed theirs.",
    );
  });

  it("never calls a calendar-day limit, or a limit that varies, a working-day limit in its summary", () => {
    expect(exact.summary).toContain("Stage 2: 1 of 2 stage completions came within the 14-calendar-day limit.");
    expect(exact.summary).toContain(
      "Stage 3: 0 of 1 stage completions came within their limits (which varied: each was judged by the procedure version in force on its escalation's concern date).",
    );
    expect(exact.summary.filter((s) => s.startsWith("Stage ") && s.includes("working-day"))).toEqual([]);
  });

  it("prints the units, varies and its footnote, and the total limit in the PDF and the Word document", async () => {
    const file = path.join(scratch, "exact.pdf");
    fs.writeFileSync(file, await boardDocumentPdf(exact));
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    expect(text).toMatch(/Stage 1 2 working days 5 5 Stage 2 14 calendar days 2 1 Stage 3 varies 1 0 Stage 4 5 working days 0 0/);
    expect(text).toContain("Varies: the procedure versions in force during the period do not set one limit");
    expect(text).toMatch(/Closed within the total limit 1/);
    expect(boardDocumentHtml(exact)).toContain(`<p class="note">${VARIES_NOTE.replaceAll("'", "&#39;")}</p>`);
    const docx = path.join(scratch, "exact.docx");
    fs.writeFileSync(docx, await boardDocumentDocx(exact));
    const dir = path.join(scratch, "exact-docx");
    execFileSync("unzip", ["-q", "-o", docx, "-d", dir]);
    const body = fs.readFileSync(path.join(dir, "word", "document.xml"), "utf8");
    execFileSync("xmllint", ["--noout", path.join(dir, "word", "document.xml")]);
    const runs = [...body.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!.replaceAll("&apos;", "'"));
    expect(runs.join("|")).toContain("Stage 1|2 working days|5|5|Stage 2|14 calendar days|2|1|Stage 3|varies|1|0|Stage 4|5 working days|0|0|" + VARIES_NOTE);
    expect(runs.join("|")).toContain("Closed in 2025-Q4 under a total limit|2|Closed within the total limit|1");
  }, 120_000);
});

describe("an issued report shown after a procedure revision", () => {
  it("lists the versions revised since issue beside the figures the revision changed", async () => {
    const first = await issueBoardReport(ctx.db, TEST_ADMIN, { ...REQUEST, published: false });
    expect(await getIssuedReport(ctx.db, TEST_ADMIN, first.id)).toMatchObject({ revisions: [], procedureRevisions: [] });
    // The 2025 version's stage 2 limit is cut from 14 to 10 calendar days, and a 2026 version is added.
    await loadReferenceData(ctx.db, world([V2019, v2025(10), V2026]), "test");
    const shown = await getIssuedReport(ctx.db, TEST_ADMIN, first.id);
    // Stage 2 in Q4: B1 13 calendar days and B2 18, both now over 10: 0 within (was 1). Overdue at A is unchanged: B4's stage 2
    // (29 calendar days) is over 10 as it was over 14. The 2026 version judges nothing in Q4.
    expect(shown.revisions.filter((r) => !r.figure.startsWith("spc."))).toEqual([
      { figure: "escalations.timescale.1.limitCalendarDays", asIssued: 14, now: 10 },
      { figure: "escalations.timescale.1.withinLimit", asIssued: 1, now: 0 },
    ]);
    // The board's charts re-judge too: within-limit in November and December loses B1 and B2; special causes are one figure each.
    expect(shown.revisions.some((r) => r.figure.startsWith("spc.withinLimitPct.values."))).toBe(true);
    expect(shown.revisions.filter((r) => r.figure.includes(".specialCause")).every((r) => /^spc\.[A-Za-z]+\.specialCause$/.test(r.figure))).toBe(true);
    expect(shown.procedureRevisions).toEqual([
      { partnership: "vers", version: "Procedure (2025)", effectiveFrom: "2025-11-17", change: "changed", at: expect.any(Date), details: ["stage 2 limit: 14 calendar days → 10 calendar days"] },
      {
        partnership: "vers", version: "Procedure (2026)", effectiveFrom: "2026-04-01", change: "added", at: expect.any(Date),
        details: ["stages: 1. Practitioners: 3 working days", "total limit: none"],
      },
    ]);
    expect(shown.procedureRevisions[0]!.at!.getTime()).toBeGreaterThan(first.issuedAt.getTime() - 1);
    // The issued document is as it was: 14 calendar days, 1 within.
    expect(tableOf(shown.document as BoardDocument, /^Timescale adherence/).rows[1]).toEqual(["Stage 2", "14 calendar days", 2, 1]);

    // A second report, issued now, then the 2026 version is removed: the second lists the removal, and no figure changes.
    const second = await issueBoardReport(ctx.db, TEST_ADMIN, { ...REQUEST, published: false });
    await loadReferenceData(ctx.db, world([V2019, v2025(10)]), "test");
    const later = await getIssuedReport(ctx.db, TEST_ADMIN, second.id);
    expect(later.revisions).toEqual([]);
    expect(later.procedureRevisions).toEqual([{ partnership: "vers", version: "Procedure (2026)", effectiveFrom: "2026-04-01", change: "removed", at: null, details: [] }]);
    // The first report still lists only the 2025 version's change (the 2026 version came and went after it).
    expect((await getIssuedReport(ctx.db, TEST_ADMIN, first.id)).procedureRevisions.map((r) => [r.version, r.change])).toEqual([["Procedure (2025)", "changed"]]);
  }, 120_000);
});
