/**
 * Issuing a board report: the document model and its PDF and Word files are frozen in the warehouse
 * (the database refuses to change them), in one transaction with the audit row. Shown again later,
 * an issued report is compared with the same figures recomputed from today's records as of the same
 * date: where records were corrected since, it says "revised since issue" and lists what changed.
 */
import { desc, eq } from "drizzle-orm";
import { withTransaction, type Db } from "../db/client";
import { issuedReports } from "../db/schema";
import { authorize, authorizeOrHide, isAllowed, type Principal } from "../server/access/permissions";
import { writeAudit } from "../server/audit";
import { InvalidRequestError, NotFoundError } from "../server/errors";
import { profilePartnershipsFor } from "../server/access/recordScope";
import { readBoardDocument, type Block, type BoardDocument, type ReportDocument } from "./boardDocument";
import { getEvidenceDocument, getEvidenceReturn } from "./evidence";
import { getBoardReportFor } from "./boardReport";
import { NotPublishableError } from "./disclosure";
import { boardDocumentDocx } from "./docx";
import { boardDocumentPdf } from "./pdf";

export interface IssueRequest {
  partnerships: string[];
  quarter: string;
  asOf?: string;
  /** Published (disclosure-controlled) unless false. */
  published?: boolean;
}

export interface IssuedSummary {
  id: number;
  /** 'board' or 'evidence'. */
  kind: string;
  partnerships: string[];
  quarter: string;
  asOf: string;
  published: boolean;
  issuedBy: string;
  issuedAt: Date;
}

/** Issues the board report (admins, for partnerships in their scope). */
export async function issueBoardReport(db: Db, principal: Principal, request: IssueRequest): Promise<IssuedSummary> {
  await authorize(db, principal, "reports.issue", { partnerships: request.partnerships });
  // Read without the download's refusal, so that issuing refuses in its own words (issue it exact instead).
  const document = await readBoardDocument(db, { ...request, published: request.published ?? true });
  assertPublishable(document);
  const [pdf, docx] = [await boardDocumentPdf(document), await boardDocumentDocx(document)];
  return withTransaction(db, async (tx) => {
    const [row] = await tx
      .insert(issuedReports)
      .values({
        kind: "board",
        partnerships: document.figures.partnerships,
        quarter: document.quarter,
        asOf: document.asOf,
        published: document.published,
        document,
        pdf,
        docx,
        issuedBy: principal.email,
      })
      .returning();
    await writeAudit(tx, {
      actor: principal.email,
      action: "report.issue",
      scope: { partnerships: document.figures.partnerships },
      details: { id: row!.id, quarter: document.quarter, asOf: document.asOf, published: document.published },
      outcome: "success",
    });
    return summaryOf(row!);
  });
}

/**
 * A published document is issued only when it passes the test of METRICS.md (no hidden cell can be
 * worked out from what it shows); exact documents are marked not for publication instead.
 */
export function assertPublishable(document: BoardDocument): void {
  if (!document.published) return;
  const check = document.disclosure;
  if (check?.passed) return;
  const cells = check?.pinned.length ?? 0;
  throw new InvalidRequestError(
    `The ${document.quarterLabel} report for ${document.partnerships.join(", ")} cannot be issued: ` +
      (cells
        ? `a reader could work out ${cells === 1 ? "1 hidden figure" : `${cells} hidden figures`} from the others it shows, and hiding more cells did not prevent it. `
        : "its figures could not be checked against the disclosure rules. ") +
      "Issue it with exact figures (not for publication), or ask the warehouse's administrators to look at it.",
  );
}

const summaryOf = (r: Omit<typeof issuedReports.$inferSelect, "pdf" | "docx" | "document">): IssuedSummary => ({
  id: r.id,
  kind: r.kind,
  partnerships: r.partnerships,
  quarter: r.quarter,
  asOf: r.asOf,
  published: r.published,
  issuedBy: r.issuedBy,
  issuedAt: r.issuedAt,
});

/** Issued board reports the person may read (partnerships within their figures scope), newest first. */
export async function listIssuedReports(db: Db, principal: Principal): Promise<IssuedSummary[]> {
  const rows = await db
    .select({ id: issuedReports.id, kind: issuedReports.kind, partnerships: issuedReports.partnerships, quarter: issuedReports.quarter, asOf: issuedReports.asOf, published: issuedReports.published, issuedBy: issuedReports.issuedBy, issuedAt: issuedReports.issuedAt })
    .from(issuedReports)
    .orderBy(desc(issuedReports.issuedAt), desc(issuedReports.id));
  const visible: IssuedSummary[] = [];
  for (const r of rows) if (await isAllowed(db, principal, "figures.read", { partnerships: r.partnerships })) visible.push(r);
  return visible;
}

export interface Revision {
  /** Where the figure is in the report (e.g. escalations.raised). */
  figure: string;
  asIssued: unknown;
  now: unknown;
}

/** An evidence return as issued: its document, and which return it came from (to compare with today's). */
type IssuedEvidence = ReportDocument & { evidenceReturnId: number };

/** Issues an agency's evidence return (admins of its partnerships): frozen like a board report. */
export async function issueEvidenceReturn(db: Db, principal: Principal, evidenceReturnId: number): Promise<IssuedSummary> {
  const evidence = await getEvidenceReturn(db, principal, evidenceReturnId);
  const partnerships = await profilePartnershipsFor(db, principal, evidence.agency);
  await authorize(db, principal, "reports.issue", { partnerships });
  const document: IssuedEvidence = { ...(await getEvidenceDocument(db, principal, evidenceReturnId)), evidenceReturnId };
  const [pdf, docx] = [await boardDocumentPdf(document), await boardDocumentDocx(document)];
  return withTransaction(db, async (tx) => {
    const [row] = await tx
      .insert(issuedReports)
      .values({ kind: "evidence", partnerships, quarter: evidence.to, asOf: evidence.asOf, published: false, document, pdf, docx, issuedBy: principal.email })
      .returning();
    await writeAudit(tx, {
      actor: principal.email,
      action: "report.issue",
      scope: { partnerships, agency: evidence.agency },
      details: { id: row!.id, kind: "evidence", evidenceReturnId, from: evidence.from, to: evidence.to },
      outcome: "success",
    });
    return summaryOf(row!);
  });
}

/** The cells of a document's tables, by caption, row and column (charts and text aside). */
function tableCells(doc: ReportDocument): Record<string, unknown> {
  const cells: Record<string, unknown> = {};
  for (const block of doc.sections.flatMap((s) => s.blocks) as Block[]) {
    if (block.kind !== "table") continue;
    for (const row of block.rows) row.slice(1).forEach((v, i) => (cells[`${block.caption} / ${String(row[0])} / ${block.columns[i + 1]}`] = v));
  }
  return cells;
}

export interface IssuedReport extends IssuedSummary {
  document: ReportDocument;
  /** Figures that differ when recomputed from today's records as of the same date. */
  revisions: Revision[];
}

function differences(before: unknown, after: unknown, at: string, out: Revision[]): void {
  if (typeof before === "object" && before !== null && typeof after === "object" && after !== null) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of [...keys].sort()) differences((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k], at ? `${at}.${k}` : k, out);
    return;
  }
  if (before !== after) out.push({ figure: at, asIssued: before ?? null, now: after ?? null });
}

/** An issued report as issued, with what has been revised since. */
export async function getIssuedReport(db: Db, principal: Principal, id: number): Promise<IssuedReport> {
  const [row] = await db.select().from(issuedReports).where(eq(issuedReports.id, id));
  if (!row) throw new NotFoundError(`There is no issued report ${id}.`);
  await authorizeOrHide(db, principal, "figures.read", { partnerships: row.partnerships }, `There is no issued report ${id}.`);
  const revisions: Revision[] = [];
  if (row.kind === "evidence") {
    const document = row.document as IssuedEvidence;
    differences(tableCells(document), tableCells(await getEvidenceDocument(db, principal, document.evidenceReturnId)), "", revisions);
    return { ...summaryOf(row), document, revisions };
  }
  const document = row.document as BoardDocument;
  try {
    const now = await getBoardReportFor(db, { partnerships: row.partnerships, quarter: row.quarter, asOf: row.asOf, published: row.published });
    differences(document.figures, now, "", revisions);
  } catch (error) {
    // Today's figures, published, would let a reader work a hidden one out: say so rather than show them.
    if (!(error instanceof NotPublishableError)) throw error;
    revisions.push({ figure: "disclosure.check.passed", asIssued: true, now: false });
  }
  return { ...summaryOf(row), document, revisions };
}

/** The frozen file of an issued report. */
export async function issuedReportFile(db: Db, principal: Principal, id: number, format: "pdf" | "docx"): Promise<{ bytes: Uint8Array; name: string }> {
  const [row] = await db.select().from(issuedReports).where(eq(issuedReports.id, id));
  if (!row) throw new NotFoundError(`There is no issued report ${id}.`);
  await authorizeOrHide(db, principal, "figures.read", { partnerships: row.partnerships }, `There is no issued report ${id}.`);
  await writeAudit(db, { actor: principal.email, action: "export.issued_report", scope: { partnerships: row.partnerships }, details: { id, format }, outcome: "success" });
  return { bytes: format === "pdf" ? row.pdf : row.docx, name: `${row.kind === "evidence" ? "evidence-return" : "board-report"}-${row.partnerships.join("+")}-${row.quarter}-issued-${id}.${format}` };
}
