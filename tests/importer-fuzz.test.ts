/**
 * Hostile input (issue 8): every file the importer is given ends in a load, rejected rows, or a
 * refusal with a plain message — never another error, never a half-written batch, never a child
 * reference stored as written. Generated files (fast-check, tests/support/hostileFiles.ts) on the
 * real importer and database, then hostile files at full size. bench/fuzz.ts runs many more cases
 * and measures time and memory per case.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../db/client";
import { importLimits } from "../importers/importFile";
import { uploadRequestSchema } from "../importers/uploads";
import { useTestWarehouse } from "./support/db";
import { uploadBytes, uploadCase } from "./support/hostileFiles";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ew-fuzz-"));
beforeAll(async () => {
  await loadSmallWorld(ctx.db);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const upload = (bytes: Uint8Array | string, options: Parameters<typeof uploadBytes>[3]) => uploadBytes(ctx.db, dir, bytes, options);

async function tally() {
  const [row] = await queryRows<{ batches: number; escalations: number; dissents: number; activity: number; rejects: number }>(
    ctx.db,
    sql`select (select count(*)::int from import_batches) as batches, (select count(*)::int from escalations) as escalations,
               (select count(*)::int from dissents) as dissents, (select count(*)::int from conference_activity) as activity,
               (select count(*)::int from import_rejects) as rejects`,
  );
  return row!;
}

/** Every public table whose text holds any of the given strings. */
async function tablesHolding(needles: string[]): Promise<string[]> {
  if (needles.length === 0) return [];
  const tables = await queryRows<{ name: string }>(ctx.db, sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  const holding: string[] = [];
  const patterns = `{${needles.map((n) => `"%${n}%"`).join(",")}}`;
  for (const { name } of tables) {
    const [row] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from ${sql.identifier(name)} t where t::text like any(${patterns}::text[])`);
    if (row!.n > 0) holding.push(name);
  }
  return holding;
}

describe("generated files (fast-check)", () => {
  it("every file loads, rejects rows or is refused with a message; well-formed files read every record; nothing half-written", async () => {
    const childRefs: string[] = [];
    const seen = { loaded: 0, refused: 0, alreadyLoaded: 0, rowsRejected: 0 };
    await fc.assert(
      fc.asyncProperty(uploadCase, fc.boolean(), async (c, commit) => {
        const before = await tally();
        const outcome = await upload(c.bytes, { kind: c.kind, agency: c.agency, dryRun: !commit });
        const after = await tally();
        if ("refused" in outcome) {
          seen.refused++;
          // A sentence a person can act on, not a stack trace or a driver's code.
          expect(outcome.refused).toMatch(/^[A-Z].{10,}[.)]$/s);
          expect(outcome.refused).not.toMatch(/\bat .+\.(ts|js):\d+|undefined|\[object/);
          expect(after).toEqual(before);
          // A well-formed file is refused only when it has no records at all.
          if (c.records !== undefined) expect({ records: c.records, refused: outcome.refused }).toMatchObject({ records: 0 });
          return;
        }
        const { result } = outcome;
        if (result.outcome === "already_loaded") {
          seen.alreadyLoaded++;
          expect(after).toEqual(before);
          return;
        }
        seen.loaded++;
        seen.rowsRejected += result.counts.rejected;
        const { loaded, replaced, unchanged, rejected } = result.counts;
        expect(loaded + replaced + unchanged + rejected).toBe(result.rowsRead);
        if (c.records !== undefined) expect(result.rowsRead).toBe(c.records);
        if (!commit) {
          expect(after).toEqual(before);
          return;
        }
        childRefs.push(...c.childRefs);
        // The batch and exactly its rejects were kept; the facts grew by at most what was loaded.
        expect(after.batches).toBe(before.batches + 1);
        expect(after.rejects).toBe(before.rejects + rejected);
        const facts = (t: typeof before) => t.escalations + t.dissents + t.activity;
        expect(facts(after) - facts(before)).toBeLessThanOrEqual(loaded);
      }),
      { numRuns: 200, seed: 20261123 },
    );
    // Both ends were reached: some files loaded, some were refused.
    expect(seen.loaded).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
    // No child reference, as written, is anywhere in the warehouse (only its keyed hash is kept).
    expect(childRefs.length).toBeGreaterThan(0);
    expect(await tablesHolding(childRefs)).toEqual([]);
  });
});

/** A record of a zip archive: little-endian fields, each [offset, bytes (2 or 4), value]. */
function zipRecord(size: number, fields: Array<[number, 2 | 4, number]>): Buffer {
  const record = Buffer.alloc(size);
  for (const [offset, bytes, value] of fields) {
    if (bytes === 2) record.writeUInt16LE(value, offset);
    else record.writeUInt32LE(value, offset);
  }
  return record;
}

/** A minimal zip archive holding one deflated file, as `zip` writes it (local header, data, directory). */
function zipOf(name: string, content: Buffer): Buffer {
  const data = zlib.deflateRawSync(content);
  const fileName = Buffer.from(name);
  // Version 2.0, method 8 (deflate), CRC, compressed and full sizes, name length: in both headers.
  const file: Array<[number, 2 | 4, number]> = [[8, 2, 8], [14, 4, zlib.crc32(content)], [18, 4, data.length], [22, 4, content.length], [26, 2, fileName.length]];
  const local = zipRecord(30, [[0, 4, 0x04034b50], [4, 2, 20], ...file]);
  // The central directory's entry carries the same fields two bytes further on, after "version made by".
  const central = zipRecord(46, [[0, 4, 0x02014b50], [4, 2, 20], [6, 2, 20], ...file.map(([o, b, v]): [number, 2 | 4, number] => [o + 2, b, v])]);
  const end = zipRecord(22, [[0, 4, 0x06054b50], [8, 2, 1], [10, 2, 1], [12, 4, central.length + fileName.length], [16, 4, local.length + fileName.length + data.length]]);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

const HEADER = "record_ref,raising_agency,receiving_agency,concern_arose_on,themes,status";
const GOOD_ROW = "H-1,CSC,HLT,03/03/2025,thresholds,open";

describe("hostile files at full size", () => {
  it("refuses a cell longer than an Excel cell, naming the row", async () => {
    const outcome = await upload(`${HEADER}\n${GOOD_ROW}\nH-2,CSC,HLT,03/03/2025,${"x".repeat(40_000)},open\n`, { kind: "escalations", agency: "CSC" });
    expect(outcome).toEqual({ refused: "Row 3 has a value longer than 32,767 characters, the most a cell may hold." });
  });

  it("refuses an unclosed quote that would swallow the rest of a 20 MB file, at once and naming the row", async () => {
    const rest = `${GOOD_ROW}\n`.repeat(500_000); // 500,000 × 39 bytes ≈ 19.5 MB
    const outcome = await upload(`${HEADER}\n${GOOD_ROW}\nH-2,CSC,HLT,"03/03/2025,thresholds,open\n${rest}`, { kind: "escalations", agency: "CSC" });
    expect(outcome).toEqual({
      refused: 'Row 3 has a value longer than 32,767 characters, the most a cell may hold: perhaps a quote mark (") opens a value that is never closed.',
    });
  });

  it("refuses a header of a million columns and a row of a million cells", async () => {
    expect(await upload(`${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(",")}\n${GOOD_ROW}\n`, { kind: "escalations", agency: "CSC" })).toEqual({
      refused: "Row 1 has more than 500 cells, the most a row may have. Check that the file is the right export and that values holding the delimiter are in quotes.",
    });
    expect(await upload(`${HEADER}\n${GOOD_ROW}\n${",".repeat(1_000_000)}\n`, { kind: "escalations", agency: "CSC" })).toMatchObject({
      refused: expect.stringMatching(/^Row 3 has more than 500 cells/),
    });
  });

  it("holds a file with CRLF line ends to them: bare line feeds further on do not end records", async () => {
    // papaparse splits only on the header's line ending, so 2,000 "a,b,c" lines joined by bare LFs are
    // one record of 4,001 cells for it: the guard must count them as one record too.
    const outcome = await upload(`${HEADER}\r\n${GOOD_ROW}\r\n${"a,b,c\n".repeat(2_000)}\r\n`, { kind: "escalations", agency: "CSC" });
    expect(outcome).toMatchObject({ refused: expect.stringMatching(/^Row 3 has more than 500 cells/) });
    // And a bare CR inside a cell of a CRLF file stays in the cell.
    expect(await upload(`${HEADER}\r\nC-1,CSC,HLT,03/03/2025,thresholds\rmore,open\r\n`, { kind: "escalations", agency: "CSC", dryRun: true })).toMatchObject({
      result: { outcome: "loaded", rowsRead: 1 },
    });
  });

  it("refuses a row longer than a million characters even when each cell is short", async () => {
    // 400 cells of 3,000 characters: under the cell and column limits, 1,200,400 characters in all.
    const row = Array.from({ length: 400 }, () => "y".repeat(3_000)).join(",");
    expect(await upload(`${HEADER}\n${row}\n`, { kind: "escalations", agency: "CSC" })).toEqual({
      refused: 'Row 2 is longer than 1,000,000 characters, the most a row may be: perhaps a quote mark (") opens a value that is never closed.',
    });
  });

  it("reads deeply quoted cells as the quotes they hold", async () => {
    // A themes cell of 10,000 escaped quotes ("" each) inside quotes: one cell of 10,000 quote marks, an unknown theme.
    const outcome = await upload(`${HEADER}\nQ-1,CSC,HLT,03/03/2025,"${'""'.repeat(10_000)}",open\n`, { kind: "escalations", agency: "CSC", dryRun: true });
    expect(outcome).toMatchObject({ result: { outcome: "loaded", rowsRead: 1, counts: { rejected: 1 } } });
    const fault = "result" in outcome && outcome.result.outcome === "loaded" ? outcome.result.rejects[0]!.faults[0]! : undefined;
    // What is shown of the value is cut to 200 characters.
    expect(fault).toMatchObject({ column: "themes", value: `${'"'.repeat(200)}…` });
  });

  it("refuses zip and gzip bombs renamed .csv without opening them", async () => {
    const zeros = Buffer.alloc(50_000_000, "0"); // 50 MB of "0" compresses to about 50 KB
    const gzipBomb = zlib.gzipSync(zeros, { level: 9 });
    const zipBomb = zipOf("escalations.csv", zeros);
    expect(gzipBomb.length).toBeLessThan(100_000);
    // A real archive: unzip reads it and finds the 50 MB file inside.
    const zipFile = path.join(dir, "bomb.zip");
    fs.writeFileSync(zipFile, zipBomb);
    expect(execFileSync("unzip", ["-l", zipFile], { encoding: "utf8" })).toMatch(/50000000\s+\S+\s+\S+\s+escalations\.csv/);
    expect(execFileSync("unzip", ["-tq", zipFile], { encoding: "utf8" })).toMatch(/No errors detected/);
    expect(await upload(gzipBomb, { kind: "escalations", agency: "CSC" })).toEqual({
      refused: "This is a compressed (gzip) file, not a CSV file. Open it in its program and save or export it as CSV, then upload that.",
    });
    expect(await upload(zipBomb, { kind: "escalations", agency: "CSC" })).toEqual({
      refused: "This is an Excel workbook or a zip file, not a CSV file. Open it in its program and save or export it as CSV, then upload that.",
    });
  });

  it("refuses UTF-16 text and binary data anywhere in the file, saying where", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}\r\n${GOOD_ROW}\r\n`, "utf16le")]);
    expect(await upload(utf16, { kind: "escalations", agency: "CSC" })).toEqual({
      refused: 'This file was saved as "Unicode text" (UTF-16), not as CSV. In Excel choose Save As, then "CSV UTF-8 (Comma delimited)", and upload that.',
    });
    // Past the 64 KB the first look reads: 100,000 bytes of good rows, then a zero byte.
    const good = Buffer.from(`${HEADER}\n${`${GOOD_ROW}\n`.repeat(4_000)}`).subarray(0, 100_000);
    expect(await upload(Buffer.concat([good, Buffer.from([0]), Buffer.from("\n")]), { kind: "escalations", agency: "CSC" })).toEqual({
      refused: "This is not a CSV file: it contains binary data (a zero byte at byte 100,001). Save or export the log as CSV (comma separated) and upload that.",
    });
  });

  it("keeps SQL fragments and formula cells as text, and the tables intact", async () => {
    const before = await tally();
    const csv = `${HEADER}\n"S-1'); drop table escalations; --",CSC,HLT,03/03/2025,thresholds,open\n"=HYPERLINK(""http://x"")",CSC,HLT,03/03/2025,thresholds,open\n`;
    const outcome = await upload(csv, { kind: "escalations", agency: "CSC" });
    expect(outcome).toMatchObject({ result: { outcome: "loaded", counts: { loaded: 2, rejected: 0 } } });
    const refs = await queryRows<{ record_ref_as_uploaded: string }>(ctx.db, sql`select record_ref_as_uploaded from escalations where record_ref_as_uploaded like 'S-1%' or record_ref_as_uploaded like '=%' order by 1`);
    expect(refs.map((r) => r.record_ref_as_uploaded)).toEqual(["=HYPERLINK(\"http://x\")", "S-1'); drop table escalations; --"]);
    expect((await tally()).escalations).toBe(before.escalations + 2);
  });

  it("takes upload limits from the environment, with plain messages", async () => {
    const saved = { ...process.env };
    try {
      process.env.IMPORT_MAX_ROWS = "3";
      process.env.IMPORT_MAX_BYTES = "2000";
      process.env.IMPORT_MAX_COLUMNS = "8";
      const limits = importLimits();
      expect(limits).toMatchObject({ maxRows: 3, maxBytes: 2000, maxColumns: 8, maxCellChars: 32_767, maxRecordChars: 1_000_000 });
      const fourRows = `${HEADER}\n${["L-1", "L-2", "L-3", "L-4"].map((r) => `${r},CSC,HLT,03/03/2025,thresholds,open`).join("\n")}\n`;
      expect(await upload(fourRows, { kind: "escalations", agency: "CSC", limits })).toEqual({
        refused: "The file has more than 3 records, the most one upload may hold. Split it into smaller files (for example by quarter).",
      });
      expect(await upload(`${HEADER}\n${`${GOOD_ROW}\n`.repeat(60)}`, { kind: "escalations", agency: "CSC", limits })).toEqual({
        // header 74 bytes + 60 rows × 39 bytes = 2,414 bytes
        refused: "The file is 2.4 KB; uploads are limited to 2 KB. Split it into smaller files (for example by quarter).",
      });
      expect(await upload(`${HEADER},a,b,c\n${GOOD_ROW}\n`, { kind: "escalations", agency: "CSC", limits })).toMatchObject({
        refused: expect.stringMatching(/^Row 1 has more than 8 cells/),
      });
      process.env.IMPORT_MAX_ROWS = "lots";
      expect(() => importLimits()).toThrow('IMPORT_MAX_ROWS must be a whole number above 0, not "lots"');
    } finally {
      process.env = saved;
    }
  });

  it("keeps only a file's own name, never a path", () => {
    const name = (fileName: string) => uploadRequestSchema.parse({ kind: "escalations", agency: "CSC", fileName }).fileName;
    expect(name("../../etc/passwd")).toBe("passwd");
    expect(name("C:\\Users\\me\\..\\escalations Q3.csv")).toBe("escalations Q3.csv");
    expect(name("logs/..")).toBe("upload.csv");
    expect(name("a\u0000b;rm -rf ~.csv")).toBe("a_b_rm -rf _.csv");
  });
});
