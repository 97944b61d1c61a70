/**
 * The board report as a document (HTML and PDF), over the hand-worked world of
 * tests/board-report.test.ts: the published document shows the published figures and never a count
 * from 1 to 5; the PDF's text holds the same figures and renders; an exact document says "not for
 * publication" on every page.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBoardDocument, NOT_FOR_PUBLICATION, type BoardDocument } from "../reports/boardDocument";
import { closeSharedChromium } from "../reports/chromium";
import { boardDocumentHtml } from "../reports/html";
import { boardDocumentPdf } from "../reports/pdf";
import { boardDocumentDocx } from "../reports/docx";
import { useTestWarehouse } from "./support/db";
import { loadHandWorkedWorld } from "./support/handWorld";

const ctx = useTestWarehouse();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ew-docs-"));
const REQUEST = { partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-09" };
let published: BoardDocument;
let exact: BoardDocument;

beforeAll(async () => {
  await loadHandWorkedWorld(ctx.db);
  published = await getBoardDocument(ctx.db, { ...REQUEST, published: true });
  exact = await getBoardDocument(ctx.db, { ...REQUEST, published: false });
});

afterAll(async () => {
  await closeSharedChromium();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** The PDF's text, page by page (pdftotext separates pages with form feeds). */
function pdfPages(bytes: Uint8Array, name: string): string[] {
  const file = path.join(scratch, `${name}.pdf`);
  fs.writeFileSync(file, bytes);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).split("\f").filter((p) => p.trim());
}

describe("the published board report document", () => {
  it("shows the published figures, and never a count from 1 to 5", () => {
    const html = boardDocumentHtml(published);
    const counts = [...html.matchAll(/data-count="([^"]*)"/g)].map((m) => m[1]!);
    expect(counts.length).toBeGreaterThan(20);
    expect(counts.filter((c) => /^[1-5]$/.test(c))).toEqual([]);
    // Hand-worked (north, Q4 2025 as of 9 Jan 2026): raised 11 and closed 7 are shown; withdrawn 1 is hidden, and so
    // (secondary suppression: closed = resolved + withdrawn) is resolved 6; open at the quarter's end 5 and overdue 4 are hidden.
    const escalations = published.sections[0]!.blocks[0]!;
    expect(escalations.kind === "table" && escalations.rows.map((r) => r[1])).toEqual([11, 7, "c", "c", "c", "c", "c"]);
    expect(published.marking).toBeNull();
  });

  it("is suppressed as one output: the attacker works out no hidden cell of its tables and charts, and its figures are the published JSON", async () => {
    const { getBoardReportFor } = await import("../reports/boardReport");
    const { readerView } = await import("../reports/disclosure");
    const { attack } = await import("../reports/attacker");
    expect(published.disclosure).toMatchObject({ profile: "dfe", passed: true, pinned: [] });
    expect(exact.disclosure).toBeNull();
    // The document's figures are those of report board --published (the same cells hidden).
    expect(published.figures).toEqual(await getBoardReportFor(ctx.db, { ...REQUEST, published: true }));
    // The attacker, reading the document as printed (trend points, tables, scrutiny, the charts' months), pins nothing.
    const { readDocumentFigures } = await import("../reports/boardDocument");
    const { printedSuppression } = await import("./support/printed");
    const { publication } = await readDocumentFigures(ctx.db, { ...REQUEST, published: false });
    // Trend (hand-worked in board-report.test.ts): Q1 3, Q2 1, Q3 1 raised: c, c, c; Q4 11.
    expect(published.trend.map((t) => t.raised)).toEqual(["c", "c", "c", 11]);
    expect(attack(readerView(publication, printedSuppression(published, publication), "dfe"))).toEqual({ pinned: [], consistent: true, undecided: [] });
  });

  it("writes its summary only from the figures it prints", () => {
    // Q3 raised 1 (E14): too small to publish. The published raised chart's summary is withheld (c: its months are too few
    // to show its mean and limits safely), so no change is claimed.
    expect(published.summary[0]).toBe("11 escalations were raised in 2025-Q4 (the number in 2025-Q3 is too small to publish); month by month, no change is claimed (the chart's summary is withheld).");
    // Exact: raised by month, January 2024 to December 2025: 0 (×11), Dec 2024 1 (E0), Jan 2025 3 (E5, E16, E17), 0, 0, 0,
    // May 1 (E6), 0, 0, 0, Sep 1 (E14), Oct 3 (E1, E7, E19), Nov 2 (E3, E4), Dec 6 (E2, E8, E9, E10, E11, E18). Σ = 17, mean
    // 0.7083; moving ranges 1 + 2 + 3 + 1 + 1 + 1 + 2 + 1 + 4 = 16, mR 0.6957, upper limit 0.7083 + 1.8504 = 2.5588, 2σ line
    // 1.9420. December (6) is above the upper limit, and October, November and December are all beyond the 2σ line: the
    // latest month is special cause, high (raised is neither better higher nor lower): "rose", neither improvement nor concern.
    expect(exact.summary[0]).toBe(
      "11 escalations were raised in 2025-Q4 (1 in 2025-Q3); month by month, the number raised rose (special cause variation in December 2025: a point outside the limits; two of three points beyond the 2σ line; neither an improvement nor a concern).",
    );
    // A quarter beside the last is never called a rise or fall: only a chart's special cause is.
    expect([...published.summary, ...exact.summary].filter((line) => /\b(up|down) [\d,]+ on\b/.test(line))).toEqual([]);
    // Stage 1: 8 of 9 completions within the limit; stage 3: 2 of 3 (exact figures, hand-worked in board-report.test.ts).
    expect(exact.summary).toContain("Stage 1: 8 of 9 stage completions came within the 2-working-day limit.");
    expect(exact.summary).toContain("Stage 3: 2 of 3 stage completions came within the 2-working-day limit.");
  });

  it("gives each stage's limit with its unit, and the one procedure version that judged the quarter", () => {
    const blocks = exact.sections[0]!.blocks;
    const timescale = blocks.find((b) => b.kind === "table" && b.caption.startsWith("Timescale adherence"));
    // North has one version (the small world's 3 stages of 2 working days): nothing varies, so no footnote; no total limit, so no table.
    expect(timescale?.kind === "table" && [timescale.columns, timescale.rows.map((r) => r.slice(0, 2)), timescale.note]).toEqual([
      ["Stage", "Limit", "Completed", "Within the limit"],
      [["Stage 1", "2 working days"], ["Stage 2", "2 working days"], ["Stage 3", "2 working days"]],
      undefined,
    ]);
    const versions = blocks.find((b) => b.kind === "table" && b.caption === "Procedure versions in force during 2025-Q4");
    expect(versions?.kind === "table" && versions.rows).toEqual([
      ["Small procedure", "throughout", "1. Practitioners: 2 working days; 2. Managers: 2 working days; 3. Partnership: 2 working days", "none"],
    ]);
    expect(blocks.some((b) => b.kind === "table" && b.caption.startsWith("Total limit"))).toBe(false);
    expect(published.figures.escalations.totalLimit).toBeNull();
  });

  it("prints to a PDF whose text holds the same figures as report board --format json --published, and which renders", async () => {
    const { getBoardReportFor } = await import("../reports/boardReport");
    const json = (await getBoardReportFor(ctx.db, { ...REQUEST, published: true })) as { escalations: Record<string, unknown>; dissent: Record<string, unknown> };
    const pages = pdfPages(await boardDocumentPdf(published), "published");
    const text = pages.join("\n");
    const rows: Array<[string, unknown]> = [
      ["Raised", json.escalations.raised], ["Closed", json.escalations.closed], ["Resolved", json.escalations.resolved],
      ["Withdrawn", json.escalations.withdrawn], ["Open at the end of the quarter", json.escalations.openAtPeriodEnd],
      ["Dissents", json.dissent.count], ["Became escalations", json.dissent.escalated],
    ];
    for (const [label, value] of rows) expect(text).toMatch(new RegExp(`${label}\\s+${String(value)}\\n`));
    expect(text).toMatch(/Raised\s+11\n/);
    expect(text).toMatch(/Closed\s+7\n/);
    expect(text).toMatch(/Resolved\s+c\n/);
    expect(text).toMatch(/Withdrawn\s+c\n/);
    expect(text).toContain(published.disclosureStatement.slice(0, 60));
    expect(text).not.toContain("NOT FOR PUBLICATION");
    execFileSync("pdftoppm", ["-png", "-r", "40", "-f", "1", "-l", "1", path.join(scratch, "published.pdf"), path.join(scratch, "page")]);
    expect(fs.readdirSync(scratch).filter((f) => f.startsWith("page") && f.endsWith(".png"))).toHaveLength(1);
  });
});

describe("the exact board report document", () => {
  it("shows exact figures and says not for publication on every page", async () => {
    const escalations = exact.sections[0]!.blocks[0]!;
    expect(escalations.kind === "table" && escalations.rows.map((r) => r[1])).toEqual([11, 7, 6, 1, 5, 4, 1]);
    const pages = pdfPages(await boardDocumentPdf(exact), "exact");
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.filter((p) => !p.includes(NOT_FOR_PUBLICATION))).toEqual([]);
  });
});

/** A Word file's parts, unpacked with unzip. */
function unpackDocx(bytes: Uint8Array, name: string): string {
  const file = path.join(scratch, `${name}.docx`);
  fs.writeFileSync(file, bytes);
  const dir = path.join(scratch, name);
  execFileSync("unzip", ["-q", "-o", file, "-d", dir]);
  return dir;
}

/** The texts of a Word part's runs, in order (XML entities decoded). */
const ENTITIES: Record<string, string> = { "&apos;": "'", "&quot;": '"', "&lt;": "<", "&gt;": ">", "&amp;": "&" };
const runs = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!.replace(/&(apos|quot|lt|gt|amp);/g, (e) => ENTITIES[e]!));

describe("the board report as a Word document", () => {
  it("holds the published figures, its XML is well formed, and LibreOffice converts it", async () => {
    const bytes = await boardDocumentDocx(published);
    const dir = unpackDocx(bytes, "published-docx");
    const body = fs.readFileSync(path.join(dir, "word", "document.xml"), "utf8");
    // The escalations table, cell by cell: the same published figures as the JSON (and the PDF).
    // (That no count from 1 to 5 is shown is checked on the model's count cells above; Word prints the same cells.)
    expect(runs(body).join("|")).toContain("Raised|11|Closed|7|Resolved|c|Withdrawn|c|Open at the end of the quarter|c");
    // The signal-or-noise table gives each chart's variation in the words of the JSON's (here every count chart's summary is
    // withheld: north's months are too few to show a mean and limits without giving one away; the percentages have no limits).
    const { variationWords } = await import("../reports/spcText");
    const spc = (published.figures as import("../reports/disclosure").PublishedBoardReport).spc!;
    expect(Object.values(spc).map((chart) => chart.variation)).toEqual(["c", null, null, "c", "c", null]);
    for (const chart of Object.values(spc)) expect(runs(body)).toContain(variationWords(chart));
    expect(runs(body)).toContain("Signal or noise");
    const parts = execFileSync("find", [dir, "-name", "*.xml", "-o", "-name", "*.rels"], { encoding: "utf8" }).trim().split("\n");
    expect(parts.length).toBeGreaterThan(5);
    execFileSync("xmllint", ["--noout", ...parts]);
    // LibreOffice (headless) opens it and prints it to PDF; the figures survive the round trip.
    execFileSync("soffice", ["--headless", "--convert-to", "pdf", "--outdir", dir, path.join(scratch, "published-docx.docx")], { stdio: "ignore", timeout: 120_000 });
    const text = execFileSync("pdftotext", ["-layout", path.join(dir, "published-docx.pdf"), "-"], { encoding: "utf8" });
    expect(text).toMatch(/Raised\s+11\n/);
    expect(text).toMatch(/Withdrawn\s+c\n/);
    expect(text).toContain("Signal or noise");
  }, 180_000);

  it("carries the marking in the header of every page when exact", async () => {
    const dir = unpackDocx(await boardDocumentDocx(exact), "exact-docx");
    const header = fs.readdirSync(path.join(dir, "word")).filter((f) => /^header\d*\.xml$/.test(f));
    expect(header.length).toBeGreaterThan(0);
    expect(header.every((h) => runs(fs.readFileSync(path.join(dir, "word", h), "utf8")).join("").includes(NOT_FOR_PUBLICATION))).toBe(true);
    expect(runs(fs.readFileSync(path.join(dir, "word", "document.xml"), "utf8")).join("|")).toContain("Raised|11|Closed|7|Resolved|6|Withdrawn|1");
  });
});

describe("issuing a board report", () => {
  it("refuses, in plain English, a published document the attacker could read a hidden figure from", async () => {
    const { assertPublishable } = await import("../reports/issuing");
    expect(() => assertPublishable(published)).not.toThrow();
    expect(() => assertPublishable(exact)).not.toThrow();
    // The same document had its check failed (a hidden cell worked out): never issued.
    const failing = { ...published, disclosure: { ...published.disclosure!, passed: false, pinned: [{ cell: "e.withdrawn", value: 1 }] } };
    expect(() => assertPublishable(failing)).toThrow(
      "The 2025-Q4 report for North Safeguarding Children Partnership cannot be issued: a reader could work out 1 hidden figure from the others it shows, and hiding more cells did not prevent it. Issue it with exact figures (not for publication), or ask the warehouse's administrators to look at it.",
    );
  });

  it("freezes what the board saw, and shows later corrections as revised since issue", async () => {
    const { issueBoardReport, listIssuedReports, getIssuedReport, issuedReportFile } = await import("../reports/issuing");
    const { queryRows } = await import("../db/client");
    const { sql } = await import("drizzle-orm");
    const { TEST_ADMIN } = await import("./support/principals");
    const { importText } = await import("./support/records");
    const issued = await issueBoardReport(ctx.db, TEST_ADMIN, { ...REQUEST, published: false });
    expect((await listIssuedReports(ctx.db, TEST_ADMIN)).map((r) => r.id)).toContain(issued.id);
    const pdfBefore = (await issuedReportFile(ctx.db, TEST_ADMIN, issued.id, "pdf")).bytes;
    expect(Buffer.from(pdfBefore.subarray(0, 5)).toString()).toBe("%PDF-");
    expect(await getIssuedReport(ctx.db, TEST_ADMIN, issued.id)).toMatchObject({ revisions: [], procedureRevisions: [] });
    // The database keeps it as issued.
    await expect(queryRows(ctx.db, sql`update issued_reports set quarter = '2025-Q3' where id = ${issued.id}`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/an issued report is kept as issued/) },
    });
    // CSC uploads an escalation it had missed: raised in Q4 (20 Nov 2025) with POL on "other", resolved at stage 1 the same day.
    const late = await importText(ctx.db, "record_ref,raising_agency,receiving_agency,concern_arose_on,themes,stage1_on,status,closed_on\nE21,CSC,POL,2025-11-20,other,2025-11-20,resolved,2025-11-20\n", { kind: "escalations", agency: "CSC" });
    expect(late).toMatchObject({ outcome: "loaded", counts: { loaded: 1 } });
    const shown = await getIssuedReport(ctx.db, TEST_ADMIN, issued.id);
    // As issued: raised 11, closed 7, resolved 6 (hand-worked). Now: 12, 8, 7; CSC raised 10 → 11; POL received 3 → 4; stage 1 4 → 5.
    expect(shown.revisions).toEqual(expect.arrayContaining([
      { figure: "escalations.raised", asIssued: 11, now: 12 },
      { figure: "escalations.closed", asIssued: 7, now: 8 },
      { figure: "escalations.resolved", asIssued: 6, now: 7 },
      { figure: "escalations.byRaisingAgency.CSC", asIssued: 10, now: 11 },
      { figure: "escalations.byReceivingAgency.POL", asIssued: 3, now: 4 },
      { figure: "escalations.stageReached.1", asIssued: 4, now: 5 },
    ]));
    // Records corrected, no procedure version revised.
    expect(shown.procedureRevisions).toEqual([]);
    // The document and its files are still exactly what was issued.
    expect(shown.document.sections[0]!.blocks[0]).toEqual(exact.sections[0]!.blocks[0]);
    expect(Buffer.from((await issuedReportFile(ctx.db, TEST_ADMIN, issued.id, "pdf")).bytes).equals(Buffer.from(pdfBefore))).toBe(true);
  });
});

describe("the caveats' counts", () => {
  it("are cells of the publication: hidden when small in the published document, exact in the exact one", async () => {
    const { getDataQuality } = await import("../server/metrics/dataQuality");
    const quality = await getDataQuality(ctx.db, { partnerships: ["north"], from: "2025-Q4", to: "2025-Q4" });
    const rejected = quality.rows.reduce((n, r) => n + r.rowsRejected, 0);
    const skipped = quality.rows.reduce((n, r) => n + r.skippedStageRows, 0);
    expect(exact.caveats).toContain(`${rejected} uploaded rows were rejected during 2025-Q4 and are not counted until corrected.`);
    expect(exact.caveats).toContain(`${skipped} escalations raised in 2025-Q4 have a stage left without a date below a later dated stage.`);
    const shown = (n: number, text: string, some: string) => (n >= 1 && n <= 5 ? some : n === 0 ? `0 ${text}` : `${n} ${text}`);
    expect(published.caveats).toContain(shown(rejected, "uploaded rows were rejected during 2025-Q4 and are not counted until corrected.", "Some uploaded rows were rejected during 2025-Q4 (too few to publish: shown as c) and are not counted until corrected."));
    expect(published.caveats).toContain(shown(skipped, "escalations raised in 2025-Q4 have a stage left without a date below a later dated stage.", "Some escalations raised in 2025-Q4 (too few to publish: shown as c) have a stage left without a date below a later dated stage."));
    // Whatever they are, no count from 1 to 5 is printed in the published caveats.
    expect(published.caveats.join(" ").match(/(^|[^\d.,-])[1-5] (uploaded|escalations)/)).toBeNull();
  });
});
