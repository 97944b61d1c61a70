/** Files people download from the uploads page: a batch's rejects, as CSV (templates: importers/templates.ts). */
import type { Db } from "../db/client";
import { getBatch, getRejects } from "../importers/batches";
import { csvLine } from "./csv";

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
