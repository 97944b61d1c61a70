/** One transaction on either driver, safe against a connection the server closes part-way. */
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import type { Db } from "./db";
import * as schema from "./schema";
import { ConnectionLostError, databaseUnavailable } from "./unavailable";

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
