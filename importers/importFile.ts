/**
 * One upload, end to end: find the uploading agency, inspect the file and refuse what cannot be
 * read at all, recognise bytes already loaded, then load it in one transaction (loadBatch.ts). A
 * dry run reads, checks, stages and matches every row as a commit does, without writing; its
 * preview is what a commit of the same file would do.
 *
 * The jobs live apart: what a request and its result are (importRequest.ts), reading and checking
 * rows into staging (stageFile.ts), the transaction and merge (loadBatch.ts, merge.ts), the turns
 * uploads take (turns.ts) and the audit rows (importAudit.ts). This file is the door callers use.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { importBatches } from "../db/schema";
import { formatUkDate, todayInLondon } from "../server/calendar/dates";
import { HeaderError } from "./headers";
import { auditAlreadyLoaded, auditRefusal, type AuditedUpload } from "./importAudit";
import { importLimits, type ImportRequest, type ImportResult } from "./importRequest";
import { loadBatch } from "./loadBatch";
import { FileRefusedError, inspectFile } from "./readCsv";
import { loadReferenceContext } from "./referenceContext";

export { FileRefusedError };
export { importLimits, type ImportLimits, type ImportRequest, type ImportResult, type RejectRow } from "./importRequest";
export { MERGE_LOCK } from "./turns";

export async function importFile(db: Db, request: ImportRequest): Promise<ImportResult> {
  const limits = request.limits ?? importLimits();
  const uploadDate = request.uploadDate ?? todayInLondon();
  const ref = await loadReferenceContext(db);
  const uploader = ref.agencyByCode(request.agency);
  if (!uploader) {
    throw new FileRefusedError(`There is no agency with the code "${request.agency}". Use one of: ${ref.agencies.map((a) => a.code).join(", ")}.`);
  }
  const audited: AuditedUpload = { actor: request.actor, agency: request.agency, kind: request.kind, fileName: request.fileName };

  try {
    const facts = await inspectFile(request.filePath, limits.maxBytes);

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
      if (!request.dryRun) await auditAlreadyLoaded(db, { ...audited, agency: uploader.code }, facts.sha256, earlier.id);
      return { outcome: "already_loaded", batchId: earlier.id, message };
    }

    return await loadBatch(db, request, { facts, ref, uploader, uploadDate, limits });
  } catch (error) {
    // A header that cannot be mapped refuses the whole file, as a file that cannot be read does.
    const refused = error instanceof HeaderError ? new FileRefusedError(error.message) : error;
    if (refused instanceof FileRefusedError && !request.dryRun) await auditRefusal(db, audited, refused.message);
    throw refused;
  }
}
