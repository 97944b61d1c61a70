/**
 * Writing a partnership's procedure versions, and the rule every change to them keeps: no loaded
 * escalation may be left with a stage date beyond the stages of the version that judges it
 * (IMPORT-FORMAT.md, "Reference data"). Used by `config load` and the admin pages alike.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import type { IsoDate } from "../calendar/dates";
import { highestStageSql, versionsInForceSql, type LimitUnit } from "./procedureVersions";
import { ReferenceDataError } from "./referenceDataError";

export interface VersionDefinition {
  effectiveFrom: IsoDate;
  name: string;
  stageWord: string;
  learningWithinMonths: number;
  totalLimitWorkingDays: number | null;
  stages: Array<{ number: number; name: string; level: string | null; limitDays: number; limitUnit: LimitUnit }>;
}

/**
 * Makes the partnership's versions exactly `versions` (oldest first): versions are matched by
 * their effective date, changed in place where they differ, and those no longer listed removed.
 * Returns whether anything changed.
 */
export async function replaceProcedureVersions(db: Db, partnershipId: number, versions: VersionDefinition[]): Promise<boolean> {
  const before = await versionFingerprint(db, partnershipId);
  const dates = versions.map((v) => v.effectiveFrom);
  await db.execute(sql`delete from procedure_versions where partnership_id = ${partnershipId}
    and effective_from not in (${sql.join(dates.map((d) => sql`${d}::date`), sql`, `)})`);
  for (const v of versions) {
    const [row] = await queryRows<{ id: number }>(
      db,
      sql`insert into procedure_versions (partnership_id, effective_from, name, stage_word, learning_within_months, total_limit_working_days)
          values (${partnershipId}, ${v.effectiveFrom}::date, ${v.name}, ${v.stageWord}, ${v.learningWithinMonths}, ${v.totalLimitWorkingDays})
          on conflict (partnership_id, effective_from) do update set
            name = excluded.name, stage_word = excluded.stage_word, learning_within_months = excluded.learning_within_months,
            total_limit_working_days = excluded.total_limit_working_days, updated_at = now()
          where (procedure_versions.name, procedure_versions.stage_word, procedure_versions.learning_within_months,
                 procedure_versions.total_limit_working_days)
            is distinct from (excluded.name, excluded.stage_word, excluded.learning_within_months, excluded.total_limit_working_days)
          returning id`,
    );
    const id =
      row?.id ??
      (await queryRows<{ id: number }>(db, sql`select id from procedure_versions where partnership_id = ${partnershipId} and effective_from = ${v.effectiveFrom}::date`))[0]!.id;
    const removed = await queryRows<{ number: number }>(
      db,
      sql`delete from procedure_version_stages where version_id = ${id} and number > ${v.stages.length} returning number`,
    );
    const values = v.stages.map((s) => sql`(${id}, ${s.number}, ${s.name}, ${s.level}, ${s.limitDays}, ${s.limitUnit})`);
    const [stageChange] = await queryRows<{ n: number }>(
      db,
      sql`with written as (
            insert into procedure_version_stages (version_id, number, name, level, limit_days, limit_unit)
            values ${sql.join(values, sql`, `)}
            on conflict (version_id, number) do update set
              name = excluded.name, level = excluded.level, limit_days = excluded.limit_days, limit_unit = excluded.limit_unit
            where (procedure_version_stages.name, procedure_version_stages.level, procedure_version_stages.limit_days, procedure_version_stages.limit_unit)
              is distinct from (excluded.name, excluded.level, excluded.limit_days, excluded.limit_unit)
            returning 1)
          select count(*)::int as n from written`,
    );
    // A changed stage makes its version changed (issued reports list revisions by updated_at).
    if (stageChange!.n > 0 || removed.length > 0) await db.execute(sql`update procedure_versions set updated_at = now() where id = ${id}`);
  }
  return before !== (await versionFingerprint(db, partnershipId));
}

async function versionFingerprint(db: Db, partnershipId: number): Promise<string> {
  const [row] = await queryRows<{ f: string | null }>(
    db,
    sql`select string_agg(concat_ws('|', v.effective_from, v.name, v.stage_word, v.learning_within_months, v.total_limit_working_days,
                 (select string_agg(concat_ws(':', s.number, s.name, s.level, s.limit_days, s.limit_unit), ';' order by s.number)
                    from procedure_version_stages s where s.version_id = v.id)), '/' order by v.effective_from) as f
        from procedure_versions v where v.partnership_id = ${partnershipId}`,
  );
  return row?.f ?? "";
}

export interface RecordBeyondVersion {
  partnership: string;
  recordRef: string;
  version: string;
  stageCount: number;
  highestStage: number;
}

/**
 * Loaded escalations (current versions) of the partnerships with a stage dated beyond the stages of
 * the version in force on their concern date.
 */
export async function recordsBeyondTheirVersion(db: Db, partnershipIds: number[]): Promise<{ count: number; first: RecordBeyondVersion[] }> {
  if (partnershipIds.length === 0) return { count: 0, first: [] };
  const ids = sql.join(partnershipIds.map((id) => sql`${id}`), sql`, `);
  const rows = await queryRows<{ partnership: string; record_ref: string; version: string; stage_count: number; highest: number; total: number }>(
    db,
    sql`with versions as (${versionsInForceSql(ids)}),
        beyond as (
          select p.code as partnership, e.record_ref_as_uploaded as record_ref, v.version_name as version, v.stage_count,
                 ${highestStageSql("e")} as highest
          from escalations e
          join partnerships p on p.id = e.partnership_id
          join versions v on v.partnership_id = e.partnership_id and e.concern_arose_on >= v.in_force_from and e.concern_arose_on < v.in_force_to
          where e.partnership_id in (${ids}) and ${highestStageSql("e")} > v.stage_count
        )
        select b.*, count(*) over ()::int as total from beyond b order by b.partnership, b.record_ref limit 5`,
  );
  return {
    count: rows[0]?.total ?? 0,
    first: rows.map((r) => ({ partnership: r.partnership, recordRef: r.record_ref, version: r.version, stageCount: r.stage_count, highestStage: r.highest })),
  };
}

/** Throws (so the transaction changes nothing) when a change would leave records beyond their version's stages. */
export async function refuseRecordsBeyondTheirVersion(db: Db, partnershipIds: number[]): Promise<void> {
  const { count, first } = await recordsBeyondTheirVersion(db, partnershipIds);
  if (count === 0) return;
  throw new ReferenceDataError([
    `${count} loaded escalation(s) would have a stage date beyond the stages of the procedure version that judges them, so nothing was changed. ` +
      `The first: ${first.map((r) => `${r.partnership} ${r.recordRef} (stage ${r.highestStage} dated; "${r.version}" has ${r.stageCount})`).join(", ")}. ` +
      `Keep those stages in the version, or correct the records first.`,
  ]);
}
