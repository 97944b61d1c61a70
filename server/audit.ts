/** The audit trail: every mutation writes its entry inside its own transaction. */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../db/client";
import { auditLog } from "../db/schema";

export interface AuditEntry {
  /** Who acted: a user's email, or 'cli:<os user>' from the command line, or 'system'. */
  actor: string;
  action: string;
  scope?: Record<string, unknown>;
  details?: Record<string, unknown>;
  outcome: "success" | "refused" | "failure";
}

export async function writeAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actor: entry.actor,
    action: entry.action,
    scope: entry.scope ?? {},
    details: entry.details ?? {},
    outcome: entry.outcome,
  });
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  outcome?: "success" | "refused" | "failure";
  /** Dates in Europe/London, inclusive. */
  from?: string;
  to?: string;
  limit?: number;
}

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  scope: Record<string, unknown>;
  details: Record<string, unknown>;
  outcome: string;
}

/** The audit log, newest first, filtered (action and actor match as prefixes / parts, case-insensitively). */
export async function listAudit(db: Db, filter: AuditFilter = {}): Promise<AuditRow[]> {
  const conditions = [
    filter.action ? sql`action ilike ${`${filter.action}%`}` : undefined,
    filter.actor ? sql`actor ilike ${`%${filter.actor}%`}` : undefined,
    filter.outcome ? sql`outcome = ${filter.outcome}` : undefined,
    filter.from ? sql`(at at time zone 'Europe/London')::date >= ${filter.from}::date` : undefined,
    filter.to ? sql`(at at time zone 'Europe/London')::date <= ${filter.to}::date` : undefined,
  ].filter((c): c is SQL => c !== undefined);
  const rows = await queryRows<{ id: string | number; at: string | Date; actor: string; action: string; scope: Record<string, unknown>; details: Record<string, unknown>; outcome: string }>(
    db,
    sql`select id, at, actor, action, scope, details, outcome from audit_log
        ${conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``}
        order by id desc limit ${filter.limit ?? 200}`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), at: new Date(r.at) }));
}
