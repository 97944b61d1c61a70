/** The embedded database: PGlite in a data folder (locked to this process), or in memory. */
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { dataFolderProblem, prepareDataDirectory, takeLock } from "./dataFolder";
import type { Db, OpenOptions, Warehouse } from "./db";
import { migrateEmbedded } from "./migrate";
import * as schema from "./schema";

export async function openEmbedded(options: OpenOptions): Promise<Warehouse> {
  const dataDir = options.dataDir;
  let releaseLock = () => {};
  if (dataDir) {
    prepareDataDirectory(dataDir);
    releaseLock = takeLock(dataDir);
  }
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir ?? "memory://", options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  } catch (error) {
    releaseLock();
    throw new Error(
      (dataDir && dataFolderProblem(dataDir, error)) ||
        `Could not open the embedded database in ${dataDir ?? "memory"}: ${(error as Error).message}. ` +
          "Check that the folder is writable and the disk has space, or set DATA_DIR to another folder.",
      { cause: error },
    );
  }
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    uploadsDb: db,
    driver: "pglite",
    location: dataDir ?? "memory",
    migrate: () => migrateEmbedded(db),
    dump: async () => (await client.dumpDataDir("gzip")) as Blob,
    close: async () => {
      try {
        if (!client.closed) await client.close();
      } finally {
        releaseLock();
      }
    },
  };
}
