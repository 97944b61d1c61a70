/**
 * Record-level datasets as Arrow IPC streams: compact, typed, and read column by column in the
 * browser. Dates travel as ISO text (no time-zone shift); counts as 32-bit integers (never bigint,
 * which JSON and React cannot show).
 */
import { Dictionary, Int32, makeVector, Table, tableToIPC, Utf8, vectorFromArray } from "apache-arrow";
import type { EscalationRecordRow } from "../server/records/escalationRecords";

export const ARROW_CONTENT_TYPE = "application/vnd.apache.arrow.stream";

export function escalationRecordsToArrow(rows: EscalationRecordRow[]): Uint8Array {
  // Explicit types: codes, statuses and dates repeat (dictionary-encoded), references do not.
  const repeated = (pick: (r: EscalationRecordRow) => string | null) => vectorFromArray(rows.map(pick), new Dictionary(new Utf8(), new Int32()));
  const text = (pick: (r: EscalationRecordRow) => string | null) => vectorFromArray(rows.map(pick), new Utf8());
  const ints = (pick: (r: EscalationRecordRow) => number) => makeVector(Int32Array.from(rows, pick));
  const table = new Table({
    partnership: repeated((r) => r.partnership),
    id: ints((r) => r.id),
    recordRef: text((r) => r.recordRef),
    childPseudonym: text((r) => r.childPseudonym),
    uploadedBy: repeated((r) => r.uploadedBy),
    raisingAgency: repeated((r) => r.raisingAgency),
    receivingAgency: repeated((r) => r.receivingAgency),
    concernAroseOn: repeated((r) => r.concernAroseOn),
    stageReached: ints((r) => r.stageReached),
    stageCount: ints((r) => r.stageCount),
    status: repeated((r) => r.status),
    closedOn: repeated((r) => r.closedOn),
    themes: repeated((r) => r.themes),
    workingDaysOpen: ints((r) => r.workingDaysOpen),
    workingDaysOverdue: ints((r) => r.workingDaysOverdue),
  });
  return tableToIPC(table, "stream");
}
