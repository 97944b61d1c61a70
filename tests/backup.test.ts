/**
 * Backup and restore of the embedded database (issue 8): a round trip keeps every figure of the board
 * report, a restore never overwrites a database, and backing up a folder that holds none says so.
 * The embedded database is what these commands are for, so the test uses PGlite folders on every run.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { backupEmbedded, restoreEmbedded } from "../db/backup";
import { openWarehouse } from "../db/client";
import { getBoardReport } from "../server/metrics/boardReport";
import { loadHandWorkedWorld } from "./support/handWorld";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ew-backup-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const REPORT = { partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-09" };

describe("backup and restore of the embedded database", () => {
  it("restores every figure exactly", async () => {
    const original = path.join(scratch, "original");
    const warehouse = await openWarehouse({ dataDir: original });
    await loadHandWorkedWorld(warehouse.db);
    const before = await getBoardReport(warehouse.db, REPORT);
    await warehouse.close();

    const file = path.join(scratch, "warehouse.tar.gz");
    expect(await backupEmbedded(original, file, "test")).toBeGreaterThan(1000);
    const restored = path.join(scratch, "restored");
    // 21 escalations in the hand-worked world (E0–E20).
    expect(await restoreEmbedded(file, restored, "test")).toEqual({ escalations: 21 });
    const reopened = await openWarehouse({ dataDir: restored });
    try {
      expect(await getBoardReport(reopened.db, REPORT)).toEqual(before);
    } finally {
      await reopened.close();
    }
    // Never over a database: the restored folder now holds one.
    await expect(restoreEmbedded(file, restored, "test")).rejects.toThrow(/is not empty: move it aside/);
  });

  it("says so when there is nothing to back up or restore", async () => {
    await expect(backupEmbedded(path.join(scratch, "none"), path.join(scratch, "x.tar.gz"), "test")).rejects.toThrow(/There is no embedded database/);
    await expect(restoreEmbedded(path.join(scratch, "missing.tar.gz"), path.join(scratch, "r2"), "test")).rejects.toThrow(/There is no backup file/);
  });
});
