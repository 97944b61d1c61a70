/**
 * The audit rows an upload leaves: loaded (written in the load's own transaction), already loaded,
 * refused, checked (the preview of the uploads page) and cancelled. Each names who, the agency,
 * the file and the outcome; a load also names the partnerships it wrote into.
 */
import type { Db } from "../db/client";
import { writeAudit } from "../server/audit";
import type { MergeCounts } from "./merge";

/** The upload as the audit log names it. */
export interface AuditedUpload {
  actor: string;
  /** The uploading agency's code. */
  agency: string;
  kind: string;
  fileName: string;
}

export async function auditCommit(
  tx: Db,
  upload: AuditedUpload,
  written: { batchId: number; sha256: string; rowsRead: number; counts: MergeCounts; partnerships: string[] },
): Promise<void> {
  await writeAudit(tx, {
    actor: upload.actor,
    action: "import.commit",
    // The partnerships too: a load changes their figures, and their admins read its row (server/audit.ts listAuditAs).
    scope: { agency: upload.agency, partnerships: written.partnerships },
    details: { batchId: written.batchId, kind: upload.kind, fileName: upload.fileName, sha256: written.sha256, rowsRead: written.rowsRead, ...written.counts },
    outcome: "success",
  });
}

export async function auditAlreadyLoaded(db: Db, upload: AuditedUpload, sha256: string, earlierBatch: number): Promise<void> {
  await writeAudit(db, {
    actor: upload.actor,
    action: "import.already_loaded",
    scope: { agency: upload.agency },
    details: { kind: upload.kind, fileName: upload.fileName, sha256, earlierBatch },
    outcome: "success",
  });
}

export async function auditRefusal(db: Db, upload: AuditedUpload, message: string): Promise<void> {
  await writeAudit(db, {
    actor: upload.actor,
    action: "import.refused",
    scope: { agency: upload.agency },
    details: { kind: upload.kind, fileName: upload.fileName, message },
    outcome: "refused",
  });
}

/** An upload's check (the preview before loading): what it found, or why it could not. */
export async function auditCheck(
  db: Db,
  upload: AuditedUpload,
  found: { outcome: "success"; rowsRead?: number; counts?: MergeCounts; earlierBatch?: number } | { outcome: "refused" | "failure"; message: string },
): Promise<void> {
  const { outcome, ...details } = found;
  await writeAudit(db, {
    actor: upload.actor,
    action: "import.check",
    scope: { agency: upload.agency },
    details: { kind: upload.kind, fileName: upload.fileName, ...details },
    outcome,
  });
}

/** An upload cancelled before loading, or a cancel refused because a step of it was running. */
export async function auditCancel(db: Db, upload: AuditedUpload, outcome: "success" | "refused"): Promise<void> {
  await writeAudit(db, {
    actor: upload.actor,
    action: "import.cancel",
    scope: { agency: upload.agency },
    details: { kind: upload.kind, fileName: upload.fileName },
    outcome,
  });
}
