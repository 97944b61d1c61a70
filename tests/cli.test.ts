/**
 * The command line, run as a user runs it: `npm run cli -- config load FILE` (and `config export`) against the run's
 * database choice (a data folder of its own on PGlite, this file's own database on a server).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openWarehouse, queryRows, type Db } from "../db/client";
import { exportReferenceData } from "../server/reference/configExport";
import { sql } from "drizzle-orm";
import { useTestWarehouse } from "./support/db";
import { importText } from "./support/records";
import { DEMO_REFERENCE_FILE } from "./support/reference";

const run = promisify(execFile);
const ctx = useTestWarehouse();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ew-cli-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  if (ctx.databaseUrl) env.DATABASE_URL = ctx.databaseUrl;
  else {
    delete env.DATABASE_URL;
    env.DATA_DIR = path.join(scratch, "data");
  }
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The CLI's own warehouse, opened in this process (the data folder is closed again before the next CLI run). */
async function withCliWarehouse<T>(use: (db: Db) => Promise<T>): Promise<T> {
  const warehouse = ctx.databaseUrl ? ctx.warehouse : await openWarehouse({ dataDir: path.join(scratch, "data") });
  try {
    return await use(warehouse.db);
  } finally {
    if (warehouse !== ctx.warehouse) await warehouse.close();
  }
}

async function referenceCounts() {
  return withCliWarehouse(async (db) => {
    const [row] = await queryRows(
      db,
      sql`select (select count(*)::int from partnerships) as partnerships, (select count(*)::int from agencies) as agencies,
                 (select count(*)::int from agency_aliases) as aliases, (select count(*)::int from calendar_days) as calendar_days`,
    );
    return row;
  });
}

describe("npm run cli -- config load", () => {
  it("loads the demo reference data, and loading it twice leaves the same rows", async () => {
    const first = await cli("config", "load", DEMO_REFERENCE_FILE);
    expect(first.stderr).toBe("");
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/5 partnership\(s\), 5 procedure version\(s\), 29 agency\(ies\) with 54 alias\(es\), 2 closure day\(s\)/);
    const after = await referenceCounts();
    const second = await cli("config", "load", DEMO_REFERENCE_FILE);
    expect(second.code).toBe(0);
    expect(await referenceCounts()).toEqual(after);
    expect(after).toEqual({ partnerships: 5, agencies: 29, aliases: 54, calendar_days: 5 * 5844 });
  });

  it("refuses a malformed file with exit code 1, naming the field, and changes nothing", async () => {
    const before = await referenceCounts();
    const bad = JSON.parse(fs.readFileSync(DEMO_REFERENCE_FILE, "utf8")) as { agencies: Array<{ sector: string }> };
    bad.agencies[0]!.sector = "constabulary";
    const file = path.join(scratch, "bad.json");
    fs.writeFileSync(file, JSON.stringify(bad));
    const result = await cli("config", "load", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("The reference data was not loaded: 1 problem(s) found.");
    expect(result.stderr).toContain('agencies[0].sector: Invalid option');
    expect(result.stderr).toContain('(value: "constabulary")');
    expect(await referenceCounts()).toEqual(before);
  });

  it("says plainly when the file is missing or not JSON", async () => {
    const missing = await cli("config", "load", path.join(scratch, "nope.json"));
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toMatch(/Cannot read .*nope\.json: no such file/);
    const notJson = path.join(scratch, "not.json");
    fs.writeFileSync(notJson, "partnerships: []");
    const broken = await cli("config", "load", notJson);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("the file is not valid JSON");
  });
  it("exports the reference data in the shape config load takes: export, load, export gives the same bytes", async () => {
    const file = path.join(scratch, "exported.json");
    const written = await cli("config", "export", "--out", file);
    expect(written).toMatchObject({ code: 0, stderr: "" });
    // demo.json's five partnerships, each with its one version (the shared "hips" written out for each of the four), and its 29 agencies.
    expect(written.stdout).toMatch(/^Wrote the reference data of .* to .*exported\.json: 5 partnership\(s\), 5 procedure version\(s\), 29 agency\(ies\)\.\n$/);
    const before = await referenceCounts();
    const loaded = await cli("config", "load", file);
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toMatch(/5 partnership\(s\), 5 procedure version\(s\), 29 agency\(ies\) with 54 alias\(es\), 2 closure day\(s\)/);
    expect(await referenceCounts()).toEqual(before);
    // Without --out the export goes to the terminal, and nothing else does.
    const again = await cli("config", "export");
    expect(again).toMatchObject({ code: 0, stderr: "" });
    expect(again.stdout).toBe(fs.readFileSync(file, "utf8"));
    const usage = await cli("config", "export", "somewhere.json");
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain("config export takes no file name of its own; write to one with --out FILE.");
  });

  it("refuses, exit 1, a load that would leave a loaded record beyond its version's stages: nothing changes, the refusal is audited", async () => {
    // OX-1 dates step 5 of Oxfordshire's five (steps 2 to 4 skipped), raised in 2024-Q1.
    const header = "record_ref,raising_agency,receiving_agency,concern_arose_on,themes,stage1_on,stage2_on,stage3_on,stage4_on,stage5_on,status";
    const uploaded = await withCliWarehouse((db) =>
      importText(db, `${header}\nOX-1,TVP,OCC-CS,2024-03-04,thresholds,2024-03-05,,,,2024-03-11,open\n`, { kind: "escalations", agency: "TVP" }),
    );
    expect(uploaded).toMatchObject({ outcome: "loaded", counts: { loaded: 1, rejected: 0 } });
    const before = await withCliWarehouse(async (db) => (await exportReferenceData(db)).text);

    const shorter = JSON.parse(fs.readFileSync(DEMO_REFERENCE_FILE, "utf8")) as { procedures: Array<{ code: string; stages: unknown[] }> };
    const oxfordshire = shorter.procedures.find((p) => p.code === "oxfordshire")!;
    oxfordshire.stages = oxfordshire.stages.slice(0, 4);
    const file = path.join(scratch, "four-steps.json");
    fs.writeFileSync(file, JSON.stringify(shorter));
    const result = await cli("config", "load", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "1 loaded escalation(s) would have a stage date beyond the stages of the procedure version that judges them, so nothing was changed. " +
        'The first: oxfordshire OX-1 (stage 5 dated; "Oxfordshire: escalation and resolving professional concerns and disagreements policy (July 2024)" has 4).',
    );
    expect(await withCliWarehouse(async (db) => (await exportReferenceData(db)).text)).toBe(before);
    const [audit] = await withCliWarehouse((db) =>
      queryRows<{ outcome: string; problems: string[] }>(
        db,
        sql`select outcome, details->'problems' as problems from audit_log where action = 'reference_data.load' order by id desc limit 1`,
      ),
    );
    expect(audit).toMatchObject({ outcome: "refused", problems: [expect.stringContaining("oxfordshire OX-1 (stage 5 dated")] });
  });

  it("prints the board report as JSON, and refuses an as-of date before the quarter's end", async () => {
    const report = await cli("report", "board", "--partnership", "oxfordshire", "--quarter", "2025-Q3", "--as-of", "2025-10-15");
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({
      partnership: "oxfordshire", quarter: "2025-Q3", asOf: "2025-10-15", period: { start: "2025-07-01", end: "2025-09-30" },
      escalations: { raised: 0, stageReached: { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 }, resolvedAtLowestLevelPct: null },
      dissent: { count: 0, ratePer100Conferences: null },
    });
    const early = await cli("report", "board", "--partnership", "oxfordshire", "--quarter", "2025-Q3", "--as-of", "2025-09-29");
    expect(early.code).toBe(1);
    expect(early.stderr).toContain("The as-of date (29 September 2025) is before the end of 2025-Q3 (30 September 2025).");
  });
});

