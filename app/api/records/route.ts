import { z } from "zod";
import { principalFrom } from "@/app/lib/session";
import { getDb } from "@/db/client";
import { ARROW_CONTENT_TYPE, escalationRecordsToArrow } from "@/reports/arrow";
import { recordScopeFor } from "@/server/access/recordScope";
import { SignInRequiredError } from "@/server/access/permissions";
import { writeAudit } from "@/server/audit";
import { isoDateSchema } from "@/server/calendar/dates";
import { quarterSchema } from "@/server/calendar/quarters";
import { listEscalationRecords } from "@/server/records/escalationRecords";
import { errorResponse } from "../respond";

const query = z.object({
  partnership: z.array(z.string().min(1).max(60)).min(1, "choose at least one partnership"),
  quarter: quarterSchema,
  from: quarterSchema,
  asOf: isoDateSchema.optional(),
  agency: z.string().min(1).max(40).optional(),
  theme: z.string().min(1).max(60).optional(),
});

/**
 * Pseudonymised escalation records in scope, as an Arrow IPC stream for the records table.
 * Permission-checked (an agency lead gets only its own agency's) and written to the audit log.
 */
export async function GET(req: Request): Promise<Response> {
  try {
    const db = await getDb();
    const principal = await principalFrom(req.headers);
    if (!principal) throw new SignInRequiredError();
    const url = new URL(req.url).searchParams;
    const filters = query.parse({
      partnership: url.getAll("partnership"),
      quarter: url.get("quarter") ?? undefined,
      from: url.get("from") ?? undefined,
      asOf: url.get("asOf") ?? undefined,
      agency: url.get("agency") || undefined,
      theme: url.get("theme") || undefined,
    });
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
