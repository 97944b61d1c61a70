import { escalationRecordsToArrow } from "@/reports/arrow";
import { recordScopeFor } from "@/server/access/recordScope";
import { listEscalationRecords } from "@/server/records/escalationRecords";
import { door } from "@/wiring/door";
import { arrowResponse } from "@/wiring/responses";
import { pageFiltersSchema } from "@/wiring/routeInputs";

/**
 * Pseudonymised escalation records in scope, as an Arrow IPC stream for the records table.
 * Permission-checked (an agency lead gets only its own agency's) and written to the audit log.
 */
export const GET = door({
  // The partnerships' record readers, or an agency lead for its agency's records in them: recordScopeFor decides.
  permission: "records.read",
  input: pageFiltersSchema,
  audit: "records.list",
  handle: async ({ db, principal, input: filters, note }) => {
    const scope = await recordScopeFor(db, principal, filters.partnership);
    const rows = await listEscalationRecords(db, { ...filters, partnerships: scope.partnerships, involvingAgency: scope.involvingAgency });
    note({
      scope: { partnerships: scope.partnerships, ...(scope.involvingAgency ? { agency: scope.involvingAgency } : {}) },
      details: { from: filters.from, to: filters.quarter, agency: filters.agency ?? null, theme: filters.theme ?? null, rows: rows.length },
    });
    return arrowResponse(escalationRecordsToArrow(rows), undefined, { "x-record-count": String(rows.length) });
  },
});
