/**
 * Failed sign-ins are limited per account as well as per address: the address a request names
 * (X-Forwarded-For) is the client's own word unless a proxy sets it, so a guesser can change it on
 * every try; the account it guesses at cannot change. The failures are the audit log's own rows
 * (server/access/auth.ts writes one per failed sign-in), so the limit holds across processes.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";

/** Failed sign-ins to one account allowed in a minute; the next waits for the minute to pass. */
export const FAILED_SIGN_INS_PER_MINUTE = 5;

export const TOO_MANY_SIGN_INS_MESSAGE = "Too many failed sign-ins to this account in the last minute. Wait a minute and try again, or ask your business manager to reset your password.";

export async function tooManyFailedSignIns(db: Db, email: string): Promise<boolean> {
  const [row] = await queryRows<{ failures: number }>(
    db,
    sql`select count(*)::int as failures from audit_log
        where action = 'sign_in' and outcome = 'failure' and actor = ${email.trim().toLowerCase()} and at > now() - interval '1 minute'`,
  );
  return (row?.failures ?? 0) >= FAILED_SIGN_INS_PER_MINUTE;
}
