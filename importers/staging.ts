/**
 * The upload's rows, valid and faulty alike, go into a temporary staging table inside the upload's
 * transaction, a chunk of rows per statement (set-based: no round trip per row); merging into the
 * warehouse then happens in SQL. Each chunk travels as one JSON parameter expanded by
 * json_populate_recordset, which both drivers run the same way. (COPY was tried first: postgres.js
 * leaves an uncaught error behind when the connection drops during COPY, see docs/adr/0005.)
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { UploadKind } from "./formats";
import type { StagedRow } from "./rows";

/** Staging columns in the order rows.ts produces values (row_number first and faults last are added). */
export const STAGING_COLUMNS: Record<UploadKind, Array<[string, string]>> = {
  escalations: [
    ["record_ref", "text"], ["record_ref_as_uploaded", "text"], ["partnership_id", "integer"], ["raising_agency_id", "integer"],
    ["receiving_agency_id", "integer"], ["child_ref_hash", "text"], ["concern_arose_on", "date"], ["themes", "text[]"],
    ["stage1_on", "date"], ["stage2_on", "date"], ["stage3_on", "date"], ["stage4_on", "date"], ["stage5_on", "date"],
    ["status", "text"], ["closed_on", "date"], ["learning_disseminated_on", "date"],
  ],
  dissent: [
    ["record_ref", "text"], ["record_ref_as_uploaded", "text"], ["partnership_id", "integer"], ["conference_date", "date"],
    ["conference_type", "text"], ["dissenting_agency_id", "integer"], ["dissenting_role", "text"], ["decision", "text"],
    ["themes", "text[]"], ["chair_followup_on", "date"], ["status", "text"], ["escalation_ref", "text"], ["child_ref_hash", "text"],
  ],
  conference_activity: [["partnership_id", "integer"], ["month", "date"], ["initial_conferences", "integer"], ["review_conferences", "integer"]],
};

export const STAGING_TABLE = "import_staging";

export async function createStagingTable(tx: Db, kind: UploadKind): Promise<void> {
  const columns = STAGING_COLUMNS[kind].map(([name, type]) => `${name} ${type}`).join(", ");
  await tx.execute(sql.raw(`create temp table ${STAGING_TABLE} (row_number integer not null, ${columns}, faults jsonb) on commit drop`));
}

/** Collects staged rows and writes them a chunk at a time. */
export class StagingWriter {
  private rows: Array<Record<string, unknown>> = [];

  constructor(
    private readonly tx: Db,
    private readonly kind: UploadKind,
  ) {}

  get pending(): number {
    return this.rows.length;
  }

  add(row: StagedRow): void {
    const record: Record<string, unknown> = { row_number: row.rowNumber };
    STAGING_COLUMNS[this.kind].forEach(([name], i) => (record[name] = row.values[i] ?? null));
    if (row.faults.length) record.faults = row.faults;
    this.rows.push(record);
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const json = JSON.stringify(this.rows);
    this.rows = [];
    await this.tx.execute(sql`insert into import_staging select * from json_populate_recordset(null::import_staging, ${json}::json)`);
  }
}
