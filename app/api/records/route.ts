import { getDb } from "@/db/client";
import { ARROW_CONTENT_TYPE, escalationRecordsToArrow } from "@/reports/arrow";
import { recordScopeFor } from "@/server/access/recordScope";
import { writeAudit } from "@/server/audit";
import { listEscalationRecords } from "@/server/records/escalationRecords";
import { errorResponse, readFilters, signedIn } from "../respond";

/**
 * Pseudonymised escalation records in scope, as an Arrow IPC stream for the records table.
 * Permission-checked (an agency lead gets only its own agency's) and written to the audit log.
 */
export async function GET(req: Request): Promise<Response> {
  try {
    const db = await getDb();
    const principal = await signedIn(req);
    const filters = readFilters(new URL(req.url).searchParams);
    const scope = await recordScopeFor(db, principal, filters.partnership);
    const rows = await listEscalationRecords(db, { ...filters, partnerships: scope.partnerships, involvingAgency: scope.involvingAgency });
    await writeAudit(db, {
      actor: principal.email,
      action: "records.list",
      scope: { partnerships: scope.partnerships, ...(scope.involvingAgency ? { agency: scope.involvingAgency } : {}) },
      details: { from: filters.from, to: filters.quarter, agency: filters.agency ?? null, theme: filters.theme ?? null, rows: rows.length },
      outcome: "success",
    });
    return new Response(new Uint8Array(escalationRecordsToArrow(rows)), {
      headers: { "content-type": ARROW_CONTENT_TYPE, "cache-control": "no-store", "x-record-count": String(rows.length) },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
