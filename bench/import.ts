/**
 * Import benchmark (issue 3): generates clean escalations files of 200,000 and 1,000,000 rows and
 * imports them end to end on postgres.js (and the 200,000-row file on PGlite), each in a child
 * process so its peak RSS is its own; as the reference, times a bare COPY of the same file into an
 * all-text table on the same server.
 *
 *   npx tsx bench/import.ts            (needs the local PostgreSQL at 127.0.0.1:5432)
 *   BENCH_SIZES=200000 npx tsx bench/import.ts
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { openWarehouse } from "../db/client";
import { importFile } from "../importers/importFile";
import { childRefHasher } from "../importers/pseudonymise";
import { loadReferenceData, parseReferenceDataJson } from "../server/reference/config";

const SERVER = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const OUT = path.join(process.cwd(), "bench", "out");
const SIZES = (process.env.BENCH_SIZES ?? "200000,1000000").split(",").map(Number);
const HEADER = "record_ref,partnership,raising_agency,receiving_agency,child_ref,concern_arose_on,themes,stage1_on,stage2_on,stage3_on,stage4_on,stage5_on,status,closed_on,learning_disseminated_on";

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A clean file: every row valid, HIOWC's escalations across the four HIPS partnerships. */
function writeFile(rows: number): string {
  const file = path.join(OUT, `escalations-${rows}.csv`);
  if (fs.existsSync(file)) return file;
  const partnerships = ["hampshire", "isle-of-wight", "portsmouth", "southampton"];
  const receivers = ["HIOW-ICB", "HIOWH", "SCAS", "PS-SC", "BARNARDOS"];
  const themes = ["thresholds", "information_sharing", "assessment_outcome; roles_responsibilities", "service_provision"];
  const out = fs.openSync(file, "w");
  let chunk = `${HEADER}\n`;
  let seed = 1;
  const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < rows; i++) {
    const day = 1 + Math.floor(next() * 28);
    const month = 1 + Math.floor(next() * 12);
    const year = 2022 + Math.floor(next() * 3);
    const d = (offset: number) => `${year}-${String(month).padStart(2, "0")}-${String(Math.min(28, day + offset)).padStart(2, "0")}`;
    const resolved = next() < 0.85;
    chunk += `HIOWC-${i},${partnerships[i % 4]},HIOWC,${receivers[i % 5]},CR${100000 + (i % 900000)},${d(0)},"${themes[i % 4]}",${d(1)},${d(2)},,,,${resolved ? "resolved" : "open"},${resolved ? d(2) : ""},\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = "";
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
  return file;
}

async function freshServerDatabase(name: string): Promise<string> {
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  return withDatabase(SERVER, name);
}

/** Child process: one import, printing its figures as JSON. */
async function runOne(driver: "postgres" | "pglite", file: string, target: string): Promise<void> {
  const warehouse = await openWarehouse(driver === "postgres" ? { databaseUrl: target } : { dataDir: target });
  await loadReferenceData(warehouse.db, parseReferenceDataJson(fs.readFileSync("db/reference/demo.json", "utf8")), "bench");
  const started = performance.now();
  const result = await importFile(warehouse.db, {
    filePath: file,
    fileName: path.basename(file),
    kind: "escalations",
    agency: "HIOWC",
    actor: "bench",
    hasher: childRefHasher("bench-secret-bench-secret-bench-secret-00"),
    uploadDate: "2026-11-23",
    rejectsToReturn: 10,
  });
  const seconds = (performance.now() - started) / 1000;
  await warehouse.close();
  if (result.outcome !== "loaded") throw new Error(JSON.stringify(result));
  console.log(JSON.stringify({ seconds, rows: result.rowsRead, loaded: result.counts.loaded, rejected: result.counts.rejected, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function bareCopy(file: string, target: string): Promise<number> {
  const sql = postgres(target, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create table bare_escalations (${HEADER.split(",").map((c) => `${c} text`).join(", ")})`);
  const started = performance.now();
  const writable = await sql.unsafe("copy bare_escalations from stdin with (format csv, header true)").writable();
  await pipeline(fs.createReadStream(file), writable);
  const seconds = (performance.now() - started) / 1000;
  await sql.end();
  return seconds;
}

async function main(): Promise<void> {
  const [mode, driver, file, target] = process.argv.slice(2);
  if (mode === "--one") return runOne(driver as "postgres" | "pglite", file!, target!);
  fs.mkdirSync(OUT, { recursive: true });
  const lines: string[] = [];
  const child = (args: string[]) =>
    JSON.parse(execFileSync(process.execPath, ["--import", "tsx", "bench/import.ts", "--one", ...args], { encoding: "utf8", maxBuffer: 1 << 24 }).trim().split("\n").pop()!) as {
      seconds: number; rows: number; loaded: number; rejected: number; peakRssMb: number;
    };
  for (const size of SIZES) {
    const file = writeFile(size);
    const mb = fs.statSync(file).size / 1e6;
    const copyTarget = await freshServerDatabase("ew_bench_copy");
    const copySeconds = await bareCopy(file, copyTarget);
    const importTarget = await freshServerDatabase("ew_bench_import");
    const pg = child(["postgres", file, importTarget]);
    lines.push(
      `${size.toLocaleString("en-GB")} rows (${mb.toFixed(0)} MB), postgres.js: ${pg.seconds.toFixed(1)} s end to end = ` +
        `${Math.round(pg.rows / pg.seconds).toLocaleString("en-GB")} rows/s, peak RSS ${pg.peakRssMb.toFixed(0)} MB; ` +
        `bare COPY ${copySeconds.toFixed(1)} s; ratio ${(pg.seconds / copySeconds).toFixed(2)}× (loaded ${pg.loaded}, rejected ${pg.rejected})`,
    );
    console.log(lines.at(-1));
    if (size <= 200_000) {
      const dir = fs.mkdtempSync(path.join(OUT, "pglite-"));
      const lite = child(["pglite", file, path.join(dir, "data")]);
      fs.rmSync(dir, { recursive: true, force: true });
      lines.push(
        `${size.toLocaleString("en-GB")} rows, PGlite: ${lite.seconds.toFixed(1)} s end to end = ${Math.round(lite.rows / lite.seconds).toLocaleString("en-GB")} rows/s, peak RSS ${lite.peakRssMb.toFixed(0)} MB`,
      );
      console.log(lines.at(-1));
    }
  }
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  for (const name of ["ew_bench_copy", "ew_bench_import"]) await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
  fs.writeFileSync(path.join(OUT, "import.txt"), `${lines.join("\n")}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
