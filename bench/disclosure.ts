/**
 * What secondary suppression costs (issue 21): for every partnership and the last four complete
 * quarters of the demo world (db/reference/demo.json and its generated records, on a scratch embedded
 * database), and for one quarter of every partnership of the national world (bench/world.ts on the
 * local server), how many cells the published board document hides by the small-number rule alone
 * ("before"), how many after secondary suppression, how many hidden cells the attacker could work
 * out before, and how long suppression (choosing the cells and checking them) takes per document.
 *
 *   npx tsx bench/disclosure.ts            # demo, then national (BENCH_DATABASE_URL or the local server)
 *   npx tsx bench/disclosure.ts demo       # the demo world only
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openWarehouse, type Db } from "../db/client";
import { DEFAULT_DEMO_OPTIONS, generateDemo } from "../importers/demo/generate";
import { importDemoFiles, writeDemoFiles } from "../importers/demo/files";
import { childRefHasher } from "../importers/pseudonymise";
import { attack } from "../reports/attacker";
import { documentPublication } from "../reports/boardDocument";
import { readerView, READER_RULES, suppress, type DisclosureProfile } from "../reports/disclosure";
import { addQuarters, lastCompleteQuarter, type Quarter } from "../server/calendar/quarters";
import { getBoardReportRun } from "../server/metrics/boardReport";
import { listPartnerships } from "../server/partnerships/list";
import { loadReferenceData, parseReferenceDataJson } from "../server/reference/config";
import { findingsSummary } from "../server/scrutiny/samples";
import { nationalWorldUrl } from "./world";

interface Totals {
  documents: number;
  cells: number;
  before: number;
  after: number;
  pinnedBefore: number;
  failed: number;
  ms: number[];
}

const empty = (): Totals => ({ documents: 0, cells: 0, before: 0, after: 0, pinnedBefore: 0, failed: 0, ms: [] });

async function measure(db: Db, partnerships: string[], quarters: Quarter[], asOf: string, profiles: DisclosureProfile[]): Promise<Record<DisclosureProfile, Totals>> {
  const totals = { dfe: empty(), nhs: empty() } as Record<DisclosureProfile, Totals>;
  for (const partnership of partnerships) {
    for (const quarter of quarters) {
      // The document's figures exactly as getBoardDocument reads them (four trend quarters, scrutiny).
      const run = await getBoardReportRun(db, { partnerships: [partnership], quarter, asOf, quarters: 4 });
      const publication = documentPublication(run, await findingsSummary(db, [partnership], asOf));
      for (const profile of profiles) {
        const t = totals[profile];
        const primary = new Set(Object.keys(publication.cells).filter((k) => publication.cells[k]! >= 1 && publication.cells[k]! <= READER_RULES[profile].largestHidden));
        // Before: the small-number rule alone, percentages and medians shown as far as that rule allows.
        const before = attack(readerView(publication, { hidden: primary, withheld: new Set() }, profile));
        const s = suppress(publication, profile);
        t.documents++;
        t.cells += s.check.cells;
        t.before += primary.size;
        t.after += s.hidden.size;
        t.pinnedBefore += before.pinned.length;
        if (!s.check.passed) t.failed++;
        t.ms.push(s.check.milliseconds);
      }
    }
  }
  return totals;
}

function report(world: string, totals: Record<DisclosureProfile, Totals>): void {
  for (const [profile, t] of Object.entries(totals)) {
    if (!t.documents) continue;
    const ms = [...t.ms].sort((a, b) => a - b);
    const pct = (n: number) => `${((100 * n) / t.cells).toFixed(1)}%`;
    console.log(
      `${world} ${profile}: ${t.documents} documents, ${t.cells} cells; hidden before ${t.before} (${pct(t.before)}), after ${t.after} (${pct(t.after)}), ` +
        `+${t.after - t.before}; worked out by the attacker before: ${t.pinnedBefore}, after: 0 (${t.failed} failed); ` +
        `suppression per document: median ${ms[Math.floor(ms.length / 2)]} ms, max ${ms.at(-1)} ms`,
    );
  }
}

async function demo(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ew-bench-disclosure-"));
  const warehouse = await openWarehouse({ dataDir: path.join(dir, "data") });
  try {
    const reference = parseReferenceDataJson(fs.readFileSync(path.join(process.cwd(), "db", "reference", "demo.json"), "utf8"));
    await loadReferenceData(warehouse.db, reference, "bench");
    const files = generateDemo(reference, DEFAULT_DEMO_OPTIONS);
    writeDemoFiles(path.join(dir, "uploads"), files);
    await importDemoFiles(warehouse.db, path.join(dir, "uploads"), files, { hasher: childRefHasher("bench-disclosure-not-a-deployment-secret"), actor: "bench" });
    const asOf = "2026-10-15";
    const last = lastCompleteQuarter(asOf);
    // Every quarter the demo covers (October 2024 to September 2026).
    const quarters = [7, 6, 5, 4, 3, 2, 1, 0].map((i) => addQuarters(last, -i));
    const codes = (await listPartnerships(warehouse.db)).map((p) => p.code);
    report(`demo (${codes.length} partnerships × ${quarters.join(", ")})`, await measure(warehouse.db, codes, quarters, asOf, ["dfe", "nhs"]));
  } finally {
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function national(): Promise<void> {
  const started = performance.now();
  const url = await nationalWorldUrl(process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test");
  console.log(`national world ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const warehouse = await openWarehouse({ databaseUrl: url });
  try {
    const codes = (await listPartnerships(warehouse.db)).map((p) => p.code);
    report(`national (${codes.length} partnerships × 2026-Q3)`, await measure(warehouse.db, codes, ["2026-Q3"], "2026-11-23", ["dfe", "nhs"]));
  } finally {
    await warehouse.close();
  }
}

await demo();
if (process.argv[2] !== "demo") await national();
