/**
 * What every reference-data service of the business manager shares: whose partnerships they are,
 * input checked in plain English, and one transaction holding the change and its audit row — or,
 * when the change is refused, nothing changed and the refusal audited.
 */
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { queryRows, withTransaction, type Db } from "../../../db/client";
import { authorizeOrHide, ForbiddenError, partnershipsFor, type Principal } from "../../access/permissions";
import { writeAudit } from "../../audit";
import { InvalidRequestError, NotFoundError } from "../../errors";
import { describeIssues } from "../../inputs";
import { ReferenceDataError } from "../referenceDataError";

/** A change refused because of what it would do to loaded records (or to the rest of the reference data): nothing was changed. */
export class RefusedChangeError extends InvalidRequestError {
  override name = "RefusedChangeError";
}

/** The partnerships an admin changes: their codes, or "all" for an admin with no partnership scope. */
export function managedPartnerships(principal: Principal): string[] | "all" {
  return partnershipsFor(principal, "reference.manage");
}

export const inScope = (scope: string[] | "all", code: string) => scope === "all" || scope.includes(code);

/** The input as the schema reads it, or a refusal naming each field and value. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidRequestError(describeIssues(parsed.error));
  return parsed.data;
}

export const noSuchPartnership = (code: string) => `There is no partnership "${code}" among the partnerships you manage.`;

/**
 * The partnership, when the admin manages it. Another partnership is answered as a missing one
 * (and the attempt audited), as every cross-scope refusal is.
 */
export async function managedPartnership(db: Db, principal: Principal, code: string): Promise<{ id: number; code: string; name: string }> {
  await authorizeOrHide(db, principal, "reference.manage", { partnerships: [code] }, noSuchPartnership(code));
  const [row] = await queryRows<{ id: number; code: string; name: string }>(db, sql`select id, code, name from partnerships where code = ${code}`);
  if (!row) throw new NotFoundError(noSuchPartnership(code));
  return row;
}

/** Refuses (audited) anyone but an admin with no partnership scope: for what is the whole deployment's. */
export async function requireAdminForAll(db: Db, principal: Principal, action: string, what: string): Promise<void> {
  if (managedPartnerships(principal) === "all") return;
  await writeAudit(db, { actor: principal.email, action: "access.reference.manage", scope: {}, details: { action }, outcome: "refused" });
  throw new ForbiddenError(`Only a business manager for all partnerships may ${what}.`);
}

export interface AuditedChange {
  actor: string;
  action: string;
  scope: Record<string, unknown>;
  details: Record<string, unknown>;
}

/**
 * Runs `work` in one transaction and writes its audit row there (with the details `work` adds). A
 * refusal thrown by `work` (an InvalidRequestError, or the version store's ReferenceDataError) rolls
 * everything back; the refusal is then audited on its own and thrown as a RefusedChangeError (or the
 * InvalidRequestError it was), which the API answers with 400 and the message.
 */
export async function changeAudited<T>(db: Db, change: AuditedChange, work: (tx: Db) => Promise<{ result: T; details?: Record<string, unknown> }>): Promise<T> {
  try {
    return await withTransaction(db, async (tx) => {
      const { result, details } = await work(tx);
      await writeAudit(tx, { actor: change.actor, action: change.action, scope: change.scope, details: { ...change.details, ...details }, outcome: "success" });
      return result;
    });
  } catch (error) {
    const refusal = asRefusal(error);
    if (!refusal) throw error;
    await writeAudit(db, { actor: change.actor, action: change.action, scope: change.scope, details: { ...change.details, refused: refusal.message }, outcome: "refused" });
    throw refusal;
  }
}

/** The refusal an error stands for, or null for an unexpected error. */
export function asRefusal(error: unknown): InvalidRequestError | null {
  if (error instanceof ReferenceDataError) return new RefusedChangeError(error.problems.join(" "));
  if (error instanceof InvalidRequestError) return error;
  return null;
}

/** "3 loaded escalations", "1 loaded record". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The first few of a list, for a message: "E1, E2, E3 and 4 more". */
export function firstFew(items: string[], total: number, shown = 5): string {
  const listed = items.slice(0, shown).join(", ");
  return total > Math.min(items.length, shown) ? `${listed} and ${total - Math.min(items.length, shown)} more` : listed;
}
