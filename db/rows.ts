/** Raw SQL results, read the same way on both drivers. */
import type { SQL } from "drizzle-orm";
import type { Db } from "./db";

/** Rows of a raw SQL query, the same on both drivers (postgres.js returns an array, PGlite `{ rows }`). */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
