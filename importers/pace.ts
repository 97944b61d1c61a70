/**
 * An upload gives way to people reading the dashboard. A large upload is background work for the
 * person who sent it (they wait for one answer), while every reader waits for each page; on a small
 * server both share the same cores. So after each piece of its work (a chunk of rows staged, a slice
 * of rows written), an upload that sees readers (their queries running on the database, or the
 * app's thread busy serving them) rests: three times as long as the piece took, and then for as
 * long as readers are still there, up to a limit that keeps it moving. It takes at most about a
 * quarter of the machine while others read, and all it can when nobody does. An embedded database
 * runs one query at a time and never sees others, so it never rests.
 */
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { UPLOADS_APPLICATION_NAME, queryRows, type Db } from "../db/client";

/** The longest rest after one piece of work: an upload under constant reading still finishes. */
const MOST_REST_MS = 1_000;
/**
 * Above this share of the app's own thread busy while the upload rests, people are being served
 * pages (the app renders on one thread, which an upload's reading of rows also needs).
 */
const BUSY_THREAD = 0.25;
/** How often a resting upload looks again. */
const LOOK_EVERY_MS = 25;

export class UploadPace {
  private started = performance.now();
  /** Time spent resting, for the bench and the logs. */
  rested = 0;

  constructor(private readonly db: Db) {}

  /**
   * Queries of other people running now. Other uploads (which rest in turn) and queries waiting
   * for a lock (a commit waiting for its turn to write) are not readers.
   */
  private async readersActive(): Promise<boolean> {
    const [others] = await queryRows<{ n: number }>(
      this.db,
      sql`select count(*)::int as n from pg_stat_activity
          where state = 'active' and pid <> pg_backend_pid() and backend_type = 'client backend'
            and application_name <> ${UPLOADS_APPLICATION_NAME} and wait_event_type is distinct from 'Lock'`,
    );
    return (others?.n ?? 0) > 0;
  }

  /** Sleeps; says whether, meanwhile, the app's thread was busy with other work (serving pages). */
  private async restAndWatch(ms: number): Promise<boolean> {
    const before = performance.eventLoopUtilization();
    await sleep(ms);
    return performance.eventLoopUtilization(before).utilization > BUSY_THREAD;
  }

  /** Ends a piece of work: while readers are using the database or the app, rests (see above). */
  async giveWay(): Promise<void> {
    const worked = performance.now() - this.started;
    const restStart = performance.now();
    const rested = () => performance.now() - restStart;
    let appBusy = await this.restAndWatch(5);
    if (appBusy || (await this.readersActive())) {
      appBusy = await this.restAndWatch(Math.min(3 * worked, MOST_REST_MS));
      while (rested() + LOOK_EVERY_MS <= MOST_REST_MS && (appBusy || (await this.readersActive()))) appBusy = await this.restAndWatch(LOOK_EVERY_MS);
      this.rested += rested();
    }
    this.started = performance.now();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
