/**
 * The one way to reach the warehouse. `DATABASE_URL` set: a Postgres server through postgres.js.
 * Unset: an embedded PGlite database in `DATA_DIR` (default ./.data), opened once per process.
 * Both run the same drizzle-kit migrations, on open.
 */
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { z } from "zod";
import * as schema from "./schema";

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

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/** The embedded database's folder: DATA_DIR, or ./.data beside the project. */
export function dataDirectory(): string {
  const configured = process.env.DATA_DIR;
  return configured ? path.resolve(configured) : path.join(process.cwd(), ".data");
}

const databaseUrlSchema = z
  .string()
  .regex(/^postgres(ql)?:\/\//, { message: "DATABASE_URL must start with postgres:// or postgresql://" });

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

/** Connections uploads have of their own on a server: one writes while another reads and stages (importers/importFile.ts). */
const UPLOAD_CONNECTIONS = 2;
/** How the uploads' connections name themselves to the server, so that uploads can tell readers from each other (importers/pace.ts). */
export const UPLOADS_APPLICATION_NAME = "escalation-warehouse uploads";

/**
 * How many of the dashboard's queries the app runs on the database server at once
 * (DATABASE_POOL_SIZE, default 10); more wait their turn. On this 2-core machine 2 served 50
 * readers no faster than 10, and with uploads running, slower (docs/adr/0014).
 */
export function databasePoolSize(): number {
  const raw = process.env.DATABASE_POOL_SIZE;
  if (raw === undefined || raw === "") return 10;
  const parsed = z.coerce.number().int().min(1).max(100).safeParse(raw);
  if (!parsed.success) throw new Error(`DATABASE_POOL_SIZE must be a whole number from 1 to 100, not "${raw}".`);
  return parsed.data;
}

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

async function openServer(options: OpenOptions): Promise<Warehouse> {
  const url = databaseUrlSchema.parse(options.databaseUrl);
  const pool = (max: number, applicationName: string) =>
    postgres(url, {
      max,
      connection: { application_name: applicationName },
      onnotice: () => {},
      // While the server is down or restarting, fail each request within seconds (a plain 503) and
      // reconnect within a second of it coming back. postgres.js's own backoff grows to 20 s between
      // attempts and holds queries meanwhile: pages hung for 30 s and more after a restart (bench/faults.ts).
      connect_timeout: 10,
      backoff: (attempt: number) => Math.min(0.1 * 2 ** attempt, 1),
    });
  const client = pool(options.maxConnections ?? databasePoolSize(), "escalation-warehouse");
  // Opens no connection until an upload asks for one.
  const uploadsClient = pool(UPLOAD_CONNECTIONS, UPLOADS_APPLICATION_NAME);
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  const where = new URL(url);
  return {
    db,
    uploadsDb: drizzlePostgres({ client: uploadsClient, schema }) as unknown as Db,
    driver: "postgres",
    location: `${where.hostname}:${where.port || 5432}${where.pathname}`,
    migrate: () => migrateServer(url),
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), uploadsClient.end({ timeout: 5 })]);
    },
  };
}

async function openEmbedded(options: OpenOptions): Promise<Warehouse> {
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
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
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

/**
 * What a failed file-system call means for the data folder, in words an operator can act on; null
 * when it is none of the known causes. Node gives a code; the embedded Postgres only a message.
 */
function dataFolderProblem(dataDir: string, error: unknown): string | null {
  const message = String((error as Error)?.message ?? error);
  const code =
    (error as NodeJS.ErrnoException).code ??
    (/No space left on device/i.test(message) ? "ENOSPC" : /Permission denied/i.test(message) ? "EACCES" : /Read-only file system/i.test(message) ? "EROFS" : undefined);
  switch (code) {
    case "EACCES":
    case "EPERM":
      return `This user may not write to the data folder ${dataDir} (permission denied). Give this user write access to it, or set DATA_DIR to a folder it may write.`;
    case "ENOSPC":
    case "EDQUOT":
      return `The disk holding the data folder ${dataDir} is full (no space left on the device). Free some space, or set DATA_DIR to a folder on another disk.`;
    case "EROFS":
      return `The data folder ${dataDir} is on a read-only disk. Set DATA_DIR to a folder on a writable disk.`;
    case "ENOTDIR":
    case "EEXIST":
      return `The data folder ${dataDir} cannot be created: a file, not a folder, is in the way. Move that file, or set DATA_DIR to another folder.`;
    default:
      return null;
  }
}

/** The embedded database needs room to start and to take an upload: below this, starting is refused. */
const MINIMUM_FREE_BYTES = 64_000_000;

function prepareDataDirectory(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK | fs.constants.R_OK);
    // A real write: access() answers yes for root even where writing then fails (a read-only disk).
    const probe = path.join(dataDir, `.write-check-${process.pid}`);
    fs.writeFileSync(probe, "ok");
    fs.rmSync(probe);
  } catch (error) {
    const problem =
      dataFolderProblem(dataDir, error) ??
      `The data folder ${dataDir} cannot be created or written (${(error as Error).message}). Give this user write access to it, free some disk space, or set DATA_DIR to another folder.`;
    throw new Error(problem, { cause: error });
  }
  const { bavail, bsize } = fs.statfsSync(dataDir);
  if (bavail * bsize < MINIMUM_FREE_BYTES) {
    throw new Error(
      `The disk holding the data folder ${dataDir} has only ${((bavail * bsize) / 1e6).toFixed(1)} MB free; the embedded database needs at least ` +
        `${(MINIMUM_FREE_BYTES / 1e6).toFixed(0)} MB to start safely. Free some space, or set DATA_DIR to a folder on another disk.`,
    );
  }
}

/**
 * Two processes opening one PGlite folder corrupt it, so a lock file beside the folder names the
 * process holding it. A lock left by a process that no longer runs is taken over.
 */
function takeLock(dataDir: string): () => void {
  const lockFile = `${dataDir.replace(/[\\/]+$/, "")}.lock`;
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = Number(fs.readFileSync(lockFile, "utf8").trim());
    if (holder && holder !== process.pid && processIsRunning(holder)) {
      throw new Error(
        `The embedded database in ${dataDir} is already open in another process (pid ${holder}). ` +
          "Stop that process first (for example the running dashboard), or set DATA_DIR to another folder.",
      );
    }
    fs.writeFileSync(lockFile, String(process.pid));
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    try {
      if (fs.readFileSync(lockFile, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockFile);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.on("exit", release);
  return release;
}

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Migrates a server through a separate single-connection client, holding an advisory lock so that
 * two app instances starting together do not migrate at once.
 */
async function migrateServer(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(72210431)`;
    await migratePostgres(drizzlePostgres({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * True when the database could not be reached or went away part-way (restarting, down, the network),
 * looking through the wrappers drizzle and better-auth put around the driver's error: the action can
 * simply be tried again, and a transaction on that connection cannot be rolled back.
 */
export function databaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === "string" ? e.code : "";
    // postgres.js's own codes (ConnectionLostError's too); the socket's; 57P01-57P03: the server is
    // shutting down, terminated the session or is starting up; 08xxx: connection exceptions.
    if (
      ["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "ECONNRESET", "ECONNREFUSED", "EPIPE"].includes(code) ||
      /^57P0[123]$/.test(code) || /^08/.test(code)
    ) {
      return true;
    }
  }
  return false;
}

export const DATABASE_UNAVAILABLE_MESSAGE =
  "The warehouse's database could not be reached just now (it may be restarting); nothing from this action was saved. Try again in a minute.";

/** Raised instead of touching a connection that the server or the network has closed. */
export class ConnectionLostError extends Error {
  readonly code = "CONNECTION_CLOSED";
  constructor() {
    super("The connection to the database was lost part-way through; nothing from this action was saved. Try again.");
    this.name = "ConnectionLostError";
  }
}

/**
 * Runs `work` in one transaction on either driver. On a server it uses a reserved postgres.js
 * connection and never writes to it once it has closed: postgres.js would then throw from a timer
 * (a write to a dead socket, uncatchable), which would take the whole process down. A closed
 * connection is also not released back to the pool (postgres.js reconnects it on demand).
 */
export async function withTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  const client = (db as unknown as { $client: unknown }).$client as postgres.Sql | undefined;
  if (!client || typeof client.reserve !== "function") return db.transaction((tx) => work(tx as unknown as Db));
  const reserved = await client.reserve();
  // postgres.js hands the connection to `onexecute`; a connection the pool has closed has `reserved` null.
  let connection: { reserved: unknown } | undefined;
  const closed = () => connection !== undefined && connection.reserved == null;
  const guarded = new Proxy(reserved, {
    get(target, property, receiver) {
      if (property === "options") return client.options;
      if (property === "unsafe") {
        return (...args: Parameters<postgres.Sql["unsafe"]>) => {
          if (closed()) throw new ConnectionLostError();
          return target.unsafe(...args);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
  const tx = drizzlePostgres({ client: guarded as unknown as postgres.Sql, schema }) as unknown as Db;
  try {
    await reserved.unsafe("begin", [], {
      onexecute: (c: { reserved: unknown }) => {
        connection = c;
      },
    } as unknown as postgres.UnsafeQueryOptions);
    const result = await work(tx);
    if (closed()) throw new ConnectionLostError();
    await reserved.unsafe("commit");
    return result;
  } catch (error) {
    if (!closed() && !databaseUnavailable(error)) await reserved.unsafe("rollback");
    throw error;
  } finally {
    if (!closed()) reserved.release();
  }
}

/** Rows of a raw SQL query, the same on both drivers (postgres.js returns an array, PGlite `{ rows }`). */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}


const GLOBAL_KEY = Symbol.for("escalation-warehouse.warehouse");
type GlobalWithWarehouse = typeof globalThis & { [GLOBAL_KEY]?: Promise<Warehouse> };

/**
 * The process's warehouse, chosen from the environment and opened (and migrated) on first use.
 * Cached on globalThis so that hot reloads in development never open the data folder twice.
 */
export function getWarehouse(): Promise<Warehouse> {
  const g = globalThis as GlobalWithWarehouse;
  if (!g[GLOBAL_KEY]) {
    const databaseUrl = process.env.DATABASE_URL || undefined;
    const opening = openWarehouse(databaseUrl ? { databaseUrl } : { dataDir: dataDirectory() });
    // A failed open is not cached: the next request tries again.
    opening.catch(() => {
      if (g[GLOBAL_KEY] === opening) delete g[GLOBAL_KEY];
    });
    g[GLOBAL_KEY] = opening;
  }
  return g[GLOBAL_KEY];
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
  const g = globalThis as GlobalWithWarehouse;
  const opening = g[GLOBAL_KEY];
  delete g[GLOBAL_KEY];
  if (opening) await (await opening).close();
}
