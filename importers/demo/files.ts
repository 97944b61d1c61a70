import fs from "node:fs";
import path from "node:path";
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
