/** The drizzle-kit migrations in db/migrations, applied the same way on both databases. */
import path from "node:path";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { Db } from "./db";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

export async function migrateEmbedded(db: Db): Promise<void> {
  await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
}

/**
 * Migrates a server through a separate single-connection client, holding an advisory lock so that
 * two app instances starting together do not migrate at once.
 */
export async function migrateServer(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(72210431)`;
    await migratePostgres(drizzlePostgres({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.end({ timeout: 5 });
  }
}
