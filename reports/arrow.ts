/**
 * Record-level datasets as Arrow IPC streams: compact, typed, and read column by column in the
 * browser. Dates travel as ISO text (no time-zone shift); counts as 32-bit integers (never bigint,
 * which JSON and React cannot show).
 */
import { tableFromArrays, tableToIPC } from "apache-arrow";
import type { EscalationRecordRow } from "../server/records/escalationRecords";

export const ARROW_CONTENT_TYPE = "application/vnd.apache.arrow.stream";

export function escalationRecordsToArrow(rows: EscalationRecordRow[]): Uint8Array {
  const ints = (pick: (r: EscalationRecordRow) => number) => Int32Array.from(rows, pick);
  const table = tableFromArrays({
    partnership: rows.map((r) => r.partnership),
    id: ints((r) => r.id),
    recordRef: rows.map((r) => r.recordRef),
    childPseudonym: rows.map((r) => r.childPseudonym),
    uploadedBy: rows.map((r) => r.uploadedBy),
    raisingAgency: rows.map((r) => r.raisingAgency),
    receivingAgency: rows.map((r) => r.receivingAgency),
    concernAroseOn: rows.map((r) => r.concernAroseOn),
    stageReached: ints((r) => r.stageReached),
    stageCount: ints((r) => r.stageCount),
    status: rows.map((r) => r.status),
    closedOn: rows.map((r) => r.closedOn),
    themes: rows.map((r) => r.themes),
    workingDaysOpen: ints((r) => r.workingDaysOpen),
    workingDaysOverdue: ints((r) => r.workingDaysOverdue),
  });
  return tableToIPC(table, "stream");
}
