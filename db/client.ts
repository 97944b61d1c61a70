/**
 * The one way to reach the warehouse. `DATABASE_URL` set: a Postgres server through postgres.js.
 * Unset: an embedded PGlite database in `DATA_DIR` (default ./.data), opened once per process.
 * Both run the same drizzle-kit migrations, on open.
 *
 * This module only gathers the public pieces, each of which lives in a file with one job
 * (docs/adr/0020-db-one-job-per-file.md), so that the app's many importers name one module.
 */
export type { Db, OpenOptions, Warehouse } from "./db";
export { openWarehouse } from "./open";
export { databasePoolSize, UPLOADS_APPLICATION_NAME } from "./server";
export { dataDirectory } from "./dataFolder";
export { MIGRATIONS_FOLDER } from "./migrate";
export { ConnectionLostError, DATABASE_UNAVAILABLE_MESSAGE, databaseUnavailable } from "./unavailable";
export { withTransaction } from "./transactions";
export { queryRows } from "./rows";
export { closeWarehouse, getDb, getUploadsDb, getWarehouse, openAtStart } from "./warehouse";
