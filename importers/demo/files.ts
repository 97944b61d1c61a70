import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../db/client";
import { importFile, type ImportResult } from "../importFile";
import type { ChildRefHasher } from "../pseudonymise";
import { toCsv, type DemoFile } from "./generate";

/** Writes the demo uploads as CSV files, with a manifest naming each file's kind and agency. */
export function writeDemoFiles(dir: string, files: DemoFile[]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const written = files.map((file) => {
    const target = path.join(dir, file.fileName);
    fs.writeFileSync(target, toCsv(file));
    return target;
  });
  const manifest = files.map((f) => ({ file: f.fileName, kind: f.kind, agency: f.agency, rows: f.rows.length }));
  fs.writeFileSync(path.join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return written;
}

export interface DemoImportSummary {
  files: number;
  rowsRead: number;
  loaded: number;
  rejected: number;
}

/** Uploads the written demo files through the importer, as each agency would. */
export async function importDemoFiles(
  db: Db,
  dir: string,
  files: DemoFile[],
  options: { hasher: ChildRefHasher; actor: string; uploadDate?: string },
): Promise<DemoImportSummary> {
  const summary: DemoImportSummary = { files: 0, rowsRead: 0, loaded: 0, rejected: 0 };
  // Escalations first, so that dissent's escalation references already exist.
  for (const file of files) {
    const result: ImportResult = await importFile(db, {
      filePath: path.join(dir, file.fileName),
      fileName: file.fileName,
      kind: file.kind,
      agency: file.agency,
      actor: options.actor,
      hasher: options.hasher,
      uploadDate: options.uploadDate,
      rejectsToReturn: 0,
    });
    if (result.outcome !== "loaded") continue;
    summary.files++;
    summary.rowsRead += result.rowsRead;
    summary.loaded += result.counts.loaded;
    summary.rejected += result.counts.rejected;
  }
  return summary;
}
