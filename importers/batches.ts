/** Upload history, rejects, and undo. */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { queryRows, withTransaction, type Db } from "../db/client";
import { agencies, importBatches, type RejectFault } from "../db/schema";
import { writeAudit } from "../server/audit";
import { authorizeOrHide, type Principal } from "../server/access/permissions";
import { InvalidRequestError, NotFoundError } from "../server/errors";
import { UPLOAD_KINDS, type UploadKind } from "./formats";
import { batchesReplacingRowsOf, reverseBatch, type UndoCounts } from "./merge";

export interface BatchSummary {
  id: number;
  kind: string;
  agency: string | null;
  fileName: string;
  uploadedBy: string;
  uploadedAt: Date;
  status: string;
  undoneAt: Date | null;
  undoneBy: string | null;
  rowsRead: number;
  loaded: number;
  replaced: number;
  unchanged: number;
  rejected: number;
  notes: string[];
}

const batchColumns = {
  id: importBatches.id,
  kind: importBatches.kind,
  agency: agencies.code,
  fileName: importBatches.fileName,
  uploadedBy: importBatches.uploadedBy,
  uploadedAt: importBatches.uploadedAt,
  status: importBatches.status,
  undoneAt: importBatches.undoneAt,
  undoneBy: importBatches.undoneBy,
  rowsRead: importBatches.rowsRead,
  loaded: importBatches.loaded,
  replaced: importBatches.replaced,
  unchanged: importBatches.unchanged,
  rejected: importBatches.rejected,
  notes: importBatches.notes,
};

/** Upload batches, newest first: of one agency, or of the agencies given ("all" for every agency). */
export async function listBatches(db: Db, params: { agency?: string; visibleAgencies?: string[] | "all"; limit?: number } = {}): Promise<BatchSummary[]> {
  const visible = params.visibleAgencies ?? "all";
  const filters = [
    params.agency ? eq(agencies.code, params.agency) : undefined,
    visible === "all" ? undefined : visible.length ? inArray(agencies.code, visible) : sql`false`,
  ].filter(Boolean);
  const query = db.select(batchColumns).from(importBatches).leftJoin(agencies, eq(agencies.id, importBatches.agencyId));
  return (filters.length ? query.where(and(...filters)) : query).orderBy(desc(importBatches.id)).limit(params.limit ?? 100);
}

export async function getBatch(db: Db, batchId: number): Promise<BatchSummary> {
  const [batch] = await db.select(batchColumns).from(importBatches).leftJoin(agencies, eq(agencies.id, importBatches.agencyId)).where(eq(importBatches.id, batchId));
  if (!batch) throw new NotFoundError(`There is no upload batch ${batchId}.`);
  return batch;
}

export async function getRejects(db: Db, batchId: number): Promise<Array<{ rowNumber: number; recordRef: string | null; faults: RejectFault[] }>> {
  const rows = await queryRows<{ row_number: number; record_ref: string | null; faults: RejectFault[] }>(
    db,
    sql`select row_number, record_ref, faults from import_rejects where batch_id = ${batchId} order by row_number`,
  );
  return rows.map((r) => ({ rowNumber: r.row_number, recordRef: r.record_ref, faults: r.faults }));
}

/** Undoes a batch for a signed-in person, who must be allowed to upload for the batch's agency. */
export async function undoBatchAs(db: Db, principal: Principal, batchId: number): Promise<UndoCounts & { batchId: number }> {
  const batch = await getBatch(db, batchId);
  // A batch without an agency is nobody's to undo here (an empty target would mean "any").
  if (!batch.agency) throw new NotFoundError(`There is no upload batch ${batchId}.`);
  await authorizeOrHide(db, principal, "uploads.write", { agency: batch.agency }, `There is no upload batch ${batchId}.`);
  return undoBatch(db, batchId, principal.email);
}

/**
 * Undoes an upload: removes the rows it created and restores exactly the versions it replaced, with
 * its audit entry, in one transaction. Undoing twice, or undoing a batch whose rows a later upload
 * has replaced, is refused with a message.
 */
export async function undoBatch(db: Db, batchId: number, actor: string): Promise<UndoCounts & { batchId: number }> {
  try {
    return await reverseInTransaction(db, batchId, actor);
  } catch (error) {
    if (error instanceof InvalidRequestError || error instanceof NotFoundError) {
      await writeAudit(db, { actor, action: "import.undo", details: { batchId, message: error.message }, outcome: "refused" });
    }
    throw error;
  }
}

async function reverseInTransaction(db: Db, batchId: number, actor: string): Promise<UndoCounts & { batchId: number }> {
  return withTransaction(db, async (tx) => {
    const [batch] = await tx.select().from(importBatches).where(eq(importBatches.id, batchId)).for("update");
    if (!batch) throw new NotFoundError(`There is no upload batch ${batchId}.`);
    if (batch.status === "undone") {
      throw new InvalidRequestError(
        `Batch ${batchId} ("${batch.fileName}") was already undone on ${batch.undoneAt?.toISOString().slice(0, 16).replace("T", " ")} by ${batch.undoneBy}; nothing has changed.`,
      );
    }
    if (!(UPLOAD_KINDS as readonly string[]).includes(batch.kind)) {
      throw new InvalidRequestError(`Batch ${batchId} is a ${batch.kind} batch, which cannot be undone.`);
    }
    const kind = batch.kind as UploadKind;
    const later = await batchesReplacingRowsOf(tx, kind, batchId);
    if (later.length) {
      throw new InvalidRequestError(
        `Batch ${batchId} cannot be undone yet: later upload(s) ${later.join(", ")} replaced some of its rows. Undo ${later.length === 1 ? "that batch" : "those batches"} first.`,
      );
    }
    const counts = await reverseBatch(tx, kind, batchId);
    await tx.update(importBatches).set({ status: "undone", undoneAt: new Date(), undoneBy: actor }).where(eq(importBatches.id, batchId));
    await writeAudit(tx, {
      actor,
      action: "import.undo",
      scope: { agencyId: batch.agencyId },
      details: { batchId, kind, fileName: batch.fileName, ...counts },
      outcome: "success",
    });
    return { batchId, ...counts };
  });
}
