import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "../../db/client";
import type { UploadKind } from "../../importers/formats";
import { ESCALATION_COLUMNS, type EscalationRow } from "../../importers/demo/generate";
import { importFile, type ImportResult } from "../../importers/importFile";
import { childRefHasher } from "../../importers/pseudonymise";
import { csvLine } from "../../reports/csv";

export const TEST_HASHER = childRefHasher("test-secret-test-secret-test-secret-0123");

/** The date tests upload on, so that "after the upload date" is stable. */
export const TEST_UPLOAD_DATE = "2026-11-23";

/** An escalation row with every column, the given ones filled in. */
export function escalationRow(values: Partial<EscalationRow> & Pick<EscalationRow, "record_ref" | "partnership">): EscalationRow {
  const row = Object.fromEntries(ESCALATION_COLUMNS.map((c) => [c, ""])) as EscalationRow;
  return { ...row, raising_agency: "POL", receiving_agency: "HLT", themes: "thresholds", status: "open", ...values };
}

let fileCounter = 0;

/** Uploads the given bytes or text as a file, through the real importer. */
export async function importText(
  db: Db,
  content: string | Uint8Array,
  options: { kind: UploadKind; agency: string; dryRun?: boolean; fileName?: string; uploadDate?: string },
): Promise<ImportResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ew-upload-"));
  const file = path.join(dir, options.fileName ?? `upload-${++fileCounter}.csv`);
  fs.writeFileSync(file, content);
  try {
    return await importFile(db, {
      filePath: file,
      fileName: path.basename(file),
      kind: options.kind,
      agency: options.agency,
      actor: "test",
      hasher: TEST_HASHER,
      dryRun: options.dryRun,
      uploadDate: options.uploadDate ?? TEST_UPLOAD_DATE,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Uploads escalation rows (canonical columns) as one file by `agency`; fails the test on any reject. */
export async function loadEscalations(db: Db, agency: string, rows: EscalationRow[]): Promise<ImportResult> {
  const csv = csvLine([...ESCALATION_COLUMNS]) + rows.map((r) => csvLine(ESCALATION_COLUMNS.map((c) => r[c]))).join("");
  const result = await importText(db, csv, { kind: "escalations", agency });
  if (result.outcome !== "loaded" || result.counts.rejected > 0) {
    throw new Error(`test data was not loaded cleanly: ${JSON.stringify(result)}`);
  }
  return result;
}
