/** The audit trail: every mutation writes its entry inside its own transaction. */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../db/client";
import { auditLog } from "../db/schema";
import type { Principal } from "./access/permissions";

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
  return selectAudit(db, filter, undefined);
}

/**
 * The audit log as a person may read it (the audit page, its CSV export): an admin for all
 * partnerships reads every row; an admin for some reads the rows whose scope lies within their
 * partnerships (every partnership named is theirs, every agency named is in one of theirs), and
 * the rows their own account wrote. A row naming no partnership or agency (a sign-in, a backup)
 * is only theirs to read if they wrote it. Decided in SQL, on the jsonb scope.
 */
export async function listAuditAs(db: Db, principal: Principal, filter: AuditFilter = {}): Promise<AuditRow[]> {
  const adminGrants = principal.grants.filter((g) => g.role === "admin");
  if (adminGrants.some((g) => g.partnerships === "all")) return selectAudit(db, filter, undefined);
  const partnerships = [...new Set(adminGrants.flatMap((g) => g.partnerships as string[]))].sort();
  return selectAudit(db, filter, readableBy(principal.email, partnerships));
}

/** The rows `email` wrote, and the rows whose scope names only the given partnerships and their agencies. */
function readableBy(email: string, partnerships: string[]): SQL {
  if (partnerships.length === 0) return sql`actor = ${email}`;
  const theirs = JSON.stringify(partnerships);
  const theirAgencies = sql`(select lower(a.code) from agencies a join agency_partnerships m on m.agency_id = a.id join partnerships p on p.id = m.partnership_id
                             where p.code in (${sql.join(partnerships.map((c) => sql`${c}`), sql`, `)}))`;
  const names = sql`((jsonb_typeof(scope->'partnerships') = 'array' and jsonb_array_length(scope->'partnerships') > 0)
                     or jsonb_typeof(scope->'agency') = 'string'
                     or (jsonb_typeof(scope->'agencies') = 'array' and jsonb_array_length(scope->'agencies') > 0))`;
  const partnershipsWithin = sql`(not (scope ? 'partnerships') or (jsonb_typeof(scope->'partnerships') = 'array' and (scope->'partnerships') <@ ${theirs}::jsonb))`;
  const agencyWithin = sql`(not (scope ? 'agency') or (jsonb_typeof(scope->'agency') = 'string' and lower(scope->>'agency') in ${theirAgencies}))`;
  const agenciesWithin = sql`(not (scope ? 'agencies') or (jsonb_typeof(scope->'agencies') = 'array'
                               and not exists (select 1 from jsonb_array_elements(scope->'agencies') e
                                               where jsonb_typeof(e) <> 'string' or lower(e #>> '{}') not in ${theirAgencies})))`;
  return sql`(actor = ${email} or (${names} and ${partnershipsWithin} and ${agencyWithin} and ${agenciesWithin}))`;
}

async function selectAudit(db: Db, filter: AuditFilter, readable: SQL | undefined): Promise<AuditRow[]> {
  const conditions = [
    readable,
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
