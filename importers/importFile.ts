/**
 * One upload, end to end: inspect the file, refuse what cannot be read at all, then in one
 * transaction record the batch, stage every row (valid or not), merge, keep the rejects and write
 * the audit entry. A dry run reads, checks, stages and matches every row as a commit does and
 * counts what it would write, without writing it (see mergeStaged), then rolls back: its preview is
 * what a commit of the same file would do.
 */
import { and, eq, sql } from "drizzle-orm";
import { queryRows, withTransaction, type Db } from "../db/client";
import { importBatches, type RejectFault } from "../db/schema";
import { writeAudit } from "../server/audit";
import { formatUkDate, todayInLondon, type IsoDate } from "../server/calendar/dates";
import type { UploadKind } from "./formats";
import { HeaderError, mapHeaders } from "./headers";
import { mergeStaged, type MergeCounts } from "./merge";
import type { ChildRefHasher } from "./pseudonymise";
import { EMPTY_FILE_MESSAGE, FileRefusedError, inspectFile, readRecords, type FileFacts, type RecordLimits } from "./readCsv";
import { loadReferenceContext } from "./referenceContext";
import { isBlankRow, readRow, UploadNotes, type RowContext } from "./rows";
import { UploadPace } from "./pace";
import { processWide } from "../db/processWide";
import { createStagingTable, StagingWriter } from "./staging";
import { shorten } from "./values";

export { FileRefusedError };

export interface ImportLimits extends RecordLimits {
  /** Largest file accepted, in bytes (IMPORT_MAX_BYTES, default 500 MB). */
  maxBytes: number;
  /** Most records accepted (IMPORT_MAX_ROWS, default 2,000,000). */
  maxRows: number;
}

/**
 * The limits an upload is held to, each settable in the environment. Cells, columns and row length
 * bound the memory one record can take while it is read (a hostile or broken file otherwise makes
 * papaparse buffer everything after an unclosed quote); the defaults are far above any real log:
 * 32,767 characters is the most an Excel cell holds.
 */
export function importLimits(): ImportLimits {
  const positive = (name: string, fallback: number) => {
    const raw = process.env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a whole number above 0, not "${raw}"`);
    return value;
  };
  return {
    maxBytes: positive("IMPORT_MAX_BYTES", 500_000_000),
    maxRows: positive("IMPORT_MAX_ROWS", 2_000_000),
    maxColumns: positive("IMPORT_MAX_COLUMNS", 500),
    maxCellChars: positive("IMPORT_MAX_CELL_CHARS", 32_767),
    maxRecordChars: positive("IMPORT_MAX_ROW_CHARS", 1_000_000),
  };
}

export interface ImportRequest {
  filePath: string;
  /** The name the user gave the file (shown in the history; never used as a path). */
  fileName: string;
  kind: UploadKind;
  /** The uploading agency's code. */
  agency: string;
  /** Who uploaded: an email, or cli:<user>. */
  actor: string;
  hasher: ChildRefHasher;
  dryRun?: boolean;
  /** Defaults to today in Europe/London (and the batch is timed now); dates after it are rejected. */
  uploadDate?: IsoDate;
  limits?: ImportLimits;
  /** How many rejects to return in the result (all when unset; all are kept with the batch). */
  rejectsToReturn?: number;
  /** Called as rows are staged (every few thousand rows), for progress displays. */
  onProgress?: (rowsRead: number) => void | Promise<void>;
}

export interface RejectRow {
  rowNumber: number;
  recordRef: string | null;
  faults: RejectFault[];
}

export type ImportResult =
  | {
      outcome: "loaded";
      dryRun: boolean;
      /** null on a dry run: nothing was kept. */
      batchId: number | null;
      rowsRead: number;
      counts: MergeCounts;
      notes: string[];
      rejects: RejectRow[];
    }
  | {
      outcome: "already_loaded";
      batchId: number;
      message: string;
    };

/** Rows staged per statement: small enough that reading a chunk holds the app's thread for tens of milliseconds, not a page's time. */
const CHUNK_ROWS = 2_500;
/** The advisory lock that lets one upload at a time write into the warehouse (any number may read and stage). */
export const MERGE_LOCK = 72210432;

/**
 * One upload at a time is read, checked and written by this process, first come first served: it
 * reads rows on the app's only thread, which also renders every page, and two at once took that
 * thread from the people reading the dashboard (bench/load.ts). A preview waits its turn too.
 */
const uploadsInTurn = processWide("uploadsInTurn", () => ({ last: Promise.resolve() as Promise<unknown> }));
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const turn = uploadsInTurn.last.then(work, work);
  // The queue only orders the uploads; each one's own failure reaches its caller through `turn`.
  uploadsInTurn.last = turn.catch(() => {});
  return turn;
}

class DryRunRollback extends Error {
  constructor(readonly result: ImportResult) {
    super("dry run");
  }
}

export async function importFile(db: Db, request: ImportRequest): Promise<ImportResult> {
  const limits = request.limits ?? importLimits();
  const uploadDate = request.uploadDate ?? todayInLondon();
  const ref = await loadReferenceContext(db);
  const uploader = ref.agencyByCode(request.agency);
  if (!uploader) {
    throw new FileRefusedError(`There is no agency with the code "${request.agency}". Use one of: ${ref.agencies.map((a) => a.code).join(", ")}.`);
  }

  let facts: FileFacts;
  try {
    facts = await inspectFile(request.filePath, limits.maxBytes);
  } catch (error) {
    if (error instanceof FileRefusedError && !request.dryRun) await auditRefusal(db, request, error.message);
    throw error;
  }

  const [earlier] = await db
    .select({ id: importBatches.id, uploadedAt: importBatches.uploadedAt, fileName: importBatches.fileName, uploadedBy: importBatches.uploadedBy })
    .from(importBatches)
    .where(
      and(
        eq(importBatches.fileSha256, facts.sha256),
        eq(importBatches.agencyId, uploader.id),
        eq(importBatches.kind, request.kind),
        eq(importBatches.status, "in_force"),
      ),
    )
    .limit(1);
  if (earlier) {
    const when = formatUkDate(earlier.uploadedAt.toISOString().slice(0, 10));
    const message =
      `This file was already uploaded as batch ${earlier.id} ("${earlier.fileName}", ${when}, by ${earlier.uploadedBy}) and that batch is in force: ` +
      "nothing has changed. To load it again, undo that batch first.";
    if (!request.dryRun) {
      await writeAudit(db, {
        actor: request.actor,
        action: "import.already_loaded",
        scope: { agency: uploader.code },
        details: { kind: request.kind, fileName: request.fileName, sha256: facts.sha256, earlierBatch: earlier.id },
        outcome: "success",
      });
    }
    return { outcome: "already_loaded", batchId: earlier.id, message };
  }

  try {
    const result = await oneAtATime(() => withTransaction(db, async (tx) => {
      const [batch] = await tx
        .insert(importBatches)
        .values({
          kind: request.kind,
          agencyId: uploader.id,
          fileName: request.fileName,
          fileSha256: facts.sha256,
          uploadedBy: request.actor,
          // An upload dated by the caller (tests, back-loading) is recorded at midday that day.
          ...(request.uploadDate ? { uploadedAt: new Date(`${request.uploadDate}T12:00:00Z`) } : {}),
        })
        .returning({ id: importBatches.id });
      const batchId = batch!.id;
      await createStagingTable(tx, request.kind);
      const notes = new UploadNotes();
      const pace = new UploadPace(tx);
      const staged = await stageRows(tx, request, facts, { ref, uploader, uploadDate, hasher: request.hasher, notes }, limits, pace);
      // Uploads are read and staged side by side, but written one at a time: two large merges at
      // once took both cores from the people reading the dashboard (bench/load.ts). The lock is
      // the transaction's, so it is let go at commit or rollback, whatever happens.
      if (!request.dryRun) await tx.execute(sql`select pg_advisory_xact_lock(${MERGE_LOCK})`);
      const counts = await mergeStaged(tx, request.kind, batchId, uploader.id, !request.dryRun, pace);
      const noteLines = describeNotes(facts, staged.unknownColumns, notes, request.kind);
      await tx
        .update(importBatches)
        .set({ rowsRead: staged.rowsRead, ...counts, notes: noteLines })
        .where(eq(importBatches.id, batchId));
      const rejects = await queryRows<{ row_number: number; record_ref: string | null; faults: RejectFault[] }>(
        tx,
        sql`select row_number, record_ref, faults from import_rejects where batch_id = ${batchId}
            order by row_number limit ${request.rejectsToReturn ?? null}`,
      );
      const result: ImportResult = {
        outcome: "loaded",
        dryRun: request.dryRun ?? false,
        batchId: request.dryRun ? null : batchId,
        rowsRead: staged.rowsRead,
        counts,
        notes: noteLines,
        rejects: rejects.map((r) => ({ rowNumber: r.row_number, recordRef: r.record_ref, faults: r.faults })),
      };
      if (request.dryRun) throw new DryRunRollback(result);
      await writeAudit(tx, {
        actor: request.actor,
        action: "import.commit",
        scope: { agency: uploader.code },
        details: { batchId, kind: request.kind, fileName: request.fileName, sha256: facts.sha256, rowsRead: staged.rowsRead, ...counts },
        outcome: "success",
      });
      return result;
    }));
    // (A dry run never gets here: it leaves the transaction by DryRunRollback.)
    if (result.outcome === "loaded") await refreshStatistics(db, request.kind, result.batchId!, result.counts.loaded + result.counts.replaced);
    return result;
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result;
    if (error instanceof HeaderError) {
      const refused = new FileRefusedError(error.message);
      if (!request.dryRun) await auditRefusal(db, request, refused.message);
      throw refused;
    }
    if (error instanceof FileRefusedError && !request.dryRun) await auditRefusal(db, request, error.message);
    throw error;
  }
}

/** The tables each kind of upload writes. */
const WRITTEN: Record<UploadKind, string[]> = {
  escalations: ["escalations", "escalation_versions"],
  dissent: ["dissents", "dissent_versions"],
  conference_activity: ["conference_activity", "conference_activity_versions"],
};

/**
 * After a large upload, the planner's statistics for the tables it wrote are refreshed at once
 * (ANALYZE samples a fixed number of rows: a fraction of a second). Without this, the pages read a
 * partnership that has just doubled as if it had not (the embedded database never refreshes them by
 * itself; a server only after a while). The upload has committed by now: a failure here is logged,
 * not reported as the upload failing.
 */
async function refreshStatistics(db: Db, kind: UploadKind, batchId: number, rowsWritten: number): Promise<void> {
  if (rowsWritten < 1_000) return;
  try {
    await db.execute(sql.raw(`analyze ${WRITTEN[kind].join(", ")}`));
  } catch (error) {
    console.error(`Batch ${batchId} loaded, but the statistics of ${WRITTEN[kind].join(" and ")} were not refreshed:`, (error as Error).message);
  }
}

async function stageRows(
  tx: Db,
  request: ImportRequest,
  facts: FileFacts,
  partial: Omit<RowContext, "mapping">,
  limits: ImportLimits,
  pace: UploadPace,
): Promise<{ rowsRead: number; unknownColumns: string[] }> {
  const writer = new StagingWriter(tx, request.kind);
  let context: RowContext | undefined;
  let headerLength = 0;
  let rowNumber = 0;
  let rowsRead = 0;
  for await (const cells of readRecords(request.filePath, facts, limits)) {
    rowNumber++;
    if (!context) {
      context = { ...partial, mapping: mapHeaders(request.kind, cells) };
      headerLength = cells.length;
      continue;
    }
    if (isBlankRow(cells)) continue;
    rowsRead++;
    if (rowsRead > limits.maxRows) {
      throw new FileRefusedError(
        `The file has more than ${limits.maxRows.toLocaleString("en-GB")} records, the most one upload may hold. Split it into smaller files (for example by quarter).`,
      );
    }
    const row = readRow(request.kind, cells, rowNumber, context);
    if (cells.length > headerLength && cells.slice(headerLength).some((c) => c.trim() !== "")) {
      row.faults.push({
        column: "(whole row)",
        value: `${cells.length} cells`,
        reason: `has ${cells.length} cells but the header has ${headerLength}; a value may contain an unquoted ${facts.delimiter === "\t" ? "tab" : `"${facts.delimiter}"`}`,
        rule: "extra_cells",
      });
    }
    writer.add(row);
    if (writer.pending >= CHUNK_ROWS) {
      // The previous chunk is written before the pace asks the server anything: a query sent behind
      // a write on a connection that is lost meanwhile is never answered (postgres.js), and the
      // upload would hang instead of failing.
      await writer.settle();
      await pace.giveWay();
      await writer.flush();
      await request.onProgress?.(rowsRead);
    }
  }
  await writer.finish();
  if (rowsRead > 0) await request.onProgress?.(rowsRead);
  if (!context) throw new FileRefusedError(EMPTY_FILE_MESSAGE);
  if (rowsRead === 0) throw new FileRefusedError("The file has a header row but no records.");
  return { rowsRead, unknownColumns: context.mapping.unknown };
}

function describeNotes(facts: FileFacts, unknownColumns: string[], notes: UploadNotes, kind: UploadKind): string[] {
  const lines: string[] = [];
  if (facts.encoding === "windows-1252") lines.push("The file was not UTF-8, so it was read as Windows-1252 (as Excel on Windows saves CSV).");
  if (facts.delimiter !== ",") lines.push(`Cells were separated by ${facts.delimiter === ";" ? "semicolons" : "tabs"}.`);
  if (unknownColumns.length) {
    // Named briefly: a file may carry hundreds of unknown columns, some with very long headers.
    const named = unknownColumns.slice(0, 20).map((c) => shorten(c, 60));
    const more = unknownColumns.length > named.length ? ` and ${unknownColumns.length - named.length} more` : "";
    lines.push(`Columns ignored because they are not part of the ${kind.replace("_", " ")} format: ${named.join(", ")}${more}.`);
  }
  if (notes.twoDigitYears) lines.push(`Two-digit years were read as 20yy (for example 03/03/25 as 3 March 2025) in ${notes.twoDigitYears} date(s).`);
  if (notes.skippedStageCount) {
    const shown = notes.skippedStageRows.join(", ");
    lines.push(
      `${notes.skippedStageCount} row(s) skip a stage (a later stage is dated while an earlier one is empty), e.g. row(s) ${shown}. ` +
        "They are loaded and counted as skipped stages in data quality.",
    );
  }
  return lines;
}

async function auditRefusal(db: Db, request: ImportRequest, message: string): Promise<void> {
  await writeAudit(db, {
    actor: request.actor,
    action: "import.refused",
    scope: { agency: request.agency },
    details: { kind: request.kind, fileName: request.fileName, message },
    outcome: "refused",
  });
}
