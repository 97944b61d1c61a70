/**
 * What an upload asks for and what it answers: the request (file, kind, agency, who), the limits
 * it is held to, and the result (counts, notes, rejects, or "already loaded").
 */
import type { RejectFault } from "../db/schema";
import type { IsoDate } from "../server/calendar/dates";
import type { UploadKind } from "./formats";
import type { MergeCounts } from "./merge";
import type { ChildRefHasher } from "./pseudonymise";
import type { RecordLimits } from "./readCsv";

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
