/** Reading one record: the partnership's record readers, or an agency lead for its own agency's records. */
import type { Db } from "../../db/client";
import type { IsoDate } from "../calendar/dates";
import { recordScopeFor } from "../access/recordScope";
import { authorizeOrHide, type Principal } from "../access/permissions";
import { firstEscalationRecords, getEscalationRecord, type EscalationRecord, type EscalationRecordRow, type RecordListParams } from "./escalationRecords";

export async function getEscalationRecordAs(db: Db, principal: Principal, params: { partnership: string; id: number; asOf?: IsoDate }): Promise<EscalationRecord> {
  const scope = await recordScopeFor(db, principal, [params.partnership]);
  const record = await getEscalationRecord(db, params);
  if (scope.involvingAgency && !record.agencies.some((a) => a.toLowerCase() === scope.involvingAgency!.toLowerCase())) {
    // Another agency's escalation: refused and audited like any other access outside scope, in the words a missing one gets.
    await authorizeOrHide(db, principal, "records.read", { partnerships: [params.partnership] }, `There is no escalation ${params.id} in ${params.partnership} as of ${record.asOf}.`);
  }
  return record;
}

/** The records page's first screen: the first rows of the list in the person's record scope, and how many there are. */
export async function firstEscalationRecordsAs(
  db: Db,
  principal: Principal,
  params: Omit<RecordListParams, "involvingAgency" | "partnerships"> & { partnerships: string[] },
  count: number,
): Promise<{ total: number; rows: EscalationRecordRow[] }> {
  const scope = await recordScopeFor(db, principal, params.partnerships);
  return firstEscalationRecords(db, { ...params, involvingAgency: scope.involvingAgency }, count);
}
