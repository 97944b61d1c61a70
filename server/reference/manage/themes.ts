/**
 * A partnership's own themes and their synonyms (beside the standard taxonomy every partnership
 * has). Removing a theme that loaded records carry is refused, naming how many and which.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { themes } from "../../../db/schema";
import type { Principal } from "../../access/permissions";
import { InvalidRequestError } from "../../errors";
import { normaliseName } from "../names";
import { STANDARD_THEMES } from "../themes";
import { changeAudited, firstFew, managedPartnership, parseInput, plural, RefusedChangeError } from "./common";
import { themesInput, type ThemesInput } from "./schemas";

export interface SavedThemes {
  partnership: string;
  themes: Array<{ code: string; label: string; synonyms: string[] }>;
  removed: string[];
}

/** Makes the partnership's own themes exactly those given. */
export async function saveThemes(db: Db, principal: Principal, input: ThemesInput): Promise<SavedThemes> {
  const value = parseInput(themesInput, input);
  const partnership = await managedPartnership(db, principal, value.partnership);
  refuseAmbiguousWords(value.themes);
  const change = { actor: principal.email, action: "reference.themes.save", scope: { partnerships: [partnership.code] }, details: { themes: value.themes.map((t) => t.code) } };
  return changeAudited(db, change, async (tx) => {
    const held = await queryRows<{ code: string }>(tx, sql`select code from themes where partnership_id = ${partnership.id} order by code`);
    const removed = held.map((h) => h.code).filter((code) => !value.themes.some((t) => t.code === code));
    // A code the standard taxonomy also has stays a theme for the records that carry it.
    const standard = new Set(STANDARD_THEMES.map((t) => t.code));
    await refuseCarriedThemes(tx, partnership, removed.filter((code) => !standard.has(code)));
    if (removed.length) {
      await tx.execute(sql`delete from themes where partnership_id = ${partnership.id} and code in (${sql.join(removed.map((c) => sql`${c}`), sql`, `)})`);
    }
    if (value.themes.length) {
      await tx
        .insert(themes)
        .values(value.themes.map((t) => ({ partnershipId: partnership.id, code: t.code, label: t.label, synonyms: t.synonyms })))
        .onConflictDoUpdate({
          target: [themes.partnershipId, themes.code],
          targetWhere: sql`partnership_id is not null`,
          set: { label: sql`excluded.label`, synonyms: sql`excluded.synonyms` },
          setWhere: sql`(themes.label, themes.synonyms) is distinct from (excluded.label, excluded.synonyms)`,
        });
    }
    return { result: { partnership: partnership.code, themes: value.themes, removed }, details: { removed } };
  });
}

/** Uploads match a theme by its code, label or a synonym: within the partnership's own list each must name one theme. */
function refuseAmbiguousWords(list: Array<{ code: string; label: string; synonyms: string[] }>): void {
  const owner = new Map<string, string>();
  const problems: string[] = [];
  list.forEach((t, i) => {
    const words: Array<[string, string]> = [["label", t.label], ...t.synonyms.map((s, j) => [`synonyms.${j}`, s] as [string, string])];
    const own = new Set([normaliseName(t.code), normaliseName(t.code.replace(/_/g, " "))]);
    for (const key of own) {
      if (owner.has(key) && owner.get(key) !== t.code) problems.push(`themes.${i}.code: "${t.code}" is also a word of theme ${owner.get(key)}`);
      owner.set(key, t.code);
    }
    for (const [field, word] of words) {
      const key = normaliseName(word);
      const other = owner.get(key);
      if (other && other !== t.code) problems.push(`themes.${i}.${field}: "${word}" already names theme ${other}: a word must point at one theme only`);
      else owner.set(key, t.code);
    }
  });
  if (problems.length) throw new InvalidRequestError(`${problems.join("; ")}.`);
}

async function refuseCarriedThemes(tx: Db, partnership: { id: number; code: string }, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  const rows = await queryRows<{ code: string; records: number; refs: string[] | null }>(
    tx,
    sql`select t.code,
          (select count(*)::int from escalations e where e.partnership_id = ${partnership.id} and t.code = any(e.themes))
          + (select count(*)::int from dissents d where d.partnership_id = ${partnership.id} and t.code = any(d.themes)) as records,
          array(select r from (
                  select e.record_ref_as_uploaded as r from escalations e where e.partnership_id = ${partnership.id} and t.code = any(e.themes)
                  union all
                  select d.record_ref_as_uploaded from dissents d where d.partnership_id = ${partnership.id} and t.code = any(d.themes)) refs
                order by r limit 5) as refs
        from unnest(${sql`array[${sql.join(codes.map((c) => sql`${c}`), sql`, `)}]::text[]`}) as t(code) order by t.code`,
  );
  const carried = rows.filter((r) => r.records > 0);
  if (carried.length === 0) return;
  throw new RefusedChangeError(
    `${carried.map((r) => `Theme ${r.code} is carried by ${plural(r.records, "loaded record")} in ${partnership.code} (${firstFew(r.refs ?? [], r.records)})`).join("; ")}, ` +
      `so it cannot be removed and nothing was changed. Keep the theme (its label and synonyms may change), or correct those records first.`,
  );
}
