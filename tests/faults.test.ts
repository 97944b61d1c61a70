/**
 * Faults (issue 8) that fit in the suite: the process killed in the middle of an embedded import, and
 * a data folder that cannot be used at start. The Postgres server restarting under an upload or under
 * readers is in bench/faults.ts (it restarts the machine's shared server, which the suite also uses);
 * a connection ended mid-upload is in importer-versions.test.ts.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openWarehouse, queryRows, type Db } from "../db/client";
import { startApp } from "./support/app";
import { loadSmallWorld } from "./support/reference";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ew-faults-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const onServer = Boolean(process.env.DATABASE_URL);

async function tally(db: Db) {
  const [row] = await queryRows<{ batches: number; escalations: number; versions: number; rejects: number; commits: number }>(
    db,
    sql`select (select count(*)::int from import_batches) as batches, (select count(*)::int from escalations) as escalations,
               (select count(*)::int from escalation_versions) as versions, (select count(*)::int from import_rejects) as rejects,
               (select count(*)::int from audit_log where action = 'import.commit') as commits`,
  );
  return row!;
}

/** Runs the CLI on the data folder; resolves with its exit code and output, or kills it once `killWhen` matches stderr. */
function cli(dataDir: string, args: string[], killWhen?: RegExp): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, CHILD_REF_SECRET: "faults-secret-faults-secret-faults-0123" };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => {
    stderr += d;
    if (killWhen?.test(stderr) && child.exitCode === null) child.kill("SIGKILL");
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

describe.skipIf(onServer)("the process killed in the middle of an embedded import", () => {
  it("opens again consistent, without the batch, and a retry loads every row once", async () => {
    const dataDir = path.join(scratch, "killed");
    const setup = await openWarehouse({ dataDir });
    await loadSmallWorld(setup.db);
    const before = await tally(setup.db);
    await setup.close();

    // 40,000 rows: rows are staged 5,000 at a time inside the upload's one transaction, and the
    // process is killed (SIGKILL: no clean-up runs) once the first 10,000 have been staged.
    const file = path.join(scratch, "forty-thousand.csv");
    const rows = Array.from({ length: 40_000 }, (_, i) => `K${i},CSC,HLT,2025-05-${String((i % 28) + 1).padStart(2, "0")},thresholds,open`);
    fs.writeFileSync(file, `record_ref,raising_agency,receiving_agency,concern_arose_on,themes,status\n${rows.join("\n")}\n`);
    const killed = await cli(dataDir, ["import", file, "--kind", "escalations", "--agency", "CSC", "--progress"], /10,000 rows read/);
    expect(killed.signal).toBe("SIGKILL");
    expect(killed.stdout).not.toContain("Imported as batch");

    // The folder opens (the killed process's lock is taken over), the database is consistent, and nothing of the batch is there.
    const reopened = await openWarehouse({ dataDir });
    expect(await tally(reopened.db)).toEqual(before);
    const [check] = await queryRows<{ orphans: number }>(
      reopened.db,
      sql`select count(*)::int as orphans from escalations e where not exists (select 1 from import_batches b where b.id = e.batch_id)`,
    );
    expect(check!.orphans).toBe(0);
    await reopened.close();

    const retry = await cli(dataDir, ["import", file, "--kind", "escalations", "--agency", "CSC"]);
    expect(retry.stderr).toBe("");
    expect(retry.stdout).toMatch(/^Imported as batch \d+: .* 40,000 row\(s\) read: 40,000 loaded, 0 replaced, 0 unchanged, 0 rejected\./);
    const after = await openWarehouse({ dataDir });
    // Each row once: 40,000 escalations (no earlier versions: nothing was replaced); one batch, one commit in the audit log.
    expect(await tally(after.db)).toEqual({ ...before, batches: before.batches + 1, escalations: 40_000, commits: before.commits + 1 });
    await after.close();
  });
});

describe.skipIf(onServer)("a data folder that cannot be used", () => {
  it("stops the dashboard at start with a message saying what is wrong and what to do", async () => {
    const inTheWay = path.join(scratch, "a-file");
    fs.writeFileSync(inTheWay, "not a folder");
    const started = startApp({ DATA_DIR: path.join(inTheWay, "data") });
    await expect(started).rejects.toThrow(
      `Cannot start: The data folder ${path.join(inTheWay, "data")} cannot be created: a file, not a folder, is in the way. Move that file, or set DATA_DIR to another folder.`,
    );
  });

  it("names the folder and the cause when the command line cannot open it", async () => {
    const inTheWay = path.join(scratch, "another-file");
    fs.writeFileSync(inTheWay, "not a folder");
    const result = await cli(path.join(inTheWay, "data"), ["imports", "list"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`The data folder ${path.join(inTheWay, "data")} cannot be created: a file, not a folder, is in the way.`);
  });
});
