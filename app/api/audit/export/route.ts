import { z } from "zod";
import { csvLine } from "@/reports/csv";
import { listAuditAs } from "@/server/audit";
import { calendarDateSchema, filterTextSchema } from "@/server/inputs";
import { door, one } from "@/wiring/door";
import { csvResponse } from "@/wiring/responses";

const filterSchema = z.object({
  action: one(filterTextSchema("action", 60)).optional(),
  actor: one(filterTextSchema("actor", 200)).optional(),
  outcome: one(z.enum(["success", "refused", "failure"], { error: "outcome must be success, refused or failure" })).optional(),
  from: one(calendarDateSchema).optional(),
  to: one(calendarDateSchema).optional(),
});

/** The audit log as CSV (formula-safe), for admins; the export itself is audited. */
export const GET = door({
  permission: "audit.read",
  input: filterSchema,
  audit: "export.audit_log",
  handle: async ({ db, principal, input, note }) => {
    // Only the rows within the admin's own scope (an admin for all sees every row).
    const rows = await listAuditAs(db, principal, { ...input, limit: 100_000 });
    note({ details: { ...input, rows: rows.length } });
    const csv = csvLine(["id", "at", "actor", "action", "outcome", "scope", "details"]) +
      rows.map((r) => csvLine([r.id, r.at.toISOString(), r.actor, r.action, r.outcome, JSON.stringify(r.scope), JSON.stringify(r.details)])).join("");
    return csvResponse("audit-log.csv", csv);
  },
});
