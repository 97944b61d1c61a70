/**
 * Reading and checking a file into the staging table: every record read, its header mapped, each
 * row checked (readRow) and staged with its faults, a chunk at a time, giving way to readers; and
 * the file-level notes the upload's result shows.
 */
import type { Db } from "../db/client";
import type { UploadKind } from "./formats";
import { mapHeaders } from "./headers";
import type { ImportLimits, ImportRequest } from "./importRequest";
import type { UploadPace } from "./pace";
import { EMPTY_FILE_MESSAGE, FileRefusedError, readRecords, type FileFacts } from "./readCsv";
import { isBlankRow, readRow, type RowContext, type UploadNotes } from "./rows";
import { StagingWriter } from "./staging";
import { shorten } from "./values";

/** Rows staged per statement: small enough that reading a chunk holds the app's thread for tens of milliseconds, not a page's time. */
const CHUNK_ROWS = 2_500;

export interface StagedFile {
  rowsRead: number;
  unknownColumns: string[];
}

/** Stages every record of the file (the staging table exists already); refuses a file with no records or too many. */
export async function stageFile(
  tx: Db,
  request: ImportRequest,
  facts: FileFacts,
  partial: Omit<RowContext, "mapping">,
  limits: ImportLimits,
  pace: UploadPace,
): Promise<StagedFile> {
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

/** What the upload's result says about the file as a whole. */
export function describeNotes(facts: FileFacts, unknownColumns: string[], notes: UploadNotes, kind: UploadKind): string[] {
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
