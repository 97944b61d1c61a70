/**
 * Set-based merge of the staging table into the warehouse, inside the upload's transaction:
 * duplicates within the file become rejects, rejects are kept with the batch, and each valid row is
 * new (loaded), unchanged (not rewritten) or replaces the current version (which is kept in the
 * versions table, so the upload can be undone). Undo reverses exactly that.
 */
import { sql } from "drizzle-orm";
import { STAGE_NUMBERS } from "../server/reference/procedureVersions";
import { queryRows, type Db } from "../db/client";
import type { UploadKind } from "./formats";
import type { UploadPace } from "./pace";
import { STAGING_TABLE } from "./staging";

/** Rows written per statement when merging (see mergeRecords). */
const WRITE_SLICE_ROWS = 10_000;

export interface MergeCounts {
  loaded: number;
  replaced: number;
  unchanged: number;
  rejected: number;
}

interface RecordKind {
  table: string;
  versions: string;
  idColumn: string;
  /** The columns of a row's content (its fingerprint, content_hash, is computed as rows are staged). */
  content: string[];
}

const RECORD_KINDS: Record<Exclude<UploadKind, "conference_activity">, RecordKind> = {
  escalations: {
    table: "escalations",
    versions: "escalation_versions",
    idColumn: "escalation_id",
    content: [
      "partnership_id", "raising_agency_id", "receiving_agency_id", "child_ref_hash", "concern_arose_on", "themes",
      ...STAGE_NUMBERS.map((k) => `stage${k}_on`), "status", "closed_on", "learning_disseminated_on",
    ],
  },
  dissent: {
    table: "dissents",
    versions: "dissent_versions",
    idColumn: "dissent_id",
    content: [
      "partnership_id", "conference_date", "conference_type", "dissenting_agency_id", "dissenting_role", "decision", "themes",
      "chair_followup_on", "status", "escalation_ref", "child_ref_hash",
    ],
  },
};

const list = (columns: string[], prefix = "") => columns.map((c) => `${prefix}${c}`).join(", ");

/** Marks every row whose identity appears more than once in the file; each names the other rows. */
async function rejectDuplicates(tx: Db, kind: UploadKind): Promise<void> {
  const [key, described] =
    kind === "conference_activity"
      ? ["partnership_id, month", "'column', 'month', 'rule', 'duplicate_month', 'value', to_char(s.month, 'YYYY-MM'), 'reason', 'this partnership''s month appears more than once in this file (also row '"]
      : ["record_ref", "'column', 'record_ref', 'rule', 'duplicate_record_ref', 'value', s.record_ref_as_uploaded, 'reason', 'appears more than once in this file (also row '"];
  const match = kind === "conference_activity" ? "d.partnership_id = s.partnership_id and d.month = s.month" : "d.record_ref = s.record_ref";
  const notNull = kind === "conference_activity" ? "partnership_id is not null and month is not null" : "record_ref is not null";
  await tx.execute(
    sql.raw(`
      with d as (
        select ${key}, array_agg(row_number order by row_number) as rows
        from ${STAGING_TABLE} where ${notNull} group by ${key} having count(*) > 1)
      update ${STAGING_TABLE} s
      set faults = coalesce(s.faults, '[]'::jsonb) || jsonb_build_array(jsonb_build_object(${described}
        || array_to_string(array_remove(d.rows, s.row_number), ', row ')
        || '); none of these rows is loaded until it appears once'))
      from d where ${match}`),
  );
}

/**
 * A partnership's month of conference activity is one set of figures (the dissent rate's
 * denominator sums them once per month: server/metrics/dissentMeasures.ts), so its identity stays
 * (partnership, month) as IMPORT-FORMAT.md has it; the month belongs to the agency whose upload
 * holds it now. Another agency's row for that month is rejected, naming the owner, and never
 * replaces it (issue 16): only the owner corrects it, or undoes its batch to hand the month over.
 */
async function rejectMonthsOwnedByOthers(tx: Db, agencyId: number): Promise<void> {
  await tx.execute(
    sql.raw(`
      update ${STAGING_TABLE} s
      set faults = coalesce(s.faults, '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
        'column', 'month', 'rule', 'month_of_another_agency', 'value', to_char(s.month, 'YYYY-MM'),
        'reason', 'is already held for ' || p.name || ' by ' || a.name || ' (' || a.code || '), from its upload batch ' || c.batch_id
          || '; a month''s figures are replaced only by the agency that uploaded them (or that batch is undone first)'))
      from conference_activity c
      join agencies a on a.id = c.agency_id
      join partnerships p on p.id = c.partnership_id
      where c.partnership_id = s.partnership_id and c.month = s.month and c.agency_id <> ${agencyId}`),
  );
}

async function keepRejects(tx: Db, batchId: number, kind: UploadKind): Promise<number> {
  const ref = kind === "conference_activity" ? "null" : "record_ref_as_uploaded";
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql.raw(`
      with kept as (
        insert into import_rejects (batch_id, row_number, record_ref, faults)
        select ${batchId}, row_number, ${ref}, faults from ${STAGING_TABLE} where faults is not null
        returning 1)
      select count(*)::int as n from kept`),
  );
  return row?.n ?? 0;
}

async function mergeRecords(tx: Db, batchId: number, agencyId: number, kind: RecordKind, write: boolean, pace?: UploadPace): Promise<Omit<MergeCounts, "rejected">> {
  const { table, versions, idColumn, content } = kind;
  const identity = ["agency_id", "record_ref", "record_ref_as_uploaded", "batch_id"];
  await tx.execute(
    sql.raw(`
      create temp table import_matched on commit drop as
      select m.*, e.id as current_id, e.partnership_id as current_partnership_id, e.version as current_version,
             e.created_at as current_created_at, coalesce(e.content_hash = m.content_hash, false) as unchanged
      from ${STAGING_TABLE} m
      left join ${table} e on e.agency_id = ${agencyId} and e.record_ref = m.record_ref
      where m.faults is null`),
  );
  const [counts] = await queryRows<{ loaded: number; replaced: number; unchanged: number }>(
    tx,
    sql.raw(`
      select count(*) filter (where current_id is null)::int as loaded,
             count(*) filter (where current_id is not null and not unchanged)::int as replaced,
             count(*) filter (where unchanged)::int as unchanged
      from import_matched`),
  );
  if (!write) return counts ?? { loaded: 0, replaced: 0, unchanged: 0 };
  const all = [...identity, ...content, "content_hash", "version"];
  // Written a slice of the file's rows at a time (rows are distinct records, so slices are
  // independent), giving way to readers between slices (importers/pace.ts).
  await tx.execute(sql.raw(`create index on import_matched (row_number)`));
  const [span] = await queryRows<{ last: number | null }>(tx, sql.raw(`select max(row_number)::int as last from import_matched where not unchanged`));
  for (let from = 0; from < (span?.last ?? 0); from += WRITE_SLICE_ROWS) {
    const slice = `not m.unchanged and m.row_number > ${from} and m.row_number <= ${from + WRITE_SLICE_ROWS}`;
    await tx.execute(
      sql.raw(`
        insert into ${versions} (${idColumn}, ${list(all)}, superseded_by_batch_id)
        select e.id, ${list(all, "e.")}, ${batchId}
        from ${table} e join import_matched m on m.current_id = e.id and m.current_partnership_id = e.partnership_id
        where ${slice}`),
    );
    await tx.execute(
      sql.raw(`
        delete from ${table} e using import_matched m
        where m.current_id = e.id and m.current_partnership_id = e.partnership_id and ${slice}`),
    );
    await tx.execute(
      sql.raw(`
        insert into ${table} (id, agency_id, record_ref, record_ref_as_uploaded, batch_id, ${list(content)}, content_hash, version, created_at)
        select coalesce(m.current_id, nextval(pg_get_serial_sequence('${table}', 'id'))), ${agencyId}, m.record_ref,
               m.record_ref_as_uploaded, ${batchId}, ${list(content, "m.")}, m.content_hash, coalesce(m.current_version + 1, 1),
               coalesce(m.current_created_at, now())
        from import_matched m where ${slice}`),
    );
    await pace?.giveWay();
  }
  return counts ?? { loaded: 0, replaced: 0, unchanged: 0 };
}

async function mergeConferenceActivity(tx: Db, batchId: number, agencyId: number, write: boolean): Promise<Omit<MergeCounts, "rejected">> {
  await tx.execute(
    sql.raw(`
      create temp table import_matched on commit drop as
      select s.*, c.partnership_id is not null as exists_now,
             coalesce(c.initial_conferences = s.initial_conferences and c.review_conferences = s.review_conferences, false) as unchanged
      from ${STAGING_TABLE} s
      left join conference_activity c on c.partnership_id = s.partnership_id and c.month = s.month and c.agency_id = ${agencyId}
      where s.faults is null`),
  );
  const [counts] = await queryRows<{ loaded: number; replaced: number; unchanged: number }>(
    tx,
    sql.raw(`
      select count(*) filter (where not exists_now)::int as loaded,
             count(*) filter (where exists_now and not unchanged)::int as replaced,
             count(*) filter (where unchanged)::int as unchanged
      from import_matched`),
  );
  if (!write) return counts ?? { loaded: 0, replaced: 0, unchanged: 0 };
  const columns = "partnership_id, month, initial_conferences, review_conferences, agency_id, batch_id";
  await tx.execute(
    sql.raw(`
      insert into conference_activity_versions (${columns}, superseded_by_batch_id)
      select ${list(columns.split(", "), "c.")}, ${batchId}
      from conference_activity c join import_matched m on m.partnership_id = c.partnership_id and m.month = c.month
      where not m.unchanged and c.agency_id = ${agencyId}`),
  );
  await tx.execute(
    sql.raw(`
      delete from conference_activity c using import_matched m
      where m.partnership_id = c.partnership_id and m.month = c.month and not m.unchanged and c.agency_id = ${agencyId}`),
  );
  await tx.execute(
    sql.raw(`
      insert into conference_activity (${columns})
      select partnership_id, month, initial_conferences, review_conferences, ${agencyId}, ${batchId}
      from import_matched where not unchanged`),
  );
  return counts ?? { loaded: 0, replaced: 0, unchanged: 0 };
}

/**
 * Turns the staged upload into warehouse rows; returns what happened to each row. With `write`
 * false (a preview), every row is checked and matched against the warehouse and counted exactly
 * as for a commit, but the rows are not written: what follows the count is set operations over the
 * same matched rows, and writing 100,000 rows only to roll them back cost the readers of the
 * dashboard as much as the commit itself, and left as many dead rows to vacuum (bench/load.ts).
 */
export async function mergeStaged(tx: Db, kind: UploadKind, batchId: number, agencyId: number, write = true, pace?: UploadPace): Promise<MergeCounts> {
  await rejectDuplicates(tx, kind);
  if (kind === "conference_activity") await rejectMonthsOwnedByOthers(tx, agencyId);
  const rejected = await keepRejects(tx, batchId, kind);
  const counts =
    kind === "conference_activity" ? await mergeConferenceActivity(tx, batchId, agencyId, write) : await mergeRecords(tx, batchId, agencyId, RECORD_KINDS[kind], write, pace);
  return { ...counts, rejected };
}

/**
 * The partnerships the merge wrote into (or, on a preview, would write into), by id: the rows it
 * loads or replaces, and where a replaced record was before (an agency may move its record from
 * one of its partnerships to another). Read from the matched rows, before the transaction ends.
 */
export async function partnershipsWritten(tx: Db, kind: UploadKind): Promise<number[]> {
  const ids = kind === "conference_activity" ? "array[m.partnership_id]" : "array[m.partnership_id, m.current_partnership_id]";
  const rows = await queryRows<{ id: number }>(
    tx,
    sql.raw(`select distinct w.written::int as id from import_matched m, unnest(${ids}) as w(written)
             where not m.unchanged and w.written is not null order by 1`),
  );
  return rows.map((r) => r.id);
}

export interface UndoCounts {
  removed: number;
  restored: number;
}

/** Later uploads that replaced rows of this batch (they must be undone first). */
export async function batchesReplacingRowsOf(tx: Db, kind: UploadKind, batchId: number): Promise<number[]> {
  const versions = kind === "conference_activity" ? "conference_activity_versions" : RECORD_KINDS[kind].versions;
  const rows = await queryRows<{ id: number }>(
    tx,
    sql.raw(`select distinct superseded_by_batch_id::int as id from ${versions} where batch_id = ${batchId} order by 1`),
  );
  return rows.map((r) => r.id);
}

/** Removes the rows a batch wrote and makes the versions it replaced current again. */
export async function reverseBatch(tx: Db, kind: UploadKind, batchId: number): Promise<UndoCounts> {
  const record = kind === "conference_activity" ? null : RECORD_KINDS[kind];
  const table = record?.table ?? "conference_activity";
  const versions = record?.versions ?? "conference_activity_versions";
  const columns = record
    ? ["agency_id", "record_ref", "record_ref_as_uploaded", "batch_id", ...record.content, "content_hash", "version"]
    : ["partnership_id", "month", "initial_conferences", "review_conferences", "agency_id", "batch_id"];
  const [removed] = await queryRows<{ n: number }>(
    tx,
    sql.raw(`with gone as (delete from ${table} where batch_id = ${batchId} returning 1) select count(*)::int as n from gone`),
  );
  const [restored] = await queryRows<{ n: number }>(
    tx,
    sql.raw(`
      with back as (
        insert into ${table} (${record ? "id, " : ""}${list(columns)})
        select ${record ? `${record.idColumn}, ` : ""}${list(columns)} from ${versions} where superseded_by_batch_id = ${batchId}
        returning 1)
      select count(*)::int as n from back`),
  );
  await tx.execute(sql.raw(`delete from ${versions} where superseded_by_batch_id = ${batchId}`));
  return { removed: (removed?.n ?? 0) - (restored?.n ?? 0), restored: restored?.n ?? 0 };
}
