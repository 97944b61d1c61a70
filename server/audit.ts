/** The audit trail: every mutation writes its entry inside its own transaction. */
import type { Db } from "../db/client";
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
