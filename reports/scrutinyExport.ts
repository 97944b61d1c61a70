/** A scrutiny sample and its findings as CSV (formula-safe) and as Arrow IPC. */
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { csvLine } from "./csv";
import type { ScrutinySample } from "../server/scrutiny/samples";

const COLUMNS = ["sample", "seed", "position", "partnership", "escalation_id", "record_ref", "raising_agency", "receiving_agency", "concern_arose_on", "status", "themes", "rating", "note", "rated_by"];

export function scrutinySampleCsv(sample: ScrutinySample): string {
  return (
    csvLine(COLUMNS) +
    sample.records
      .map((r) => csvLine([sample.id, sample.seed, r.position, r.partnership, r.id, r.recordRef, r.raisingAgency, r.receivingAgency, r.concernAroseOn, r.status, r.themes, r.rating, r.note, r.ratedBy]))
      .join("")
  );
}

export function scrutinySampleArrow(sample: ScrutinySample): Uint8Array {
  const rows = sample.records;
  return tableToIPC(
    tableFromArrays({
      position: Int32Array.from(rows, (r) => r.position),
      partnership: rows.map((r) => r.partnership),
      escalationId: Int32Array.from(rows, (r) => r.id),
      recordRef: rows.map((r) => r.recordRef),
      raisingAgency: rows.map((r) => r.raisingAgency),
      receivingAgency: rows.map((r) => r.receivingAgency),
      concernAroseOn: rows.map((r) => r.concernAroseOn),
      status: rows.map((r) => r.status),
      themes: rows.map((r) => r.themes),
      rating: rows.map((r) => r.rating),
      note: rows.map((r) => r.note),
    }),
    "stream",
  );
}
