/**
 * The upload's rows, valid and faulty alike, go into a temporary staging table inside the upload's
 * transaction, a chunk of rows per statement (set-based: no round trip per row); merging into the
 * warehouse then happens in SQL. Each chunk travels as one JSON parameter (an array of row arrays)
 * expanded by json_array_elements, which both drivers run the same way. (COPY was tried first: postgres.js
 * leaves an uncaught error behind when the connection drops during COPY, see docs/adr/0005.)
 */
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { STAGE_NUMBERS } from "../server/reference/procedureVersions";
import type { UploadKind } from "./formats";
import type { StagedRow } from "./rows";

/** Staging columns in the order rows.ts produces values (row_number first and faults last are added). */
export const STAGING_COLUMNS: Record<UploadKind, Array<[string, string]>> = {
  escalations: [
    ["record_ref", "text"], ["record_ref_as_uploaded", "text"], ["partnership_id", "integer"], ["raising_agency_id", "integer"],
    ["receiving_agency_id", "integer"], ["child_ref_hash", "text"], ["concern_arose_on", "date"], ["themes", "text[]"],
    ...STAGE_NUMBERS.map((k): [string, string] => [`stage${k}_on`, "date"]),
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
  await tx.execute(
    sql.raw(`create temp table ${STAGING_TABLE} (row_number integer not null, ${columns}, content_hash text, faults jsonb) on commit drop`),
  );
}

/**
 * Collects staged rows and writes them a chunk at a time. One chunk may be on its way to the
 * database while the next is being read, so parsing and loading overlap (on a server they run on
 * different cores).
 */
export class StagingWriter {
  private rows: unknown[][] = [];
  /** The insert statement up to its one parameter, the chunk as JSON. */
  private readonly insert: string;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly tx: Db,
    private readonly kind: UploadKind,
  ) {
    // Each row travels as a JSON array (half the size of objects): cast each element back to its column's type.
    const columns: Array<[string, string]> = [["row_number", "integer"], ...STAGING_COLUMNS[kind], ["content_hash", "text"], ["faults", "jsonb"]];
    const casts = columns.map(([, type], i) => {
      // Lists (theme codes: letters, digits, '-' and '_') travel joined by commas.
      if (type === "text[]") return `string_to_array(e->>${i}, ',')`;
      if (type === "jsonb") return `case when jsonb_typeof(e->${i}) = 'array' then e->${i} end`;
      return type === "text" ? `e->>${i}` : `(e->>${i})::${type}`;
    });
    this.insert = `insert into ${STAGING_TABLE} (${columns.map(([name]) => name).join(", ")}) select ${casts.join(", ")} from jsonb_array_elements(`;
  }

  get pending(): number {
    return this.rows.length;
  }

  add(row: StagedRow): void {
    const faulty = row.faults.length > 0;
    const values = row.values.map((v) => (Array.isArray(v) ? v.join(",") : v));
    this.rows.push([row.rowNumber, ...values, faulty ? null : contentHash(this.kind, row), faulty ? row.faults : null]);
  }

  /** Sends the collected rows; resolves once the previous chunk has been written. */
  async flush(): Promise<void> {
    await this.inFlight;
    if (this.rows.length === 0) return;
    const json = JSON.stringify(this.rows);
    this.rows = [];
    // drizzle's query runs again each time it is awaited: hold it as a plain promise, run once.
    const writing = new Promise((resolve, reject) => {
      this.tx.execute(sql`${sql.raw(this.insert)}${json}::jsonb) e`).then(resolve, reject);
    });
    // Failure is reported by the next flush or finish; mark it handled so it is not reported twice.
    writing.catch(() => {});
    this.inFlight = writing;
  }

  /** Waits for the chunk on its way, if any, to be written (a failure is thrown here). */
  async settle(): Promise<void> {
    await this.inFlight;
  }

  /** Sends what is left and waits for every chunk to be written. */
  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
  }
}

/**
 * The fingerprint of a row's content, to recognise an unchanged row on upload: everything loaded
 * except how its record_ref was written (000123 and 123 are the same row, unchanged).
 */
function contentHash(kind: UploadKind, row: StagedRow): string {
  const content = kind === "conference_activity" ? row.values : row.values.slice(2);
  return createHash("md5").update(JSON.stringify(content)).digest("hex");
}
