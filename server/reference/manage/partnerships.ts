/**
 * A partnership's own settings, as its business manager keeps them: name, financial-year labels,
 * disclosure profile, chair follow-up limit, closure days and targets; and a new partnership, which
 * only a business manager for all partnerships creates (docs/adr/0023-reference-data-in-the-product.md).
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { queryRows } from "../../../db/client";
import { bankHolidays, closureDays, partnerships, themes } from "../../../db/schema";
import type { Principal } from "../../access/permissions";
import { rebuildCalendar, syncBankHolidays } from "../../calendar/calendarTable";
import type { QuarterLabelling } from "../../calendar/quarters";
import { InvalidRequestError } from "../../errors";
import { listProcedureVersions, type ProcedureVersion } from "../procedureVersions";
import { STANDARD_THEMES } from "../themes";
import { changeAudited, managedPartnership, managedPartnerships, parseInput, requireAdminForAll } from "./common";
import { partnershipInput, type PartnershipInput } from "./schemas";

export interface ManagedPartnership {
  code: string;
  name: string;
  quarterLabels: QuarterLabelling;
  disclosureProfile: "dfe" | "nhs";
  chairFollowUpLimitWorkingDays: number;
  closureDays: string[];
  targets: Record<string, number>;
  /** Oldest first. */
  versions: ProcedureVersion[];
  /** The partnership's own themes (the standard ones are every partnership's). */
  themes: Array<{ code: string; label: string; synonyms: string[] }>;
  /** Codes of the agencies that belong to it. */
  agencies: string[];
}

/** The partnerships the admin manages, with everything the admin pages edit. */
export async function listManagedPartnerships(db: Db, principal: Principal): Promise<ManagedPartnership[]> {
  const scope = managedPartnerships(principal);
  if (scope !== "all" && scope.length === 0) return [];
  const only = scope === "all" ? sql`` : sql`where p.code in (${sql.join(scope.map((c) => sql`${c}`), sql`, `)})`;
  const rows = await queryRows<{
    code: string;
    name: string;
    quarter_labels: QuarterLabelling;
    disclosure_profile: "dfe" | "nhs";
    chair_follow_up_limit_working_days: number;
    targets: Record<string, number>;
    closure_days: string[] | null;
    themes: Array<{ code: string; label: string; synonyms: string[] }> | null;
    agencies: string[] | null;
  }>(
    db,
    sql`select p.code, p.name, p.quarter_labels, p.disclosure_profile, p.chair_follow_up_limit_working_days, p.targets,
          (select array_agg(c.date::text order by c.date) from closure_days c where c.partnership_id = p.id) as closure_days,
          (select json_agg(json_build_object('code', t.code, 'label', t.label, 'synonyms', t.synonyms) order by t.code)
             from themes t where t.partnership_id = p.id) as themes,
          (select array_agg(a.code order by a.code) from agency_partnerships m join agencies a on a.id = m.agency_id where m.partnership_id = p.id) as agencies
        from partnerships p ${only} order by p.name`,
  );
  const versions = await listProcedureVersions(db, rows.map((r) => r.code));
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    quarterLabels: r.quarter_labels,
    disclosureProfile: r.disclosure_profile,
    chairFollowUpLimitWorkingDays: r.chair_follow_up_limit_working_days,
    closureDays: r.closure_days ?? [],
    targets: r.targets ?? {},
    versions: versions.filter((v) => v.partnershipCode === r.code),
    themes: r.themes ?? [],
    agencies: r.agencies ?? [],
  }));
}

export interface SavedPartnership {
  code: string;
  created: boolean;
  /** False when the partnership already read exactly so. */
  changed: boolean;
  /** True when its calendar was rebuilt (its closure days changed, or it is new). */
  calendarRebuilt: boolean;
}

/**
 * Saves a partnership's settings; with `create`, adds a new partnership (an admin for all
 * partnerships only), with a calendar of its own, so that its figures have working days to count.
 */
export async function savePartnership(db: Db, principal: Principal, input: PartnershipInput): Promise<SavedPartnership> {
  const value = parseInput(partnershipInput, input);
  const closures = [...value.closureDays].sort();
  const settings = {
    name: value.name,
    quarterLabels: value.quarterLabels,
    disclosureProfile: value.disclosureProfile,
    chairFollowUpLimitWorkingDays: value.chairFollowUpLimitWorkingDays,
    targets: value.targets,
  };
  const change = { actor: principal.email, action: "reference.partnership.save", scope: { partnerships: [value.code] }, details: { code: value.code, ...settings, closureDays: closures } };

  if (value.create) {
    await requireAdminForAll(db, principal, "reference.partnership.save", "create a partnership");
    return changeAudited(db, { ...change, details: { ...change.details, created: true } }, async (tx) => {
      const [existing] = await queryRows<{ code: string; name: string }>(tx, sql`select code, name from partnerships where lower(code) = lower(${value.code})`);
      if (existing) throw new InvalidRequestError(`code: there is already a partnership "${existing.code}" (${existing.name}); choose another code, or change that one.`);
      await prepareNewDeployment(tx);
      const [row] = await tx.insert(partnerships).values({ code: value.code, ...settings }).returning({ id: partnerships.id });
      if (closures.length) await tx.insert(closureDays).values(closures.map((date) => ({ partnershipId: row!.id, date })));
      await rebuildCalendar(tx, [row!.id]);
      return { result: { code: value.code, created: true, changed: true, calendarRebuilt: true } };
    });
  }

  const partnership = await managedPartnership(db, principal, value.code);
  return changeAudited(db, change, async (tx) => {
    const [updated] = await queryRows<{ id: number }>(
      tx,
      sql`update partnerships set name = ${settings.name}, quarter_labels = ${settings.quarterLabels}, disclosure_profile = ${settings.disclosureProfile},
            chair_follow_up_limit_working_days = ${settings.chairFollowUpLimitWorkingDays}, targets = ${JSON.stringify(settings.targets)}::jsonb, updated_at = now()
          where id = ${partnership.id}
            and (name, quarter_labels, disclosure_profile, chair_follow_up_limit_working_days, targets)
              is distinct from (${settings.name}::text, ${settings.quarterLabels}::text, ${settings.disclosureProfile}::text, ${settings.chairFollowUpLimitWorkingDays}::int, ${JSON.stringify(settings.targets)}::jsonb)
          returning id`,
    );
    const held = await queryRows<{ date: string }>(tx, sql`select date::text as date from closure_days where partnership_id = ${partnership.id} order by date`);
    const closuresChanged = held.map((h) => h.date).join() !== closures.join();
    if (closuresChanged) {
      await tx.delete(closureDays).where(sql`${closureDays.partnershipId} = ${partnership.id}`);
      if (closures.length) await tx.insert(closureDays).values(closures.map((date) => ({ partnershipId: partnership.id, date })));
      await rebuildCalendar(tx, [partnership.id]);
    }
    const changed = Boolean(updated) || closuresChanged;
    return { result: { code: value.code, created: false, changed, calendarRebuilt: closuresChanged }, details: { changed, calendarRebuilt: closuresChanged } };
  });
}

/**
 * What a deployment that has never loaded reference data lacks before its first partnership: the
 * bank holidays (the built-in list) and the standard themes. Neither is touched once present.
 */
async function prepareNewDeployment(tx: Db): Promise<void> {
  const [held] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from ${bankHolidays}`);
  if (held!.n === 0) await syncBankHolidays(tx, {});
  await tx
    .insert(themes)
    .values(STANDARD_THEMES.map((t) => ({ code: t.code, label: t.label, synonyms: [...t.synonyms] })))
    .onConflictDoNothing({ target: themes.code, where: sql`partnership_id is null` });
}
