/**
 * The upload's rows, valid and faulty alike, go into a temporary staging table inside the upload's
 * transaction, by COPY (set-based, no round trip per row). Merging into the warehouse then happens
 * in SQL. Rows are serialised here, by us, after validation, so every COPY row has the right number
 * of columns and values of the right types (postgres.js's COPY never settles when the server
 * rejects a row: see TECH-NOTES.md).
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { UploadKind } from "./formats";
import type { StagedRow, StagedValue } from "./rows";

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

function csvValue(value: StagedValue): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return `"{${value.join(",")}}"`;
  return `"${value.replace(/"/g, '""')}"`;
}

/** One staged row as a line of CSV for COPY: NULL is an unquoted empty field, text is always quoted. */
export function stagingLine(row: StagedRow): string {
  const cells = [String(row.rowNumber), ...row.values.map(csvValue), row.faults.length ? csvValue(JSON.stringify(row.faults)) : ""];
  return `${cells.join(",")}\n`;
}

export interface StagingWriter {
  write(lines: string): Promise<void>;
  finish(): Promise<void>;
}

const COPY_SQL = `copy ${STAGING_TABLE} from stdin with (format csv)`;
/** How long COPY may take to confirm the last rows before the upload is abandoned. */
const COPY_FINISH_TIMEOUT_MS = 120_000;

interface PgliteTransaction {
  query(query: string, params?: unknown[], options?: { blob?: Blob }): Promise<unknown>;
}
interface PostgresTransaction {
  unsafe(query: string): { writable(): Promise<Writable> };
}

/** The driver's own transaction object beneath drizzle's (drizzle keeps it as `session.client`). */
function driverTransaction(tx: Db): PgliteTransaction | PostgresTransaction {
  return (tx as unknown as { session: { client: PgliteTransaction | PostgresTransaction } }).session.client;
}

export async function openStagingWriter(tx: Db): Promise<StagingWriter> {
  const client = driverTransaction(tx);
  if ("unsafe" in client) {
    const stream = await client.unsafe(COPY_SQL).writable();
    let failure: Error | undefined;
    stream.on("error", (error: Error) => (failure = error));
    return {
      async write(lines) {
        if (failure) throw failure;
        if (!stream.write(lines)) await once(stream, "drain");
      },
      async finish() {
        stream.end();
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            once(stream, "finish"),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error("The database did not confirm the upload's rows in time; nothing was saved.")), COPY_FINISH_TIMEOUT_MS);
            }),
          ]);
        } finally {
          clearTimeout(timer);
        }
        if (failure) throw failure;
      },
    };
  }
  // PGlite reads COPY data from a blob: one COPY per chunk of rows.
  return {
    async write(lines) {
      await client.query(`copy ${STAGING_TABLE} from '/dev/blob' with (format csv)`, [], { blob: new Blob([lines]) });
    },
    async finish() {},
  };
}
