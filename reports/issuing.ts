/**
 * Issuing a board report: the document model and its PDF and Word files are frozen in the warehouse
 * (the database refuses to change them), in one transaction with the audit row. Shown again later,
 * an issued report is compared with the same figures recomputed from today's records as of the same
 * date: where records were corrected since, or a procedure version of its partnerships was defined,
 * changed or removed (re-judging the escalations raised under it), it says "revised since issue" and
 * lists the figures that changed and the versions revised.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { withTransaction, type Db } from "../db/client";
import { issuedReports, partnerships as partnershipsTable, procedureVersions } from "../db/schema";
import { authorize, authorizeOrHide, isAllowed, type Principal } from "../server/access/permissions";
import { writeAudit } from "../server/audit";
import { InvalidRequestError, NotFoundError } from "../server/errors";
import type { IsoDate } from "../server/calendar/dates";
import { describeLimit, listProcedureVersions, type ProcedureVersion } from "../server/reference/procedureVersions";
import { profilePartnershipsFor } from "../server/access/recordScope";
import { readBoardDocument, type Block, type BoardDocument, type ReportDocument } from "./boardDocument";
import { getEvidenceDocument, getEvidenceReturn } from "./evidence";
import { getBoardReportFor } from "./boardReport";
import { NotPublishableError } from "./disclosure";
import { boardDocumentDocx } from "./docx";
import { boardDocumentPdf } from "./pdf";
import { stagesText, totalLimitText } from "./procedureText";

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

/**
 * An evidence return as issued: its document, which return it came from (to compare with today's),
 * and its partnerships' procedure versions at issue (absent from returns issued before they were kept).
 */
type IssuedEvidence = ReportDocument & { evidenceReturnId: number; procedureVersions?: ProcedureVersion[] };

/** A procedure version of an issued report's partnerships defined, changed or removed since the report was issued. */
export interface ProcedureRevision {
  partnership: string;
  /** The version's name (as it is now; as issued for a removed one). */
  version: string;
  effectiveFrom: IsoDate;
  change: "added" | "changed" | "removed";
  /** When it was last written; null for a removed version (its removal leaves no row). */
  at: Date | null;
  /** What changed, in words, where the report's copy of the version at issue says (e.g. "stage 2 limit: 14 calendar days → 10 calendar days"). */
  details: string[];
}

/** Issues an agency's evidence return (admins of its partnerships): frozen like a board report. */
export async function issueEvidenceReturn(db: Db, principal: Principal, evidenceReturnId: number): Promise<IssuedSummary> {
  const evidence = await getEvidenceReturn(db, principal, evidenceReturnId);
  const partnerships = await profilePartnershipsFor(db, principal, evidence.agency);
  await authorize(db, principal, "reports.issue", { partnerships });
  const document: IssuedEvidence = {
    ...(await getEvidenceDocument(db, principal, evidenceReturnId)),
    evidenceReturnId,
    procedureVersions: await listProcedureVersions(db, partnerships),
  };
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
  /** Figures that differ when recomputed from today's records (and procedure versions) as of the same date. */
  revisions: Revision[];
  /** The procedure versions of these partnerships defined, changed or removed since issue (they re-judge escalations). */
  procedureRevisions: ProcedureRevision[];
}

/** What differs between a version as the report kept it at issue and as it is now, in words. */
function versionChanges(before: ProcedureVersion, after: ProcedureVersion): string[] {
  const out: string[] = [];
  if (before.name !== after.name) out.push(`name: "${before.name}" → "${after.name}"`);
  if (before.stageWord !== after.stageWord) out.push(`levels called: ${before.stageWord} → ${after.stageWord}`);
  if (before.stages.length !== after.stages.length) out.push(`stages: ${before.stages.length} → ${after.stages.length}`);
  for (let k = 1; k <= Math.max(before.stages.length, after.stages.length); k++) {
    const [was, now] = [before.stages.find((s) => s.number === k), after.stages.find((s) => s.number === k)];
    if (!was) out.push(`stage ${k} added: ${now!.name}, ${describeLimit(now!.limitDays, now!.limitUnit)}`);
    else if (!now) out.push(`stage ${k} removed: ${was.name}, ${describeLimit(was.limitDays, was.limitUnit)}`);
    else {
      if (was.name !== now.name) out.push(`stage ${k} name: "${was.name}" → "${now.name}"`);
      if (was.limitDays !== now.limitDays || was.limitUnit !== now.limitUnit) {
        out.push(`stage ${k} limit: ${describeLimit(was.limitDays, was.limitUnit)} → ${describeLimit(now.limitDays, now.limitUnit)}`);
      }
      if ((was.level ?? null) !== (now.level ?? null)) out.push(`stage ${k} level: ${was.level ?? "none"} → ${now.level ?? "none"}`);
    }
  }
  if (before.totalLimitWorkingDays !== after.totalLimitWorkingDays) {
    out.push(`total limit: ${totalLimitText(before.totalLimitWorkingDays)} → ${totalLimitText(after.totalLimitWorkingDays)}`);
  }
  if (before.learningWithinMonths !== after.learningWithinMonths) out.push(`learning within: ${before.learningWithinMonths} → ${after.learningWithinMonths} months`);
  return out;
}

/**
 * The procedure versions of an issued report's partnerships written after it was issued (created or
 * updated: the version store bumps updated_at on any change, its stages' included), and those the
 * report kept at issue that are gone now.
 */
async function procedureRevisionsSince(db: Db, id: number, partnershipCodes: string[], atIssue: ProcedureVersion[] | undefined): Promise<ProcedureRevision[]> {
  if (partnershipCodes.length === 0) return [];
  const written = await db
    .select({
      id: procedureVersions.id,
      createdAt: procedureVersions.createdAt,
      updatedAt: procedureVersions.updatedAt,
      // Compared in the database: its timestamps are finer than a JavaScript date's.
      createdSinceIssue: sql<boolean>`${procedureVersions.createdAt} > ${issuedReports.issuedAt}`,
    })
    .from(procedureVersions)
    .innerJoin(partnershipsTable, eq(partnershipsTable.id, procedureVersions.partnershipId))
    .innerJoin(issuedReports, eq(issuedReports.id, id))
    .where(and(inArray(partnershipsTable.code, partnershipCodes), sql`greatest(${procedureVersions.createdAt}, ${procedureVersions.updatedAt}) > ${issuedReports.issuedAt}`));
  const current = await listProcedureVersions(db, partnershipCodes);
  const kept = new Map((atIssue ?? []).map((v) => [v.id, v]));
  const revisions: ProcedureRevision[] = [];
  for (const w of written) {
    const now = current.find((v) => v.id === w.id)!;
    const before = kept.get(w.id);
    const added = atIssue ? !before : w.createdSinceIssue === true;
    const at = w.updatedAt > w.createdAt ? w.updatedAt : w.createdAt;
    const base = { partnership: now.partnershipCode, version: now.name, effectiveFrom: now.effectiveFrom, at };
    if (added) revisions.push({ ...base, change: "added", details: [`stages: ${stagesText(now)}`, `total limit: ${totalLimitText(now.totalLimitWorkingDays)}`] });
    else revisions.push({ ...base, change: "changed", details: before ? versionChanges(before, now) : [] });
  }
  const ids = new Set(current.map((v) => v.id));
  for (const v of atIssue ?? []) {
    if (!ids.has(v.id)) revisions.push({ partnership: v.partnershipCode, version: v.name, effectiveFrom: v.effectiveFrom, change: "removed", at: null, details: [] });
  }
  return revisions.sort((a, b) => a.partnership.localeCompare(b.partnership) || a.effectiveFrom.localeCompare(b.effectiveFrom) || a.change.localeCompare(b.change));
}

/** JSON with every object's keys sorted: a frozen document comes back from jsonb with its keys reordered. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

function differences(before: unknown, after: unknown, at: string, out: Revision[]): void {
  // A chart's special-cause flags are one finding, not a figure per position in the list.
  if (/^spc\.[^.]+\.specialCause$/.test(at)) {
    if (canonical(before ?? null) !== canonical(after ?? null)) out.push({ figure: at, asIssued: before ?? null, now: after ?? null });
    return;
  }
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
    return { ...summaryOf(row), document, revisions, procedureRevisions: await procedureRevisionsSince(db, id, row.partnerships, document.procedureVersions) };
  }
  const document = row.document as BoardDocument;
  try {
    // A report issued before the board's charts carries no `spc`: compared without it, their arrival is no revision.
    const spc = typeof document.figures === "object" && document.figures !== null && "spc" in document.figures;
    const now = await getBoardReportFor(db, { partnerships: row.partnerships, quarter: row.quarter, asOf: row.asOf, published: row.published, spc });
    differences(document.figures, now, "", revisions);
  } catch (error) {
    // Today's figures, published, would let a reader work a hidden one out: say so rather than show them.
    if (!(error instanceof NotPublishableError)) throw error;
    revisions.push({ figure: "disclosure.check.passed", asIssued: true, now: false });
  }
  // Board reports issued before documents kept their versions carry none: then removals cannot be told.
  const procedureRevisions = await procedureRevisionsSince(db, id, row.partnerships, (document as Partial<BoardDocument>).procedureVersions);
  return { ...summaryOf(row), document, revisions, procedureRevisions };
}

/** The frozen file of an issued report. */
export async function issuedReportFile(db: Db, principal: Principal, id: number, format: "pdf" | "docx"): Promise<{ bytes: Uint8Array; name: string }> {
  const [row] = await db.select().from(issuedReports).where(eq(issuedReports.id, id));
  if (!row) throw new NotFoundError(`There is no issued report ${id}.`);
  await authorizeOrHide(db, principal, "figures.read", { partnerships: row.partnerships }, `There is no issued report ${id}.`);
  await writeAudit(db, { actor: principal.email, action: "export.issued_report", scope: { partnerships: row.partnerships }, details: { id, format }, outcome: "success" });
  return { bytes: format === "pdf" ? row.pdf : row.docx, name: `${row.kind === "evidence" ? "evidence-return" : "board-report"}-${row.partnerships.join("+")}-${row.quarter}-issued-${id}.${format}` };
}
