/** Files people download from the uploads page: templates and a batch's rejects, as CSV. */
import type { Db } from "../db/client";
import { getBatch, getRejects } from "../importers/batches";
import { csvLine } from "./csv";
import { COLUMNS, TEMPLATE_EXAMPLES, type UploadKind } from "../importers/formats";

/** The kind's template: the header and one example row. */
export function templateCsv(kind: UploadKind): string {
  const columns = COLUMNS[kind].map((c) => c.name);
  return csvLine(columns) + csvLine(columns.map((c) => TEMPLATE_EXAMPLES[kind][c] ?? ""));
}

/**
 * A batch's rejects, one line per fault, for correcting in a spreadsheet. Cells that would run as
 * formulas are neutralised; child references were never kept.
 */
export async function rejectsCsv(db: Db, batchId: number): Promise<{ fileName: string; csv: string }> {
  const batch = await getBatch(db, batchId);
  const lines = [csvLine(["row", "record_ref", "column", "value", "reason"])];
  for (const reject of await getRejects(db, batchId)) {
    for (const fault of reject.faults) lines.push(csvLine([reject.rowNumber, reject.recordRef, fault.column, fault.value, fault.reason]));
  }
  return { fileName: `rejects-batch-${batchId}-${batch.fileName.replace(/\.csv$/i, "")}.csv`, csv: lines.join("") };
}
