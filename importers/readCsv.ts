/**
 * Reading an uploaded file: a first pass checks what it is (size, SHA-256 of the bytes, encoding,
 * binary content, delimiter), a second streams its records through papaparse. Nothing holds the
 * whole file in memory: a guard ahead of papaparse refuses a record with too many cells, a cell too
 * long or a record too long (an unclosed quote swallowing the file) before papaparse would buffer it.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { pipeline, Transform } from "node:stream";
import Papa from "papaparse";

/** What a person is told of a file with nothing in it. */
export const EMPTY_FILE_MESSAGE = "The file is empty: it has no header row and no records.";

export class FileRefusedError extends Error {
  override name = "FileRefusedError";
}

export interface FileFacts {
  bytes: number;
  sha256: string;
  encoding: "utf-8" | "windows-1252";
  delimiter: "," | ";" | "\t";
  /** How records end, from the header line; papaparse and the guard both split on exactly this. */
  newline: "\r\n" | "\n" | "\r";
}

const SAMPLE_BYTES = 64 * 1024;

/** A size for people: "1.5 MB", "12 KB", "800 bytes". */
export function describeBytes(bytes: number): string {
  if (bytes >= 1e6) return `${Number((bytes / 1e6).toFixed(1)).toLocaleString("en-GB")} MB`;
  if (bytes >= 1e3) return `${Number((bytes / 1e3).toFixed(1)).toLocaleString("en-GB")} KB`;
  return `${bytes.toLocaleString("en-GB")} bytes`;
}

/** What a file is, from its first bytes: named so the refusal says what to do instead. */
const SIGNATURES: Array<[number[], string]> = [
  [[0x50, 0x4b, 0x03, 0x04], "an Excel workbook or a zip file"],
  [[0x50, 0x4b, 0x05, 0x06], "an (empty) zip file"],
  [[0x1f, 0x8b], "a compressed (gzip) file"],
  [[0x42, 0x5a, 0x68], "a compressed (bzip2) file"],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], "a compressed (xz) file"],
  [[0x28, 0xb5, 0x2f, 0xfd], "a compressed (zstd) file"],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], "a compressed (7-Zip) file"],
  [[0x52, 0x61, 0x72, 0x21], "a compressed (RAR) file"],
  [[0x25, 0x50, 0x44, 0x46], "a PDF"],
  [[0xd0, 0xcf, 0x11, 0xe0], "an old-style Excel or Word file"],
];

/** Text saved as UTF-16 ("Unicode text" in Excel): readable in principle, but not the agreed format. */
const UTF16_MARKS: number[][] = [[0xff, 0xfe], [0xfe, 0xff]];

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

/**
 * The header line, read once: its delimiter (the most frequent of comma, semicolon and tab outside
 * quotes) and how it ends, which is the file's line ending ("\n" for a file of one line). The ending is
 * fixed for the whole file, so that a stray CR or LF inside a record of a file with the other ending
 * stays inside that record for the guard exactly as for papaparse.
 */
export function readHeaderLine(sample: string): Pick<FileFacts, "delimiter" | "newline"> {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  let newline: FileFacts["newline"] = "\n";
  for (let i = 0; i < sample.length; i++) {
    const ch = sample[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) {
      newline = ch === "\n" ? "\n" : sample[i + 1] === "\n" ? "\r\n" : "\r";
      break;
    } else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  return { delimiter: pickDelimiter(counts), newline };
}

function pickDelimiter(counts: Record<FileFacts["delimiter"], number>): FileFacts["delimiter"] {
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) return ";";
  if (counts["\t"] > counts[","] && counts["\t"] > counts[";"]) return "\t";
  return ",";
}

/** First pass: refuses what is not a CSV file at all, and learns how to read the rest. */
export async function inspectFile(path: string, maxBytes: number): Promise<FileFacts> {
  const stat = await fs.promises.stat(path);
  if (stat.size === 0) throw new FileRefusedError(EMPTY_FILE_MESSAGE);
  if (stat.size > maxBytes) {
    throw new FileRefusedError(
      `The file is ${describeBytes(stat.size)}; uploads are limited to ${describeBytes(maxBytes)}. Split it into smaller files (for example by quarter).`,
    );
  }
  const hash = createHash("sha256");
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let isUtf8 = true;
  let sample = new Uint8Array(0);
  let offset = 0;
  /** Where the first NUL byte is: no text file holds one, and the database cannot store it. */
  let firstNul = -1;
  for await (const chunk of fs.createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (sample.length < SAMPLE_BYTES) sample = Buffer.concat([sample, chunk.subarray(0, SAMPLE_BYTES - sample.length)]);
    if (firstNul < 0) {
      const at = chunk.indexOf(0);
      if (at >= 0) firstNul = offset + at;
    }
    offset += chunk.length;
    if (isUtf8) {
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        isUtf8 = false;
      }
    }
  }
  if (isUtf8) {
    try {
      utf8.decode();
    } catch {
      isUtf8 = false;
    }
  }
  for (const [signature, what] of SIGNATURES) {
    if (startsWith(sample, signature)) {
      throw new FileRefusedError(`This is ${what}, not a CSV file. Open it in its program and save or export it as CSV, then upload that.`);
    }
  }
  if (UTF16_MARKS.some((mark) => startsWith(sample, mark))) {
    throw new FileRefusedError(
      'This file was saved as "Unicode text" (UTF-16), not as CSV. In Excel choose Save As, then "CSV UTF-8 (Comma delimited)", and upload that.',
    );
  }
  if (firstNul >= 0) {
    throw new FileRefusedError(
      `This is not a CSV file: it contains binary data (a zero byte at byte ${(firstNul + 1).toLocaleString("en-GB")}). ` +
        "Save or export the log as CSV (comma separated) and upload that.",
    );
  }
  const encoding = isUtf8 ? "utf-8" : "windows-1252";
  const text = new TextDecoder(encoding).decode(sample);
  if (text.trim() === "") throw new FileRefusedError(EMPTY_FILE_MESSAGE);
  return { bytes: stat.size, sha256: hash.digest("hex"), encoding, ...readHeaderLine(text.replace(/^\uFEFF/, "")) };
}

function decoder(encoding: FileFacts["encoding"]): Transform {
  const text = new TextDecoder(encoding);
  return new Transform({
    // Whole strings go on to the guard, never a character split across two chunks.
    readableObjectMode: true,
    decodeStrings: true,
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, text.decode(chunk, { stream: true }));
    },
    flush(callback) {
      callback(null, text.decode());
    },
  });
}

/** How large one record of the file may be before reading refuses it (see importLimits). */
export interface RecordLimits {
  maxColumns: number;
  maxCellChars: number;
  maxRecordChars: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Follows the file's text as papaparse will (records end at the file's own line ending, outside
 * quotes; a quote opens a quoted cell only at the start of a cell; "" inside one is a quote; a quote
 * then anything but a delimiter or line end leaves the cell open, as papaparse does) and refuses,
 * naming the row, a record with too many cells, a cell too long, or a record too long. Rows are
 * numbered as the importer numbers them (the header is row 1).
 */
class RecordGuard extends Transform {
  private row = 1;
  private cells = 1;
  private cellChars = 0;
  private recordChars = 0;
  /** At the start of a cell; inside an unquoted cell; inside a quoted cell; just after a quote inside one. */
  private state: "start" | "plain" | "quoted" | "quote" = "start";
  /** A CR outside quotes in a CRLF file: the end of the record if an LF follows, a character if not. */
  private crPending = false;
  private readonly delimiter: number;

  constructor(
    delimiter: FileFacts["delimiter"],
    private readonly newline: FileFacts["newline"],
    private readonly limits: RecordLimits,
  ) {
    super({ writableObjectMode: true });
    this.delimiter = delimiter.charCodeAt(0);
  }

  override _transform(text: string, _encoding: BufferEncoding, callback: (error?: Error | null, data?: string) => void): void {
    const refusal = this.scan(text);
    if (refusal) callback(new FileRefusedError(refusal));
    else callback(null, text);
  }

  private scan(text: string): string | null {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.crPending) {
        this.crPending = false;
        if (c === LF) {
          this.endRecord();
          continue;
        }
        // The CR was a character of the cell after all.
        const refusal = this.step(CR);
        if (refusal) return refusal;
      }
      const outsideQuotes = this.state !== "quoted";
      if (outsideQuotes && this.newline === "\r\n" && c === CR) {
        this.crPending = true;
      } else if (outsideQuotes && ((this.newline === "\n" && c === LF) || (this.newline === "\r" && c === CR))) {
        this.endRecord();
      } else {
        const refusal = this.step(c);
        if (refusal) return refusal;
      }
    }
    return null;
  }

  private endRecord(): void {
    this.state = "start";
    this.row++;
    this.cells = 1;
    this.cellChars = 0;
    this.recordChars = 0;
  }

  /** One character that does not end the record; a refusal once a limit is passed. */
  private step(c: number): string | null {
    const { maxColumns, maxCellChars, maxRecordChars } = this.limits;
    if (this.state === "quoted") {
      if (c === QUOTE) this.state = "quote";
      else this.cellChars++;
    } else if (this.state === "quote" && c === QUOTE) {
      this.state = "quoted";
      this.cellChars++;
    } else if (c === this.delimiter) {
      this.state = "start";
      this.cells++;
      this.cellChars = 0;
      if (this.cells > maxColumns) {
        return `Row ${this.row.toLocaleString("en-GB")} has more than ${maxColumns.toLocaleString("en-GB")} cells, the most a row may have. Check that the file is the right export and that values holding the delimiter are in quotes.`;
      }
    } else if (this.state === "start" && c === QUOTE) {
      this.state = "quoted";
    } else {
      // A character of an unquoted cell, or one after a stray quote (papaparse keeps the cell open).
      this.state = this.state === "quote" ? "quoted" : "plain";
      this.cellChars++;
    }
    if (this.cellChars > maxCellChars) {
      return (
        `Row ${this.row.toLocaleString("en-GB")} has a value longer than ${maxCellChars.toLocaleString("en-GB")} characters, the most a cell may hold` +
        (this.state === "quoted" || this.state === "quote" ? ': perhaps a quote mark (") opens a value that is never closed.' : ".")
      );
    }
    if (++this.recordChars > maxRecordChars) {
      return `Row ${this.row.toLocaleString("en-GB")} is longer than ${maxRecordChars.toLocaleString("en-GB")} characters, the most a row may be: perhaps a quote mark (") opens a value that is never closed.`;
    }
    return null;
  }
}

/**
 * papaparse's own streaming rule, without its stream: each piece of text is parsed after what was
 * left of the previous one, and the last, unfinished record is kept for the next piece (papaparse's
 * ChunkStreamer does exactly this). Its Node stream (NODE_STREAM_INPUT) pauses the parser whenever
 * 16 records wait to be read, then parses the rest of the piece again from the pause: 40 times
 * slower, and all of it on the thread that answers the dashboard's pages (bench/out/load.txt).
 * The records of each piece go on together, as one array.
 */
class RecordParser extends Transform {
  private readonly parser: Papa.Parser;
  private unfinished = "";

  constructor(facts: FileFacts) {
    super({ writableObjectMode: true, readableObjectMode: true });
    this.parser = new Papa.Parser({ delimiter: facts.delimiter, newline: facts.newline, skipEmptyLines: false, header: false });
  }

  private parse(text: string, last: boolean): string[][] {
    const result = this.parser.parse(text, 0, !last) as { data: string[][]; meta: { cursor: number } };
    this.unfinished = last ? "" : text.substring(result.meta.cursor);
    return result.data;
  }

  override _transform(text: string, _encoding: BufferEncoding, callback: (error?: Error | null, data?: string[][]) => void): void {
    const records = this.parse(this.unfinished + text, false);
    callback(null, records.length ? records : undefined);
  }

  override _flush(callback: (error?: Error | null, data?: string[][]) => void): void {
    const records = this.unfinished ? this.parse(this.unfinished, true) : [];
    callback(null, records.length ? records : undefined);
  }
}

/**
 * The file's records in order, each an array of cells (the header first). A quoted cell holding
 * line breaks stays within its record; blank lines come through as records of empty cells.
 */
export async function* readRecords(path: string, facts: FileFacts, limits: RecordLimits): AsyncIterable<string[]> {
  // pipeline passes a failure of any stage (a read error, the guard's refusal) to the last one, whose
  // iteration then throws it; the callback is only there because every stage's error is handled so.
  // Pieces of 64 KB (about 800 records) keep each stretch of parsing short, so pages are answered
  // between them while a large upload is read.
  const pieces = pipeline(
    fs.createReadStream(path, { highWaterMark: 64 * 1024 }),
    decoder(facts.encoding),
    new RecordGuard(facts.delimiter, facts.newline, limits),
    new RecordParser(facts),
    () => {},
  ) as unknown as AsyncIterable<string[][]>;
  for await (const records of pieces) yield* records;
}
