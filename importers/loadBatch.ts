/**
 * Loading one upload in one transaction: the batch record, every row staged (valid or not), the
 * merge into the warehouse, the rejects kept and the audit entry. A dry run does all of this but
 * the writes (see mergeStaged) and rolls back: its preview is what a commit of the same file would do.
 */
import { eq, sql } from "drizzle-orm";
import { queryRows, withTransaction, type Db } from "../db/client";
import { importBatches, type RejectFault } from "../db/schema";
import type { IsoDate } from "../server/calendar/dates";
import type { UploadKind } from "./formats";
import { auditCommit } from "./importAudit";
import type { ImportLimits, ImportRequest, ImportResult } from "./importRequest";
import { mergeStaged, partnershipsWritten } from "./merge";
import { UploadPace } from "./pace";
import type { FileFacts } from "./readCsv";
import type { AgencyRef, ReferenceContext } from "./referenceContext";
import { UploadNotes } from "./rows";
import { describeNotes, stageFile } from "./stageFile";
import { createStagingTable } from "./staging";
import { oneAtATime, takeWritingTurn } from "./turns";

class DryRunRollback extends Error {
  constructor(readonly result: ImportResult) {
    super("dry run");
  }
}

export interface LoadContext {
  facts: FileFacts;
  ref: ReferenceContext;
  uploader: AgencyRef;
  uploadDate: IsoDate;
  limits: ImportLimits;
}

/** Loads (or, on a dry run, previews) the file, in this process's turn. */
export async function loadBatch(db: Db, request: ImportRequest, context: LoadContext): Promise<ImportResult> {
  const { facts, ref, uploader, uploadDate, limits } = context;
  try {
    const result = await oneAtATime(() =>
      withTransaction(db, async (tx) => {
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
        const staged = await stageFile(tx, request, facts, { ref, uploader, uploadDate, hasher: request.hasher, notes }, limits, pace);
        if (!request.dryRun) await takeWritingTurn(tx);
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
        const partnerships = (await partnershipsWritten(tx, request.kind)).map((id) => ref.partnershipById.get(id)?.code ?? String(id));
        await auditCommit(tx, { actor: request.actor, agency: uploader.code, kind: request.kind, fileName: request.fileName }, {
          batchId, sha256: facts.sha256, rowsRead: staged.rowsRead, counts, partnerships,
        });
        return result;
      }),
    );
    // (A dry run never gets here: it leaves the transaction by DryRunRollback.)
    if (result.outcome === "loaded") await refreshStatistics(db, request.kind, result.batchId!, result.counts.loaded + result.counts.replaced);
    return result;
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result;
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
