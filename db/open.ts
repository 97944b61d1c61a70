/**
 * Opening a warehouse: a Postgres server when a URL is given, otherwise the embedded database;
 * migrated on open, with a failure to migrate explained in the data folder's terms where it can be.
 */
import { dataFolderProblem } from "./dataFolder";
import type { OpenOptions, Warehouse } from "./db";
import { openEmbedded } from "./embedded";
import { openServer } from "./server";

export async function openWarehouse(options: OpenOptions = {}): Promise<Warehouse> {
  const warehouse = options.databaseUrl ? await openServer(options) : await openEmbedded(options);
  if (options.migrate !== false) {
    try {
      await warehouse.migrate();
    } catch (error) {
      // The failure to open is what to report; a failure to close after it adds nothing.
      await warehouse.close().catch(() => {});
      const problem = warehouse.driver === "pglite" && options.dataDir ? dataFolderProblem(options.dataDir, error) : null;
      throw problem ? new Error(problem, { cause: error }) : error;
    }
  }
  return warehouse;
}
