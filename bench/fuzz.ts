/**
 * The longer fuzz run of the CSV importer (issue 8): generated files (tests/support/hostileFiles.ts)
 * through the real importer on the embedded database, each a dry run or a commit. Prints how many
 * cases ran, how they ended, the slowest cases, the largest heap seen, and every finding: a case that
 * ended in anything but a load, rejected rows or a refusal with a message.
 *
 *   npx tsx bench/fuzz.ts [cases=2000] [seed]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { openWarehouse } from "../db/client";
import { uploadBytes, uploadCase, uploadFile } from "../tests/support/hostileFiles";
import { loadSmallWorld } from "../tests/support/reference";

const cases = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ew-fuzz-bench-"));
const warehouse = await openWarehouse({});
await loadSmallWorld(warehouse.db);

const findings: string[] = [];

/** Files at full size, written to disk in pieces: time and peak memory (RSS) of each refusal. */
async function fullSize(name: string, write: (out: fs.WriteStream) => Promise<void>): Promise<string> {
  const file = path.join(dir, "full-size.csv");
  const out = fs.createWriteStream(file);
  await write(out);
  await new Promise<void>((resolve) => out.end(() => resolve()));
  const bytes = fs.statSync(file).size;
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t = performance.now();
  let ended: string;
  try {
    const outcome = await uploadFile(warehouse.db, file, { kind: "escalations", agency: "CSC", dryRun: true });
    ended = "refused" in outcome ? `refused: ${outcome.refused}` : outcome.result.outcome === "loaded" ? `loaded ${outcome.result.rowsRead} rows` : outcome.result.outcome;
  } catch (error) {
    ended = `FINDING ${(error as Error).message}`;
    findings.push(`${name}: ${(error as Error).message}`);
  }
  clearInterval(sampler);
  fs.rmSync(file, { force: true });
  return `  ${name} (${(bytes / 1e6).toFixed(0)} MB): ${(performance.now() - t).toFixed(0)} ms, memory +${((peak - rssBefore) / 1e6).toFixed(0)} MB; ${ended}`;
}
const header = "record_ref,raising_agency,receiving_agency,concern_arose_on,themes,status\n";
const row = "R-1,CSC,HLT,03/03/2025,thresholds,open\n";
const writeMany = async (out: fs.WriteStream, piece: string, times: number) => {
  const block = piece.repeat(Math.max(1, Math.floor(1_000_000 / piece.length)));
  for (let written = 0; written < times; written += block.length / piece.length) {
    if (!out.write(block)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
};
// First, while the heap is small, so that the memory each takes shows.
const large = [
  await fullSize("an unclosed quote on row 3 before 300 MB of rows", async (out) => {
    out.write(`${header}${row}R-2,CSC,HLT,"03/03/2025,thresholds,open\n`);
    await writeMany(out, row, 7_700_000);
  }),
  await fullSize("one line of 100 MB with no delimiter", async (out) => {
    out.write(header);
    await writeMany(out, "x", 100_000_000);
  }),
  await fullSize("a header of 2,000,000 columns", async (out) => {
    await writeMany(out, "column,", 2_000_000);
    out.write(`\n${row}`);
  }),
];
const ends = { loaded: 0, already_loaded: 0, refused: 0 };
const refusals = new Map<string, number>();
const times: number[] = [];
let maxHeap = 0;
let bytesIn = 0;
let slowest = { ms: 0, bytes: 0 };
const started = performance.now();
// Drawn 500 at a time so that the cases waiting to run do not fill the heap.
const drawn = function* () {
  for (let k = 0; k * 500 < cases; k++) yield* fc.sample(fc.tuple(uploadCase, fc.boolean()), { numRuns: Math.min(500, cases - k * 500), seed: seed + k });
};
for (const [c, commit] of drawn()) {
  const t = performance.now();
  bytesIn += c.bytes.length;
  try {
    const outcome = await uploadBytes(warehouse.db, dir, c.bytes, { kind: c.kind, agency: c.agency, dryRun: !commit });
    if ("refused" in outcome) {
      ends.refused++;
      const reason = outcome.refused.replace(/\d[\d,.]*/g, "N").slice(0, 70);
      refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
    } else ends[outcome.result.outcome]++;
    if ("result" in outcome && outcome.result.outcome === "loaded" && c.records !== undefined && outcome.result.rowsRead !== c.records) {
      findings.push(`read ${outcome.result.rowsRead} records of a well-formed file holding ${c.records}`);
    }
    if ("refused" in outcome && c.records) findings.push(`refused a well-formed file of ${c.records} records: ${outcome.refused}`);
  } catch (error) {
    const cause = (error as Error).cause as Error | undefined;
    findings.push(`${(error as Error).name}: ${(error as Error).message.slice(0, 120)}${cause ? ` (cause: ${cause.message})` : ""}`);
    fs.writeFileSync(path.join("bench", "out", `fuzz-finding-${findings.length}.csv`), c.bytes);
  }
  const ms = performance.now() - t;
  times.push(ms);
  if (ms > slowest.ms) slowest = { ms, bytes: c.bytes.length };
  maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
}
const seconds = (performance.now() - started) / 1000;

await warehouse.close();
fs.rmSync(dir, { recursive: true, force: true });

const sorted = [...times].sort((a, b) => a - b);
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!.toFixed(0);
const lines = [
  `Fuzzed the CSV importer: ${cases.toLocaleString("en-GB")} generated files (seed ${seed}), ${(bytesIn / 1e6).toFixed(1)} MB in all, in ${seconds.toFixed(0)} s on PGlite.`,
  `Ended: ${ends.loaded} loaded (some with rejected rows), ${ends.already_loaded} already loaded, ${ends.refused} refused with a message.`,
  `Time per case: median ${at(0.5)} ms, p99 ${at(0.99)} ms, slowest ${slowest.ms.toFixed(0)} ms (${slowest.bytes.toLocaleString("en-GB")} bytes). Largest heap seen: ${(maxHeap / 1e6).toFixed(0)} MB.`,
  "Refusals by message:",
  ...[...refusals].sort((a, b) => b[1] - a[1]).map(([m, n]) => `  ${String(n).padStart(5)}  ${m}`),
  "Hostile files at full size (read from disk; the importer streams them):",
  ...large,
  `Findings: ${findings.length}`,
  ...findings.map((f) => `  ${f}`),
];
console.log(lines.join("\n"));
fs.mkdirSync(path.join("bench", "out"), { recursive: true });
fs.writeFileSync(path.join("bench", "out", "fuzz.txt"), `${lines.join("\n")}\n`);
if (findings.length) process.exitCode = 1;
