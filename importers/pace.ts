/**
 * An upload gives way to people reading the dashboard. A large upload is background work for the
 * person who sent it (they wait for one answer), while every reader waits for each page; on a small
 * server both share the same cores. So after each piece of its work (a chunk of rows staged, a slice
 * of rows written), an upload that sees other queries running on the database rests twice as long
 * as the piece took, up to a limit: it takes at most about a third of one core while others are
 * waiting, and all it can when nobody is. An embedded database runs one query at a time, so it never rests.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../db/client";

/** The longest rest after one piece of work. */
const MOST_REST_MS = 500;

export class UploadPace {
  private started = performance.now();
  /** Time spent resting, for the bench and the logs. */
  rested = 0;

  constructor(private readonly db: Db) {}

  /** Ends a piece of work: rests twice as long as it took when others are using the database. */
  async giveWay(): Promise<void> {
    const worked = performance.now() - this.started;
    const [others] = await queryRows<{ n: number }>(
      this.db,
      sql`select count(*)::int as n from pg_stat_activity
          where state = 'active' and pid <> pg_backend_pid() and backend_type = 'client backend'`,
    );
    if (others && others.n > 0) {
      const rest = Math.min(2 * worked, MOST_REST_MS);
      await new Promise((resolve) => setTimeout(resolve, rest));
      this.rested += rest;
    }
    this.started = performance.now();
  }
}
