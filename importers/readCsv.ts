/**
 * Reading an uploaded file: a first pass checks what it is (size, SHA-256 of the bytes, encoding,
 * binary content, delimiter), a second streams its records through papaparse. Nothing holds the
 * whole file in memory.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { Transform, type Readable } from "node:stream";
import Papa from "papaparse";

export class FileRefusedError extends Error {
  override name = "FileRefusedError";
}

export interface FileFacts {
  bytes: number;
  sha256: string;
  encoding: "utf-8" | "windows-1252";
  delimiter: "," | ";" | "\t";
}

const SAMPLE_BYTES = 64 * 1024;

const SIGNATURES: Array<[number[], string]> = [
  [[0x50, 0x4b, 0x03, 0x04], "an Excel workbook or a zip file"],
  [[0x1f, 0x8b], "a compressed (gzip) file"],
  [[0x25, 0x50, 0x44, 0x46], "a PDF"],
  [[0xd0, 0xcf, 0x11, 0xe0], "an old-style Excel or Word file"],
];

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

/** Picks the delimiter from the header line: the most frequent of comma, semicolon and tab outside quotes. */
export function detectDelimiter(sample: string): FileFacts["delimiter"] {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const ch of sample) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) return ";";
  if (counts["\t"] > counts[","] && counts["\t"] > counts[";"]) return "\t";
  return ",";
}

/** First pass: refuses what is not a CSV file at all, and learns how to read the rest. */
export async function inspectFile(path: string, maxBytes: number): Promise<FileFacts> {
  const stat = await fs.promises.stat(path);
  if (stat.size === 0) throw new FileRefusedError("The file is empty: it has no header row and no records.");
  if (stat.size > maxBytes) {
    throw new FileRefusedError(
      `The file is ${(stat.size / 1e6).toFixed(1)} MB; uploads are limited to ${(maxBytes / 1e6).toFixed(0)} MB. Split it into smaller files (for example by quarter).`,
    );
  }
  const hash = createHash("sha256");
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let isUtf8 = true;
  let sample = new Uint8Array(0);
  for await (const chunk of fs.createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (sample.length < SAMPLE_BYTES) sample = Buffer.concat([sample, chunk.subarray(0, SAMPLE_BYTES - sample.length)]);
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
  if (sample.includes(0)) {
    throw new FileRefusedError("This is not a CSV file: it contains binary data. Save or export the log as CSV (comma separated) and upload that.");
  }
  const encoding = isUtf8 ? "utf-8" : "windows-1252";
  const text = new TextDecoder(encoding).decode(sample);
  if (text.trim() === "") throw new FileRefusedError("The file is empty: it has no header row and no records.");
  return { bytes: stat.size, sha256: hash.digest("hex"), encoding, delimiter: detectDelimiter(text.replace(/^\uFEFF/, "")) };
}

function decoder(encoding: FileFacts["encoding"]): Transform {
  const text = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: false,
    decodeStrings: true,
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, text.decode(chunk, { stream: true }));
    },
    flush(callback) {
      callback(null, text.decode());
    },
  });
}

/**
 * The file's records in order, each an array of cells (the header first). A quoted cell holding
 * line breaks stays within its record; blank lines come through as records of empty cells.
 */
export function readRecords(path: string, facts: FileFacts): AsyncIterable<string[]> {
  const source: Readable = fs.createReadStream(path, { highWaterMark: 256 * 1024 });
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter: facts.delimiter, skipEmptyLines: false, header: false });
  source.on("error", (error) => parser.destroy(error));
  return source.pipe(decoder(facts.encoding)).pipe(parser) as unknown as AsyncIterable<string[]>;
}
