/**
 * Files shaped like real agency exports, through the real importer: encodings, delimiters, quoted
 * line breaks, aliases, every reject reason (row, column, value, reason), and the files refused whole.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../db/client";
import { FileRefusedError } from "../importers/importFile";
import { useTestWarehouse } from "./support/db";
import { importText } from "./support/records";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();
beforeAll(async () => {
  await loadSmallWorld(ctx.db);
});

const HEADER =
  "record_ref,partnership,raising_agency,receiving_agency,child_ref,concern_arose_on,themes,stage1_on,stage2_on,stage3_on,stage4_on,stage5_on,status,closed_on,learning_disseminated_on";

async function escalation(recordRef: string) {
  const [row] = await queryRows(
    ctx.db,
    sql`select e.record_ref, p.code as partnership, ra.code as raising, rc.code as receiving, e.concern_arose_on::text as arose,
               e.themes, e.stage1_on::text as stage1, e.stage2_on::text as stage2, e.status, e.closed_on::text as closed
        from escalations e join partnerships p on p.id = e.partnership_id
        join agencies ra on ra.id = e.raising_agency_id join agencies rc on rc.id = e.receiving_agency_id
        where e.record_ref = ${recordRef}`,
  );
  return row;
}

describe("files as agencies export them", () => {
  it("reads a UTF-8 file with BOM, semicolons, CRLF, alias headers, quoted line breaks and blank rows", async () => {
    const csv =
      "\uFEFFReference;Raised by;Raised with;Date raised;Area of disagreement;Stage 1 date;Outcome;Date closed;Notes\r\n" +
      'C-1;North Children\'s Social Care;Community Health Trust;03/03/2025;"thresholds;\r\ninfo sharing";04/03/2025 09:30;Resolved;05/03/2025;"first line\r\nsecond line"\r\n' +
      "\r\n" +
      "C-2;csc;hlt;3 March 2025;Roles;;OPEN;;\r\n";
    const result = await importText(ctx.db, csv, { kind: "escalations", agency: "CSC" });
    expect(result).toMatchObject({
      outcome: "loaded",
      rowsRead: 2,
      counts: { loaded: 2, replaced: 0, unchanged: 0, rejected: 0 },
      notes: ["Cells were separated by semicolons.", "Columns ignored because they are not part of the escalations format: Notes."],
    });
    // CSC belongs to one partnership, so the partnership column may be left out.
    expect(await escalation("C-1")).toEqual({
      record_ref: "C-1", partnership: "north", raising: "CSC", receiving: "HLT", arose: "2025-03-03",
      themes: ["information_sharing", "thresholds"], stage1: "2025-03-04", stage2: null, status: "resolved", closed: "2025-03-05",
    });
    expect(await escalation("C-2")).toMatchObject({ arose: "2025-03-03", themes: ["roles_responsibilities"], status: "open" });
  });

  it("reads a Windows-1252 file with tabs, as Excel on Windows saves it", async () => {
    // "North Children’s Social Care" with a curly apostrophe (0x92 in Windows-1252), "Café" in an ignored column.
    const bytes = Buffer.concat([
      Buffer.from("record_ref\traising_agency\treceiving_agency\tconcern_arose_on\tthemes\tstatus\tclosed_on\tcomment\r\n"),
      Buffer.from("W-1\tNorth Children"), Buffer.from([0x92]), Buffer.from("s Social Care\tHLT\t10.03.2025\tthreshold\twithdrawn\t11.03.25\tCaf"),
      Buffer.from([0xe9]), Buffer.from("\r\n"),
    ]);
    const result = await importText(ctx.db, bytes, { kind: "escalations", agency: "CSC" });
    expect(result).toMatchObject({
      outcome: "loaded",
      counts: { loaded: 1, rejected: 0 },
      notes: [
        "The file was not UTF-8, so it was read as Windows-1252 (as Excel on Windows saves CSV).",
        "Cells were separated by tabs.",
        "Columns ignored because they are not part of the escalations format: comment.",
        "Two-digit years were read as 20yy (for example 03/03/25 as 3 March 2025) in 1 date(s).",
      ],
    });
    expect(await escalation("W-1")).toMatchObject({ raising: "CSC", arose: "2025-03-10", status: "withdrawn", closed: "2025-03-11" });
  });
});

describe("every reject names its row, column, value and reason", () => {
  it("rejects each faulty escalation row with all its faults, and loads the rest", async () => {
    const rows = [
      /* 2 */ "R2,north,POL,CSC,,2025-03-03,thresholds,2025-03-04,,,,,open,,",
      /* 3 */ "R3,north,POL,CSC,,,,,,,,,open,,",
      /* 4 */ "R4,north,POL,CSC,,31/02/2025,thresholds,,,,,,open,,",
      /* 5 */ "R5,north,POL,CSC,,12/31/2025,thresholds,,,,,,open,,",
      /* 6 */ "R6,north,POL,CSC,,2026-12-01,thresholds,,,,,,open,,",
      /* 7 */ "R7,north,Polise,CSC,,2025-03-03,thresholds,,,,,,open,,",
      /* 8 */ "R8,north,POL,SCH,,2025-03-03,thresholds,,,,,,open,,",
      /* 9 */ "R9,north,POL,County Police,,2025-03-03,thresholds,,,,,,open,,",
      /* 10 */ "R10,north,POL,CSC,,2025-03-03,thresholds; gossip,,,,,,open,,",
      /* 11 */ "R11,north,POL,CSC,,2025-03-05,thresholds,2025-03-04,,,,,open,,",
      /* 12 */ "R12,north,POL,CSC,,2025-03-05,thresholds,,,,2025-03-06,,open,,",
      /* 13 */ "R13,north,POL,CSC,,2025-03-05,thresholds,,,,,,open,2025-03-06,",
      /* 14 */ "R14,north,POL,CSC,,2025-03-05,thresholds,,,,,,resolved,,",
      /* 15 */ "R15,north,POL,CSC,,2025-03-05,thresholds,2025-03-06,2025-03-10,,,,resolved,2025-03-07,",
      /* 16 */ "R16,north,POL,CSC,,2025-03-05,thresholds,,,,,,open,,2025-03-20",
      /* 17 */ "R17,north,POL,CSC,,2025-03-05,thresholds,,,,,,resolved,2025-03-10,2025-03-09",
      /* 18 */ "R18,north,POL,CSC,943 476 5918,2025-03-05,thresholds,,,,,,open,,",
      /* 19 */ `${"X".repeat(65)},north,POL,CSC,,2025-03-05,thresholds,,,,,,open,,`,
      /* 20 */ "000123,north,POL,CSC,,2025-03-05,thresholds,,,,,,open,,",
      /* 21 */ "123,north,POL,CSC,,2025-03-05,thresholds,,,,,,open,,",
      /* 22 */ "R22,east,POL,CSC,,2025-03-05,thresholds,,,,,,open,,",
      /* 23 */ "R23,,POL,HLT,,2025-03-05,thresholds,,,,,,open,,",
      /* 24 */ "R24,north,POL,CSC,,2025-03-05,thresholds,,,,,,open,,,surplus",
      /* 25 */ "R25,north,POL,CSC,,2025-03-05,thresholds,,,,,,closed,2025-03-06,",
      /* 26 */ ",,,,,,,,,,,,,,",
      /* 27 */ "R27,north,POL,CSC,9434765919,2025-03-05,thresholds,,2025-03-07,,,,resolved,2025-03-07,",
    ];
    const result = await importText(ctx.db, `${HEADER}\n${rows.join("\n")}\n`, { kind: "escalations", agency: "POL" });
    if (result.outcome !== "loaded") throw new Error("expected a load");
    // 26 lines after the header, one of them blank: 25 rows read; R2 and R27 load, 23 are rejected.
    expect(result.rowsRead).toBe(25);
    expect(result.counts).toEqual({ loaded: 2, replaced: 0, unchanged: 0, rejected: 23 });
    expect(result.notes).toEqual([
      "1 row(s) skip a stage (a later stage is dated while an earlier one is empty), e.g. row(s) 27. They are loaded and counted as skipped stages in data quality.",
    ]);
    const themes = "assessment_outcome, conference_need, information_sharing, other, plan_decision, roles_responsibilities, service_provision, thresholds";
    const byRow = Object.fromEntries(result.rejects.map((r) => [r.rowNumber, r.faults.map((f) => `${f.column} | ${f.value} | ${f.reason}`)]));
    expect(byRow).toEqual({
      3: ["concern_arose_on |  | is required", "themes |  | is required"],
      4: ["concern_arose_on | 31/02/2025 | is not a real date"],
      5: ["concern_arose_on | 12/31/2025 | looks like month/day/year (US order); dates are day first, e.g. 31/12/2025"],
      6: ["concern_arose_on | 2026-12-01 | is after the upload date (23 November 2026)"],
      7: ["raising_agency | Polise | is not a configured agency (by code, name or alias); did you mean County Police (POL)?"],
      8: ["receiving_agency | SCH | South Schools (SCH) is not a member of North Safeguarding Children Partnership; an out-of-area agency must first be configured as a member"],
      9: ["receiving_agency | County Police | is the same agency as raising_agency; an escalation is between two agencies"],
      10: [`themes | thresholds; gossip | "gossip" is not a theme; use one or more of ${themes}, separated by ; or |`],
      11: ["stage1_on | 2025-03-04 | is before concern_arose_on (5 March 2025)"],
      12: ['stage4_on | 2025-03-06 | is for stage 4, but "Small procedure", the procedure version that judges this escalation, has 3 stages'],
      13: ["closed_on | 2025-03-06 | must be empty while status is open"],
      14: ["closed_on |  | is required when status is resolved"],
      15: ["closed_on | 2025-03-07 | is before stage2_on (10 March 2025)"],
      16: ["learning_disseminated_on | 2025-03-20 | is only recorded on closed escalations (status resolved or withdrawn)"],
      17: ["learning_disseminated_on | 2025-03-09 | is before closed_on (10 March 2025)"],
      18: ["child_ref | (withheld: child reference) | looks like an NHS number (10 digits) but its check digit is wrong"],
      19: [`record_ref | ${"X".repeat(65)} | is 65 characters long; at most 64 are allowed`],
      20: ["record_ref | 000123 | appears more than once in this file (also row 21); none of these rows is loaded until it appears once"],
      21: ["record_ref | 123 | appears more than once in this file (also row 20); none of these rows is loaded until it appears once"],
      22: ["partnership | east | is not a configured partnership; use one of north, south"],
      23: ["partnership |  | is required because POL belongs to 2 partnerships (north, south)"],
      24: ['(whole row) | 16 cells | has 16 cells but the header has 15; a value may contain an unquoted ","'],
      25: ["status | closed | is not one of open, resolved or withdrawn"],
    });
    expect(await escalation("R27")).toMatchObject({ stage1: null, stage2: "2025-03-07", status: "resolved" });
  });

  it("keeps every reject with the batch, and never the child reference", async () => {
    const [kept] = await queryRows<{ n: number; leaked: number }>(
      ctx.db,
      sql`select count(*)::int as n,
                 count(*) filter (where faults::text like '%943 476 5918%' or faults::text like '%9434765918%')::int as leaked
          from import_rejects`,
    );
    expect(kept).toEqual({ n: 23, leaked: 0 });
    const [stored] = await queryRows<{ hash: string }>(ctx.db, sql`select child_ref_hash as hash from escalations where record_ref = 'R27'`);
    expect(stored!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("rejects faulty dissent and conference activity rows", async () => {
    const dissent =
      "record_ref,partnership,conference_date,conference_type,dissenting_agency,dissenting_role,decision,themes,chair_followup_on,status,escalation_ref\n" +
      "D1,north,2025-03-03,ICPC,HLT,Health visitor,No plan,plan,05/03/2025,escalated,R2\n" +
      "D2,north,2025-03-03,case conference,HLT,,maybe,plan,2025-03-01,escalated,\n" +
      `D3,north,2025-03-03,review,HLT,${"r".repeat(81)},cp_plan,plan,,resolved,\n`;
    const result = await importText(ctx.db, dissent, { kind: "dissent", agency: "CSC" });
    if (result.outcome !== "loaded") throw new Error("expected a load");
    expect(result.counts).toEqual({ loaded: 1, replaced: 0, unchanged: 0, rejected: 2 });
    expect(result.rejects.map((r) => [r.rowNumber, r.faults.map((f) => `${f.column}: ${f.reason}`)])).toEqual([
      [
        3,
        [
          "conference_type: is not one of initial, review or transfer_in (ICPC, RCPC and TICPC are accepted)",
          "decision: is not one of cp_plan, no_cp_plan, plan_category or conference_not_convened",
          "chair_followup_on: is before conference_date (3 March 2025)",
          "escalation_ref: is required when status is escalated: give the record_ref of the escalation raised under the procedure",
        ],
      ],
      [4, ["dissenting_role: is 81 characters long; at most 80 are allowed"]],
    ]);
    const [d1] = await queryRows(ctx.db, sql`select conference_type, decision, themes, status, escalation_ref from dissents where record_ref = 'D1'`);
    expect(d1).toEqual({ conference_type: "initial", decision: "no_cp_plan", themes: ["plan_decision"], status: "escalated", escalation_ref: "R2" });

    const activity = "partnership,month,initial_conferences,review_conferences\nnorth,2025-01,10,20\nnorth,2025-13,10,20\nnorth,15/02/2025,-3,twenty\nsouth,2025-01,1,2\nsouth,2025-01,3,4\n";
    const counts = await importText(ctx.db, activity, { kind: "conference_activity", agency: "POL" });
    if (counts.outcome !== "loaded") throw new Error("expected a load");
    expect(counts.counts).toEqual({ loaded: 1, replaced: 0, unchanged: 0, rejected: 4 });
    expect(counts.rejects.map((r) => [r.rowNumber, r.faults.map((f) => `${f.column} ${f.value}: ${f.reason}`)])).toEqual([
      [3, ["month 2025-13: is not a real month"]],
      [4, ["initial_conferences -3: must be a whole number of 0 or more, written with digits only", "review_conferences twenty: must be a whole number of 0 or more, written with digits only"]],
      [5, ["month 2025-01: this partnership's month appears more than once in this file (also row 6); none of these rows is loaded until it appears once"]],
      [6, ["month 2025-01: this partnership's month appears more than once in this file (also row 5); none of these rows is loaded until it appears once"]],
    ]);
  });
});

describe("files refused whole", () => {
  const refusals: Array<[string, string | Uint8Array, RegExp]> = [
    ["an empty file", "", /The file is empty/],
    ["a file of blank lines", "\r\n\r\n  \r\n", /The file is empty/],
    ["a header with no records", `${HEADER}\r\n\r\n`, /has a header row but no records/],
    ["an Excel workbook", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), /This is an Excel workbook or a zip file, not a CSV file/],
    ["binary data", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]), /contains binary data/],
    ["a file missing a required column", "record_ref,raising_agency,concern_arose_on,themes,status\nA,POL,2025-01-01,thresholds,open\n", /The file has no receiving_agency \(or "raised with", "challenged agency", "to agency"\) column/],
  ];

  it.each(refusals)("refuses %s with one clear message, and writes nothing", async (_what, content, message) => {
    const before = await queryRows<{ batches: number; rows: number }>(
      ctx.db,
      sql`select (select count(*)::int from import_batches) as batches, (select count(*)::int from escalations) as rows`,
    );
    const attempt = importText(ctx.db, content, { kind: "escalations", agency: "POL" });
    await expect(attempt).rejects.toThrow(FileRefusedError);
    await expect(attempt).rejects.toThrow(message);
    const after = await queryRows(ctx.db, sql`select (select count(*)::int from import_batches) as batches, (select count(*)::int from escalations) as rows`);
    expect(after).toEqual(before);
  });

  it("records each refusal in the audit log", async () => {
    const [audit] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from audit_log where action = 'import.refused' and outcome = 'refused'`);
    expect(audit!.n).toBe(refusals.length);
  });

  it("refuses an unknown uploading agency", async () => {
    await expect(importText(ctx.db, `${HEADER}\n`, { kind: "escalations", agency: "NOPE" })).rejects.toThrow(
      'There is no agency with the code "NOPE". Use one of: CSC, HLT, POL, SCH.',
    );
  });
});
