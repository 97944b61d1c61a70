/**
 * Backups of the embedded database: the whole data folder as one compressed archive (PGlite's own
 * dump), and a restore into an empty folder. A server deployment backs up with pg_dump -Fc and
 * restores with pg_restore (README). Both write to the audit log.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { writeAudit } from "../server/audit";
import { openWarehouse, queryRows } from "./client";

export class BackupError extends Error {}

/** Writes a backup of the embedded database in `dataDir` to `file`; returns its size in bytes. */
export async function backupEmbedded(dataDir: string, file: string, actor: string): Promise<number> {
  if (!fs.existsSync(dataDir)) throw new BackupError(`There is no embedded database in ${dataDir} to back up.`);
  const warehouse = await openWarehouse({ dataDir });
  try {
    await writeAudit(warehouse.db, { actor, action: "backup", details: { file: path.basename(file) }, outcome: "success" });
    const archive = new Uint8Array(await (await warehouse.dump!()).arrayBuffer());
    fs.writeFileSync(file, archive);
    return archive.length;
  } finally {
    await warehouse.close();
  }
}

/**
 * Restores a backup into `dataDir`, which must be empty or absent (restoring never overwrites a
 * database: move the old folder aside first). Migrations newer than the backup are applied.
 */
export async function restoreEmbedded(file: string, dataDir: string, actor: string): Promise<{ escalations: number }> {
  if (!fs.existsSync(file)) throw new BackupError(`There is no backup file ${file}.`);
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    throw new BackupError(`The data folder ${dataDir} is not empty: move it aside (or set DATA_DIR to an empty folder) and restore again.`);
  }
  const warehouse = await openWarehouse({ dataDir, loadDataDir: new Blob([fs.readFileSync(file)]) });
  try {
    await writeAudit(warehouse.db, { actor, action: "restore", details: { file: path.basename(file) }, outcome: "success" });
    const [row] = await queryRows<{ n: number }>(warehouse.db, sql`select count(*)::int as n from escalations`);
    return { escalations: row?.n ?? 0 };
  } finally {
    await warehouse.close();
  }
}
