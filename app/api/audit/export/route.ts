import { z } from "zod";
import { principalFrom } from "@/app/lib/session";
import { getDb } from "@/db/client";
import { csvLine } from "@/reports/csv";
import { isoDateSchema } from "@/server/calendar/dates";
import { authorize } from "@/server/access/permissions";
import { listAudit, writeAudit } from "@/server/audit";
import { csvResponse, errorResponse } from "../../respond";

const filterSchema = z.object({
  action: z.string().max(60).optional(),
  actor: z.string().max(200).optional(),
  outcome: z.enum(["success", "refused", "failure"]).optional(),
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
});

/** The audit log as CSV (formula-safe), for admins; the export itself is audited. */
export async function GET(req: Request): Promise<Response> {
  try {
    const db = await getDb();
    const principal = await principalFrom(req.headers);
    await authorize(db, principal, "audit.read");
    const filter = filterSchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    const rows = await listAudit(db, { ...filter, limit: 100_000 });
    await writeAudit(db, { actor: principal!.email, action: "export.audit_log", details: { ...filter, rows: rows.length }, outcome: "success" });
    const csv = csvLine(["id", "at", "actor", "action", "outcome", "scope", "details"]) +
      rows.map((r) => csvLine([r.id, r.at.toISOString(), r.actor, r.action, r.outcome, JSON.stringify(r.scope), JSON.stringify(r.details)])).join("");
    return csvResponse("audit-log.csv", csv);
  } catch (error) {
    return errorResponse(error);
  }
}
