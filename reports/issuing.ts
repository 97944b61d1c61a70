/**
 * Issuing a board report: the document model and its PDF and Word files are frozen in the warehouse
 * (the database refuses to change them), in one transaction with the audit row. Shown again later,
 * an issued report is compared with the same figures recomputed from today's records as of the same
 * date: where records were corrected since, it says "revised since issue" and lists what changed.
 */
import { desc, eq } from "drizzle-orm";
import { withTransaction, type Db } from "../db/client";
import { issuedReports } from "../db/schema";
import { authorize, isAllowed, type Principal } from "../server/access/permissions";
import { writeAudit } from "../server/audit";
import { NotFoundError } from "../server/errors";
import { getBoardDocument, type BoardDocument } from "./boardDocument";
import { getBoardReportFor } from "./boardReport";
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
  const document = await getBoardDocument(db, { ...request, published: request.published ?? true });
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

const summaryOf = (r: typeof issuedReports.$inferSelect): IssuedSummary => ({
  id: r.id,
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
    .select({ id: issuedReports.id, partnerships: issuedReports.partnerships, quarter: issuedReports.quarter, asOf: issuedReports.asOf, published: issuedReports.published, issuedBy: issuedReports.issuedBy, issuedAt: issuedReports.issuedAt })
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

export interface IssuedReport extends IssuedSummary {
  document: BoardDocument;
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
  await authorize(db, principal, "figures.read", { partnerships: row.partnerships });
  const document = row.document as BoardDocument;
  const now = await getBoardReportFor(db, { partnerships: row.partnerships, quarter: row.quarter, asOf: row.asOf, published: row.published });
  const revisions: Revision[] = [];
  differences(document.figures, now, "", revisions);
  return { ...summaryOf(row), document, revisions };
}

/** The frozen file of an issued report. */
export async function issuedReportFile(db: Db, principal: Principal, id: number, format: "pdf" | "docx"): Promise<{ bytes: Uint8Array; name: string }> {
  const [row] = await db.select().from(issuedReports).where(eq(issuedReports.id, id));
  if (!row) throw new NotFoundError(`There is no issued report ${id}.`);
  await authorize(db, principal, "figures.read", { partnerships: row.partnerships });
  await writeAudit(db, { actor: principal.email, action: "export.issued_report", scope: { partnerships: row.partnerships }, details: { id, format }, outcome: "success" });
  return { bytes: format === "pdf" ? row.pdf : row.docx, name: `board-report-${row.partnerships.join("+")}-${row.quarter}-issued-${id}.${format}` };
}
