/**
 * Self-assessment evidence returns over the hand-worked world (tests/support/handWorld.ts): who may
 * make one, the figures it holds (worked by hand), the answers stored with it, and its PDF and Word.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeSharedChromium } from "../reports/chromium";
import { boardDocumentDocx } from "../reports/docx";
import { createEvidenceReturn, getEvidenceDocument, listEvidenceReturns } from "../reports/evidence";
import { boardDocumentPdf } from "../reports/pdf";
import type { Principal } from "../server/access/permissions";
import { useTestWarehouse } from "./support/db";
import { loadHandWorkedWorld } from "./support/handWorld";

const ctx = useTestWarehouse();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ew-evidence-"));
const person = (email: string, grants: Principal["grants"]): Principal => ({ userId: email, email, name: email, grants });
const CSC_LEAD = person("lead@csc.example", [{ role: "agency_lead", partnerships: [], agency: "CSC" }]);
const HLT_LEAD = person("lead@hlt.example", [{ role: "agency_lead", partnerships: [], agency: "HLT" }]);
const UPLOADER = person("uploader@csc.example", [{ role: "uploader", partnerships: [], agency: "CSC" }]);
const ADMIN_SOUTH = person("admin@south.example", [{ role: "admin", partnerships: ["south"], agency: null }]);
const ANSWERS = { awareness: "Induction covers the procedure; a yearly audit checks it.", training: "Twelve staff attended the partnership's escalation workshop.", feedback: "=cmd|' /C calc'!A0" };

beforeAll(async () => {
  await loadHandWorkedWorld(ctx.db);
});
afterAll(async () => {
  await closeSharedChromium();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("self-assessment evidence", () => {
  it("is made by the agency's lead (or an admin of its partnership), not by others", async () => {
    const request = { agency: "CSC", from: "2025-Q3", to: "2025-Q4", asOf: "2026-01-09", answers: ANSWERS };
    await expect(createEvidenceReturn(ctx.db, HLT_LEAD, request)).rejects.toThrow(/may not see or change agency CSC/);
    await expect(createEvidenceReturn(ctx.db, UPLOADER, request)).rejects.toThrow(/may not see or change agency CSC/);
    await expect(createEvidenceReturn(ctx.db, ADMIN_SOUTH, request)).rejects.toThrow(/may not see or change agency CSC/);
    const made = await createEvidenceReturn(ctx.db, CSC_LEAD, request);
    // CSC is children's social care: the Section 11 standard.
    expect(made).toMatchObject({ agency: "CSC", standard: "s11", from: "2025-Q3", to: "2025-Q4", answers: ANSWERS });
    expect((await listEvidenceReturns(ctx.db, CSC_LEAD, "CSC")).map((r) => r.id)).toEqual([made.id]);
    expect(await listEvidenceReturns(ctx.db, HLT_LEAD, "CSC")).toEqual([]);
  });

  it("holds the agency's figures for the period and its answers, in PDF and Word", async () => {
    const [made] = await listEvidenceReturns(ctx.db, CSC_LEAD, "CSC");
    const doc = await getEvidenceDocument(ctx.db, CSC_LEAD, made!.id);
    // Q3 2025: CSC raised E14; Q4: all but E8 (10). Received: E8 (HLT → CSC, 15 Dec) only, still open. Partnership: 1 + 11 = 12.
    // Overdue on 9 Jan 2026 among those received: E8 (stage 2 since 16 Dec). CSC dissented from no conference decision.
    expect(doc.summary).toEqual([
      "North Children's Social Care raised 11 escalations and received 1 from 2025-Q3 to 2025-Q4; across the partnership 12 were raised.",
      "None of the escalations raised with North Children's Social Care was resolved in the period.",
      "1 escalation raised with North Children's Social Care was overdue on 9 January 2026.",
      "North Children's Social Care dissented from 0 child protection conference decisions in the period.",
    ]);
    const pdf = path.join(scratch, "evidence.pdf");
    fs.writeFileSync(pdf, await boardDocumentPdf(doc));
    const pages = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" }).split("\f").filter((p) => p.trim());
    expect(pages.filter((p) => !p.includes("OFFICIAL: for the partnership's safeguarding self-assessment"))).toEqual([]);
    const text = pages.join("\n");
    expect(text).toMatch(/Section 11\s+\(Children Act 2004\)/);
    expect(text).toContain("North Safeguarding Children Partnership");
    expect(text).toContain(ANSWERS.training);
    const docx = path.join(scratch, "evidence.docx");
    fs.writeFileSync(docx, await boardDocumentDocx(doc));
    const xml = execFileSync("unzip", ["-p", docx, "word/document.xml"], { encoding: "utf8" });
    expect(xml).toContain("Twelve staff attended the partnership&apos;s escalation workshop.");
  });
});

describe("issuing an evidence return", () => {
  it("freezes it (admins of the agency's partnership) and shows later corrections as revisions", async () => {
    const { issueEvidenceReturn, getIssuedReport } = await import("../reports/issuing");
    const { importText } = await import("./support/records");
    const ADMIN_NORTH = person("admin@north.example", [{ role: "admin", partnerships: ["north"], agency: null }]);
    const [made] = await listEvidenceReturns(ctx.db, CSC_LEAD, "CSC");
    await expect(issueEvidenceReturn(ctx.db, CSC_LEAD, made!.id)).rejects.toThrow(/may not see or change/);
    const issued = await issueEvidenceReturn(ctx.db, ADMIN_NORTH, made!.id);
    expect(issued).toMatchObject({ kind: "evidence", partnerships: ["north"], quarter: "2025-Q4" });
    expect((await getIssuedReport(ctx.db, ADMIN_NORTH, issued.id)).revisions).toEqual([]);
    // HLT uploads an escalation it raised with CSC in Q4 (2 Dec 2025), still open: CSC then received 2, not 1.
    await importText(ctx.db, "record_ref,partnership,raising_agency,receiving_agency,concern_arose_on,themes,status\nH1,north,HLT,CSC,2025-12-02,services,open\n", { kind: "escalations", agency: "HLT" });
    const revisions = (await getIssuedReport(ctx.db, ADMIN_NORTH, issued.id)).revisions;
    expect(revisions).toEqual(expect.arrayContaining([
      { figure: "How North Children's Social Care used the procedure, 2025-Q3 to 2025-Q4 / Escalations raised with the agency / North Children's Social Care", asIssued: 1, now: 2 },
    ]));
  });
});
