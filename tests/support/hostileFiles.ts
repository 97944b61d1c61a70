/**
 * Generated upload files, from well-formed exports with awkward values to hostile bytes: the fuzz
 * test (tests/importer-fuzz.test.ts) and the longer fuzz run (bench/fuzz.ts) share them.
 *
 * A case is either well formed (a comma-separated UTF-8 file with the format's own header, every
 * cell quoted where it must be), whose count of records is known, or anything at all: malformed
 * quoting, mixed delimiters and line ends, other encodings, binary bytes, archive signatures,
 * formula cells, SQL fragments and hundreds of columns.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import type { Db } from "../../db/client";
import { COLUMNS, type UploadKind } from "../../importers/formats";
import { FileRefusedError, importFile, type ImportLimits, type ImportResult } from "../../importers/importFile";
import { TEST_HASHER, TEST_UPLOAD_DATE } from "./records";

export interface UploadCase {
  kind: UploadKind;
  agency: string;
  bytes: Uint8Array;
  /** For a well-formed file: how many records are not blank (the importer must read exactly these). */
  records?: number;
  /** Child references written into the file: none may be stored, shown or logged as written. */
  childRefs: string[];
}

const AGENCIES = ["CSC", "POL", "HLT", "SCH"];
const KINDS: UploadKind[] = ["escalations", "dissent", "conference_activity"];

/** Values a cell might hold: real ones, near misses, and hostile text. */
export const cellValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("CSC", "POL", "hlt", "Community Health Trust", "north", "south", "thresholds", "Roles; information sharing", "resolved", "OPEN", "withdrawn", "initial", "cp_plan", "escalated", "12", "0") },
  { weight: 4, arbitrary: fc.constantFrom("03/03/2025", "2025-05-01", "1 March 2025", "31/02/2025", "03/03/25", "2025-13-01", "99999-01-01", "0000-00-00", "2025-05", "10.03.2025 09:30", "45000", "-1", "1e309", "NaN") },
  { weight: 3, arbitrary: fc.constantFrom("=HYPERLINK(\"http://example.invalid\",\"x\")", "+1+1", "-2", "@SUM(A1)", "=cmd|' /C calc'!A0", "\t=1") },
  { weight: 3, arbitrary: fc.constantFrom("'); drop table escalations; --", "' or '1'='1", "$1", "\\", "\\x00", "E'\\\\'", "%s%n", "${7*7}", "{{7*7}}", "null", "NULL", "\\N", "[]", "{\"a\":1}", "</script><script>alert(1)</script>") },
  { weight: 2, arbitrary: fc.constantFrom("../../etc/passwd", "C:\\Windows\\system32", "/dev/zero", "\\\\server\\share", "file:///etc/shadow") },
  { weight: 3, arbitrary: fc.constantFrom('"', '""', '"a""b"', 'a"b', '"unclosed', "a,b", "a;b", "a\tb", "line\nbreak", "cr\ronly", "\r\n", " ", "") },
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 200, maxLength: 2_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4_000 }).map((n) => '"'.repeat(n)) },
);

function quoted(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** A well-formed file of the kind: its own header (some columns left out or repeated as unknown extras). */
const wellFormed: fc.Arbitrary<UploadCase> = fc
  .record({
    kind: fc.constantFrom(...KINDS),
    agency: fc.constantFrom(...AGENCIES),
    extra: fc.array(fc.string({ maxLength: 12 }).map((s) => `x_${s}`), { maxLength: 3 }),
    rows: fc.array(fc.array(cellValue, { minLength: 20, maxLength: 20 }), { minLength: 0, maxLength: 25 }),
    childRefs: fc.array(fc.stringMatching(/^[A-Z]{2}[0-9]{6}$/), { minLength: 25, maxLength: 25 }),
    bom: fc.boolean(),
    crlf: fc.boolean(),
  })
  .map(({ kind, agency, extra, rows, childRefs, bom, crlf }) => {
    const header = [...COLUMNS[kind].map((c) => c.name), ...extra];
    const end = crlf ? "\r\n" : "\n";
    const usedRefs: string[] = [];
    const lines = rows.map((cells, r) =>
      header.map((name, i) => {
        // A zero byte makes any file binary (refused whole): a well-formed file has none.
        if (name !== "child_ref") return cells[i % cells.length]!.replaceAll("\u0000", "");
        // A child reference shaped like a real one, different in every row, so that a leak is findable.
        const ref = `CHILD-${childRefs[r]!}`;
        usedRefs.push(ref);
        return ref;
      }),
    );
    const text = [header, ...lines].map((cells) => cells.map(quoted).join(",")).join(end) + end;
    const records = lines.filter((cells) => cells.some((c) => c.trim() !== "")).length;
    return { kind, agency, bytes: new TextEncoder().encode((bom ? "\uFEFF" : "") + text), records, childRefs: usedRefs };
  });

/** Ways the bytes of a file go wrong after it was written. */
type Damage = "none" | "windows-1252" | "utf-16" | "nul" | "invalid-utf8" | "zip" | "gzip" | "pdf" | "truncated";

function damage(text: string, how: Damage, at: number): Uint8Array {
  const utf8 = Buffer.from(text, "utf8");
  const cut = utf8.length === 0 ? 0 : at % utf8.length;
  switch (how) {
    case "none":
      return utf8;
    case "windows-1252":
      return Buffer.from(text, "latin1");
    case "utf-16":
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    case "nul":
      return Buffer.concat([utf8.subarray(0, cut), Buffer.from([0]), utf8.subarray(cut)]);
    case "invalid-utf8":
      return Buffer.concat([utf8.subarray(0, cut), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), utf8.subarray(cut)]);
    case "zip":
      return Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), utf8]);
    case "gzip":
      return Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), utf8]);
    case "pdf":
      return Buffer.concat([Buffer.from("%PDF-1.7\n"), utf8]);
    case "truncated":
      return utf8.subarray(0, cut);
  }
}

/** Anything: headers real, aliased or junk, any delimiter and line end, unbalanced quotes, damaged bytes. */
const anything: fc.Arbitrary<UploadCase> = fc
  .record({
    kind: fc.constantFrom(...KINDS),
    agency: fc.constantFrom(...AGENCIES),
    header: fc.oneof(
      fc.constantFrom(...KINDS).map((k) => COLUMNS[k].map((c) => c.name)),
      fc.constantFrom(...KINDS).map((k) => COLUMNS[k].map((c) => c.aliases[0] ?? c.name)),
      fc.array(cellValue, { maxLength: 12 }),
      fc.integer({ min: 400, max: 700 }).map((n) => Array.from({ length: n }, (_, i) => `column ${i}`)),
    ),
    delimiter: fc.constantFrom(",", ";", "\t", "|"),
    lineEnd: fc.constantFrom("\n", "\r\n", "\r"),
    // Each row its own line ending now and then: a file whose ending changes part-way.
    rows: fc.array(fc.tuple(fc.array(cellValue, { maxLength: 24 }), fc.option(fc.constantFrom("\n", "\r\n", "\r"), { freq: 4 })), { maxLength: 20 }),
    how: fc.constantFrom<Damage>("none", "none", "none", "windows-1252", "utf-16", "nul", "invalid-utf8", "zip", "gzip", "pdf", "truncated"),
    at: fc.nat(),
  })
  .map(({ kind, agency, header, delimiter, lineEnd, rows, how, at }) => {
    const text = header.join(delimiter) + rows.map(([cells, ownEnd]) => (ownEnd ?? lineEnd) + cells.join(delimiter)).join("");
    return { kind, agency, bytes: damage(text, how, at), childRefs: [] };
  });

export const uploadCase: fc.Arbitrary<UploadCase> = fc.oneof({ weight: 2, arbitrary: wellFormed }, { weight: 3, arbitrary: anything });

export type Outcome = { result: ImportResult } | { refused: string };

let fileCounter = 0;

/** Uploads a file through the real importer; a refusal is an outcome, any other error is thrown. */
export async function uploadFile(
  db: Db,
  filePath: string,
  options: { kind: UploadKind; agency: string; dryRun?: boolean; limits?: ImportLimits },
): Promise<Outcome> {
  try {
    const result = await importFile(db, {
      filePath, fileName: "case.csv", kind: options.kind, agency: options.agency, actor: "fuzz", hasher: TEST_HASHER,
      uploadDate: TEST_UPLOAD_DATE, dryRun: options.dryRun, limits: options.limits,
    });
    return { result };
  } catch (error) {
    if (error instanceof FileRefusedError) return { refused: error.message };
    throw error;
  }
}

/** The same, for bytes written to a file in `dir` first. */
export async function uploadBytes(db: Db, dir: string, bytes: Uint8Array | string, options: Parameters<typeof uploadFile>[2]): Promise<Outcome> {
  const file = path.join(dir, `case-${process.pid}-${++fileCounter}.csv`);
  fs.writeFileSync(file, bytes);
  try {
    return await uploadFile(db, file, options);
  } finally {
    fs.rmSync(file, { force: true });
  }
}
