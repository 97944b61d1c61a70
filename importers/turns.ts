/**
 * Who goes when: uploads take turns in this process to read and check, and across every process
 * one at a time writes into the warehouse.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { processWide } from "../db/processWide";

/** The advisory lock that lets one upload at a time write into the warehouse (any number may read and stage). */
export const MERGE_LOCK = 72210432;

/**
 * One upload at a time is read, checked and written by this process, first come first served: it
 * reads rows on the app's only thread, which also renders every page, and two at once took that
 * thread from the people reading the dashboard (bench/load.ts). A preview waits its turn too.
 */
const uploadsInTurn = processWide("uploadsInTurn", () => ({ last: Promise.resolve() as Promise<unknown> }));

export function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const turn = uploadsInTurn.last.then(work, work);
  // The queue only orders the uploads; each one's own failure reaches its caller through `turn`.
  uploadsInTurn.last = turn.catch(() => {});
  return turn;
}

/**
 * Waits until no other upload is writing. Uploads are read and staged side by side, but written
 * one at a time: two large merges at once took both cores from the people reading the dashboard
 * (bench/load.ts). The lock is the transaction's, so it is let go at commit or rollback, whatever
 * happens.
 */
export async function takeWritingTurn(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${MERGE_LOCK})`);
}
