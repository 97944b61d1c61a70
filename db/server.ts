/** A Postgres server through postgres.js: the readers' pool, and the uploads' own connections. */
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { z } from "zod";
import type { Db, OpenOptions, Warehouse } from "./db";
import { migrateServer } from "./migrate";
import * as schema from "./schema";

const databaseUrlSchema = z
  .string()
  .regex(/^postgres(ql)?:\/\//, { message: "DATABASE_URL must start with postgres:// or postgresql://" });

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

export async function openServer(options: OpenOptions): Promise<Warehouse> {
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
