/**
 * The process's warehouse, chosen from the environment (DATABASE_URL, else the embedded database
 * in DATA_DIR) and opened, and migrated, on first use. Held by processWide so that hot reloads and
 * the built app's several copies of this module never open the data folder twice.
 */
import { dataDirectory } from "./dataFolder";
import type { Db, Warehouse } from "./db";
import { openWarehouse } from "./open";
import { processWide } from "./processWide";

/** The opening (or open) warehouse; emptied when an open fails, so that the next request tries again. */
const held = () => processWide("warehouse", () => ({ opening: undefined as Promise<Warehouse> | undefined }));

export function getWarehouse(): Promise<Warehouse> {
  const slot = held();
  if (!slot.opening) {
    const databaseUrl = process.env.DATABASE_URL || undefined;
    const opening = openWarehouse(databaseUrl ? { databaseUrl } : { dataDir: dataDirectory() });
    // A failed open is not kept: the next request tries again.
    opening.catch(() => {
      if (slot.opening === opening) slot.opening = undefined;
    });
    slot.opening = opening;
  }
  return slot.opening;
}

export async function getDb(): Promise<Db> {
  return (await getWarehouse()).db;
}

/** The process's connections for uploads (see Warehouse.uploadsDb). */
export async function getUploadsDb(): Promise<Db> {
  return (await getWarehouse()).uploadsDb;
}

/**
 * Opens the warehouse as the server starts. The embedded database failing to open ends the process
 * with the reason (nothing can work without it); a server that cannot be reached is reported and
 * tried again on the next request.
 */
export async function openAtStart(): Promise<void> {
  try {
    const warehouse = await getWarehouse();
    console.log(`Warehouse open: ${warehouse.driver === "pglite" ? `embedded database in ${warehouse.location}` : `PostgreSQL at ${warehouse.location}`}.`);
  } catch (error) {
    if (process.env.DATABASE_URL) {
      console.error(`The database server cannot be reached yet (${(error as Error).message}); pages will say so until it can.`);
      return;
    }
    console.error(`Cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}

/** Closes the process's warehouse, if open (CLI commands call this before exiting). */
export async function closeWarehouse(): Promise<void> {
  const slot = held();
  const opening = slot.opening;
  slot.opening = undefined;
  if (opening) await (await opening).close();
}
