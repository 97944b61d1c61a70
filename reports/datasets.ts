/**
 * Every dataset a role may see, as a table of columns and rows, for download as CSV (formula-safe)
 * or Arrow IPC. Each dataset names the permission it needs; the route checks it and audits the
 * download.
 */
import { Float64, Utf8, vectorFromArray, Table, tableToIPC } from "apache-arrow";
import { csvLine } from "./csv";
import type { Db } from "../db/client";
import type { Permission } from "../server/access/permissions";
import type { IsoDate } from "../server/calendar/dates";
import { quarterRange, type Quarter } from "../server/calendar/quarters";
import { getDataQuality } from "../server/metrics/dataQuality";
import { getAgencyMatrix, getOverdueEscalations, getTrends } from "../server/metrics/operational";
import { listEscalationRecords } from "../server/records/escalationRecords";

export interface Dataset {
  columns: string[];
  rows: Array<Array<string | number | null>>;
}

export interface DatasetFilters {
  partnerships: string[];
  from: Quarter;
  to: Quarter;
  asOf?: IsoDate;
  agency?: string;
  theme?: string;
  /** Set by the route for an agency lead: only its agency's records. */
  involvingAgency?: string | null;
}

export const DATASETS: Record<string, { title: string; permission: Permission; read: (db: Db, f: DatasetFilters) => Promise<Dataset> }> = {
  trends: {
    title: "Headline figures by quarter",
    permission: "figures.read",
    read: async (db, f) => {
      const points = await getTrends(db, { partnerships: f.partnerships, quarters: quarterRange(f.from, f.to).length, to: f.to, asOf: f.asOf, agency: f.agency, theme: f.theme });
      const columns = Object.keys(points[0] ?? { quarter: "" });
      return { columns, rows: points.map((p) => columns.map((c) => (p as unknown as Record<string, number | string | null>)[c] ?? null)) };
    },
  },
  "agency-matrix": {
    title: "Escalations raised by raising and receiving agency",
    permission: "figures.read",
    read: async (db, f) => {
      const cells = await getAgencyMatrix(db, { partnerships: f.partnerships, quarter: f.to, asOf: f.asOf });
      return { columns: ["quarter", "raising_agency", "receiving_agency", "escalations"], rows: cells.map((c) => [f.to, c.raisingAgency, c.receivingAgency, c.count]) };
    },
  },
  "data-quality": {
    title: "Uploads, rejects and skipped stages by agency and quarter",
    permission: "figures.read",
    read: async (db, f) => {
      const quality = await getDataQuality(db, { partnerships: f.partnerships, from: f.from, to: f.to });
      return {
        columns: ["agency", "quarter", "rows_uploaded", "rows_rejected", "rejects_by_reason", "skipped_stage_rows", "months_with_no_upload"],
        rows: quality.rows.map((r) => [r.agency, r.quarter, r.rowsUploaded, r.rowsRejected, JSON.stringify(r.rejectsByReason), r.skippedStageRows, r.monthsWithNoUpload.join(" ")]),
      };
    },
  },
  overdue: {
    title: "Escalations overdue on the as-of date",
    permission: "records.read",
    read: async (db, f) => {
      const list = await getOverdueEscalations(db, { partnerships: f.partnerships, asOf: f.asOf, agency: f.agency, theme: f.theme });
      // The limit, days elapsed and days over are in the running stage's unit, which `limit_unit` names ("working" or
      // "calendar"), added last: the older columns keep their names and places.
      return {
        columns: ["partnership", "record_ref", "uploaded_by", "raising_agency", "receiving_agency", "concern_arose_on", "current_stage", "clock_started_on", "limit_working_days", "working_days_elapsed", "working_days_over", "limit_unit"],
        rows: list.map((o) => [o.partnership, o.recordRef, o.uploadedBy, o.raisingAgency, o.receivingAgency, o.concernAroseOn, o.currentStage, o.clockStartedOn, o.limitWorkingDays, o.workingDaysElapsed, o.workingDaysOver, o.limitUnit]),
      };
    },
  },
  records: {
    title: "Escalation records (pseudonymised)",
    permission: "records.read",
    read: async (db, f) => {
      const rows = await listEscalationRecords(db, { partnerships: f.partnerships, quarter: f.to, from: f.from, asOf: f.asOf, agency: f.agency, theme: f.theme, involvingAgency: f.involvingAgency });
      const columns = ["partnership", "recordRef", "childPseudonym", "uploadedBy", "raisingAgency", "receivingAgency", "concernAroseOn", "stageReached", "stageCount", "status", "closedOn", "themes", "workingDaysOpen", "workingDaysOverdue"] as const;
      return { columns: [...columns], rows: rows.map((r) => columns.map((c) => r[c])) };
    },
  },
};

export function datasetCsv(data: Dataset): string {
  return csvLine(data.columns) + data.rows.map((r) => csvLine(r)).join("");
}

/** Columns of numbers (or empty) become Float64, all others text. */
export function datasetArrow(data: Dataset): Uint8Array {
  const vectors = Object.fromEntries(
    data.columns.map((c, i) => {
      const values = data.rows.map((r) => r[i] ?? null);
      const numeric = values.every((v) => v === null || typeof v === "number");
      return [c, numeric ? vectorFromArray(values as Array<number | null>, new Float64()) : vectorFromArray(values.map((v) => (v === null ? null : String(v))), new Utf8())];
    }),
  );
  return tableToIPC(new Table(vectors), "stream");
}
