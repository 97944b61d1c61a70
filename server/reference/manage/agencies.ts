/**
 * Agencies as a business manager keeps them: code, name, sector, aliases, and which of the admin's
 * partnerships they belong to. An agency shared with partnerships outside the admin's scope says so
 * (`sharedWith`), and those memberships are never changed here; a membership whose removal would
 * leave loaded records naming the agency in that partnership is refused, naming them.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { agencies, agencyAliases, agencyPartnerships } from "../../../db/schema";
import { authorizeOrHide, type Principal } from "../../access/permissions";
import { writeAudit } from "../../audit";
import { InvalidRequestError, NotFoundError } from "../../errors";
import { normaliseName } from "../names";
import { changeAudited, firstFew, inScope, managedPartnerships, parseInput, plural, RefusedChangeError } from "./common";
import { agencyInput, type AgencyInput } from "./schemas";

export interface ManagedAgency {
  code: string;
  name: string;
  sector: string;
  aliases: string[];
  /** The admin's partnerships it belongs to. */
  partnerships: string[];
  /** Partnerships outside the admin's scope it also belongs to: a change to it is seen there too. */
  sharedWith: string[];
}

interface AgencyRow {
  id: number;
  code: string;
  name: string;
  sector: string;
  aliases: string[];
  partnerships: string[];
}

async function agencyRows(db: Db, code?: string): Promise<AgencyRow[]> {
  return queryRows<AgencyRow & Record<string, unknown>>(
    db,
    sql`select a.id, a.code, a.name, a.sector,
          coalesce((select array_agg(x.alias order by x.alias) from agency_aliases x where x.agency_id = a.id), '{}') as aliases,
          coalesce((select array_agg(p.code order by p.code) from agency_partnerships m join partnerships p on p.id = m.partnership_id where m.agency_id = a.id), '{}') as partnerships
        from agencies a ${code === undefined ? sql`` : sql`where lower(a.code) = lower(${code})`}
        order by a.name, a.code`,
  );
}

/**
 * The agencies of the admin's partnerships (every agency, for an admin for all), each with the
 * memberships the admin manages and those it does not.
 */
export async function listManagedAgencies(db: Db, principal: Principal): Promise<ManagedAgency[]> {
  const scope = managedPartnerships(principal);
  return (await agencyRows(db))
    .filter((a) => scope === "all" || a.partnerships.some((p) => scope.includes(p)))
    .map((a) => ({
      code: a.code,
      name: a.name,
      sector: a.sector,
      aliases: a.aliases,
      partnerships: a.partnerships.filter((p) => inScope(scope, p)),
      sharedWith: a.partnerships.filter((p) => !inScope(scope, p)),
    }));
}

export interface SavedAgency {
  code: string;
  created: boolean;
  /** Every partnership it now belongs to (those outside the admin's scope kept as they were). */
  partnerships: string[];
  sharedWith: string[];
}

const noSuchAgency = (code: string) => `There is no agency "${code}" among the agencies of the partnerships you manage.`;

/**
 * Saves an agency (or, with `create`, adds one). Its memberships become the partnerships listed
 * that the admin manages, plus every partnership outside the admin's scope it already belongs to;
 * listing a partnership outside the scope it does not belong to is refused as a missing one would be.
 */
export async function saveAgency(db: Db, principal: Principal, input: AgencyInput): Promise<SavedAgency> {
  const value = parseInput(agencyInput, input);
  const scope = managedPartnerships(principal);
  const [existing] = await agencyRows(db, value.code);

  if (value.create && existing) throw new InvalidRequestError(`code: there is already an agency "${existing.code}" (${existing.name}); choose another code, or change that one.`);
  if (!value.create) {
    if (!existing) throw new NotFoundError(noSuchAgency(value.code));
    if (scope !== "all" && !existing.partnerships.some((p) => scope.includes(p))) {
      await writeAudit(db, { actor: principal.email, action: "access.reference.manage", scope: { agency: existing.code }, details: { action: "reference.agency.save" }, outcome: "refused" });
      throw new NotFoundError(noSuchAgency(value.code));
    }
  }
  const held = existing?.partnerships ?? [];
  // Joining a partnership outside the scope is the other partnership's business manager's to decide.
  const outside = value.partnerships.filter((p) => !inScope(scope, p) && !held.includes(p));
  if (outside.length) {
    await authorizeOrHide(db, principal, "reference.manage", { partnerships: outside }, `There is no partnership ${outside.map((p) => `"${p}"`).join(", ")} among the partnerships you manage.`);
  }
  const wanted = [...new Set([...value.partnerships.filter((p) => inScope(scope, p)), ...held.filter((p) => !inScope(scope, p))])].sort();
  const code = existing?.code ?? value.code;

  const change = {
    actor: principal.email,
    action: "reference.agency.save",
    scope: { agency: code },
    details: { code, name: value.name, sector: value.sector, aliases: value.aliases, partnerships: wanted, created: !existing },
  };
  return changeAudited(db, change, async (tx) => {
    if (wanted.length === 0) throw new InvalidRequestError(`partnerships: agency ${code} must belong to at least one partnership (value: []).`);
    const known = await queryRows<{ id: number; code: string }>(tx, sql`select id, code from partnerships where code in (${sql.join(wanted.map((p) => sql`${p}`), sql`, `)})`);
    const unknown = wanted.filter((p) => !known.some((k) => k.code === p));
    if (unknown.length) throw new InvalidRequestError(`partnerships: there is no partnership ${unknown.map((p) => `"${p}"`).join(", ")}.`);
    await refuseAmbiguousNames(tx, existing?.id ?? null, code, value.name, value.aliases);

    const leaving = held.filter((p) => !wanted.includes(p));
    if (existing && leaving.length) await refuseOrphanedRecords(tx, existing.id, code, leaving);

    let id = existing?.id;
    if (existing) {
      await tx.execute(sql`update agencies set name = ${value.name}, sector = ${value.sector}, updated_at = now()
                           where id = ${existing.id} and (name, sector) is distinct from (${value.name}::text, ${value.sector}::text)`);
    } else {
      const [row] = await tx.insert(agencies).values({ code, name: value.name, sector: value.sector }).returning({ id: agencies.id });
      id = row!.id;
    }
    await tx.delete(agencyAliases).where(sql`${agencyAliases.agencyId} = ${id!}`);
    const aliasRows = uniqueByName(value.aliases).map((alias) => ({ agencyId: id!, alias, normalisedAlias: normaliseName(alias) }));
    if (aliasRows.length) await tx.insert(agencyAliases).values(aliasRows);
    await tx.delete(agencyPartnerships).where(sql`${agencyPartnerships.agencyId} = ${id!}`);
    await tx.insert(agencyPartnerships).values(known.map((p) => ({ agencyId: id!, partnershipId: p.id })));
    return {
      result: { code, created: !existing, partnerships: wanted, sharedWith: wanted.filter((p) => !inScope(scope, p)) },
      details: { left: leaving, joined: wanted.filter((p) => !held.includes(p)) },
    };
  });
}

function uniqueByName(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = normaliseName(n);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Uploads match an agency by code, name or alias: each must name this agency only. */
async function refuseAmbiguousNames(tx: Db, agencyId: number | null, code: string, name: string, aliases: string[]): Promise<void> {
  const others = await queryRows<{ code: string; key: string }>(
    tx,
    sql`select a.code, k.key from agencies a
        cross join lateral (select a.code as key union all select a.name union all select x.alias from agency_aliases x where x.agency_id = a.id) k
        where ${agencyId === null ? sql`true` : sql`a.id <> ${agencyId}`}`,
  );
  const owner = new Map(others.map((o) => [normaliseName(o.key), o.code] as const));
  const problems = [
    ...(owner.has(normaliseName(code)) ? [`code: "${code}" already names agency ${owner.get(normaliseName(code))} (by its code, name or an alias)`] : []),
    ...(owner.has(normaliseName(name)) ? [`name: "${name}" already names agency ${owner.get(normaliseName(name))}`] : []),
    ...aliases.flatMap((alias, i) =>
      owner.has(normaliseName(alias)) ? [`aliases.${i}: "${alias}" already names agency ${owner.get(normaliseName(alias))}: an alias must point at one agency only`] : [],
    ),
  ];
  if (problems.length) throw new InvalidRequestError(`${problems.join("; ")}.`);
}

/** Refuses leaving partnerships in which loaded records name the agency (as uploader, raiser, receiver or dissenter). */
async function refuseOrphanedRecords(tx: Db, agencyId: number, code: string, leaving: string[]): Promise<void> {
  const rows = await queryRows<{ partnership: string; records: number; refs: string[] | null; months: number }>(
    tx,
    sql`select p.code as partnership,
          (select count(*)::int from escalations e where e.partnership_id = p.id and ${agencyId} in (e.agency_id, e.raising_agency_id, e.receiving_agency_id))
          + (select count(*)::int from dissents d where d.partnership_id = p.id and ${agencyId} in (d.agency_id, d.dissenting_agency_id)) as records,
          array(select r from (
                  select e.record_ref_as_uploaded as r from escalations e where e.partnership_id = p.id and ${agencyId} in (e.agency_id, e.raising_agency_id, e.receiving_agency_id)
                  union all
                  select d.record_ref_as_uploaded from dissents d where d.partnership_id = p.id and ${agencyId} in (d.agency_id, d.dissenting_agency_id)) refs
                order by r limit 5) as refs,
          (select count(*)::int from conference_activity c where c.partnership_id = p.id and c.agency_id = ${agencyId}) as months
        from partnerships p where p.code in (${sql.join(leaving.map((p) => sql`${p}`), sql`, `)}) order by p.code`,
  );
  const blocked = rows.filter((r) => r.records > 0 || r.months > 0);
  if (blocked.length === 0) return;
  const each = blocked.map((r) => {
    const records = r.records > 0 ? `${plural(r.records, "loaded record")} name it (${firstFew(r.refs ?? [], r.records)})` : "";
    const months = r.months > 0 ? `${plural(r.months, "month")} of conference activity came from it` : "";
    return `in ${r.partnership}, ${[records, months].filter(Boolean).join(" and ")}`;
  });
  throw new RefusedChangeError(
    `Agency ${code} cannot leave ${blocked.map((r) => r.partnership).join(", ")}: ${each.join("; ")}. Nothing was changed. Undo or correct those uploads first.`,
  );
}
