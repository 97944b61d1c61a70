/** What the rest of the app holds: a drizzle database over the warehouse's schema, and the warehouse it came from. */
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

/** Both drivers' drizzle instances (postgres.js and PGlite) are assignable to this. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Warehouse {
  db: Db;
  /**
   * What uploads write through. On a server, connections of their own: an upload holds one for its
   * whole transaction (a minute or more for 100,000 rows while people read), which would otherwise
   * be taken from the pool that pages wait for. The embedded database has one connection for everything.
   */
  uploadsDb: Db;
  driver: "pglite" | "postgres";
  /** Where the data lives, for messages: the data folder or the server (without credentials). */
  location: string;
  /** Applies any migrations not yet applied (openWarehouse does this unless told not to). */
  migrate(): Promise<void>;
  /** The embedded database as one compressed archive (a backup); absent on a server (use pg_dump). */
  dump?: () => Promise<Blob>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A Postgres server; when absent the embedded database is used. */
  databaseUrl?: string;
  /** The embedded database's folder; absent with `loadDataDir` or `memory` means in memory. */
  dataDir?: string;
  /** Start the embedded database from a dump (a migrated template, in tests). */
  loadDataDir?: Blob;
  /** Run migrations on open (default true). */
  migrate?: boolean;
  /** Connections in the readers' pool (default: databasePoolSize()). */
  maxConnections?: number;
}
