/**
 * The upload templates offered for download (IMPORT-FORMAT.md): each kind's columns and one example
 * row. An escalations template carries the stage columns of the procedure version in force today
 * (stage1_on … stageN_on): for a partnership, its current version's N; for an agency in several
 * partnerships, or a person acting for several, the most stages among their current versions.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../db/client";
import { todayInLondon, type IsoDate } from "../server/calendar/dates";
import type { RoleGrant } from "../server/access/permissions";
import { InvalidRequestError } from "../server/errors";
import { listProcedureVersions, versionOn } from "../server/reference/procedureVersions";
import { COLUMNS, TEMPLATE_EXAMPLES, type UploadKind } from "./formats";

/** Stage columns of a template when no partnership with a procedure is in view (the contract's table lists five). */
export const DEFAULT_TEMPLATE_STAGES = 5;

/** Whose template: one partnership, one agency's partnerships, or (neither given) those of the person asking. */
export interface TemplateRequest {
  partnership?: string;
  agency?: string;
  /** The asker's roles: an uploader's or agency lead's agency, an admin's or board member's partnerships. */
  grants: RoleGrant[];
  today?: IsoDate;
}

export interface UploadTemplate {
  columns: string[];
  /** The example row, cell for cell under `columns`. */
  example: string[];
  /** How many stage columns the template carries (escalations). */
  stages: number;
  /** The partnerships whose current versions gave the stage columns, by code. */
  partnerships: string[];
}

/** The partnerships a template is for, by code ("all" when the asker's roles span every partnership). */
async function partnershipsOf(db: Db, request: TemplateRequest): Promise<{ codes: string[] | "all"; agency?: string }> {
  if (request.partnership) {
    const [found] = await queryRows<{ code: string }>(
      db,
      sql`select code from partnerships where lower(code) = lower(${request.partnership.trim()})`,
    );
    if (!found) throw new InvalidRequestError(`There is no partnership "${request.partnership.slice(0, 60)}": give a partnership's code.`);
    return { codes: [found.code] };
  }
  const agencies = request.agency
    ? [request.agency]
    : request.grants.filter((g) => g.agency !== null && (g.role === "uploader" || g.role === "agency_lead")).map((g) => g.agency!);
  const codes = new Set<string>();
  let agency: string | undefined;
  for (const code of new Set(agencies.map((a) => a.trim().toLowerCase()))) {
    const rows = await queryRows<{ agency: string; partnership: string | null }>(
      db,
      sql`select a.code as agency, p.code as partnership from agencies a
          left join agency_partnerships m on m.agency_id = a.id left join partnerships p on p.id = m.partnership_id
          where lower(a.code) = ${code}`,
    );
    if (rows.length === 0) {
      if (request.agency) throw new InvalidRequestError(`There is no agency "${request.agency.slice(0, 60)}": give an agency's code.`);
      continue;
    }
    agency ??= rows[0]!.agency;
    for (const r of rows) if (r.partnership) codes.add(r.partnership);
  }
  if (request.agency) return { codes: [...codes], agency };
  for (const grant of request.grants) {
    if (grant.agency !== null) continue;
    if (grant.partnerships === "all") return { codes: "all", agency };
    for (const code of grant.partnerships) codes.add(code);
  }
  return { codes: codes.size ? [...codes] : "all", agency };
}

/** The template of a kind for the partnerships asked about (see TemplateRequest). */
export async function uploadTemplate(db: Db, kind: UploadKind, request: TemplateRequest): Promise<UploadTemplate> {
  const today = request.today ?? todayInLondon();
  const scope = await partnershipsOf(db, request);
  const versions = await listProcedureVersions(db, scope.codes === "all" ? undefined : scope.codes);
  const byPartnership = new Map<string, typeof versions>();
  for (const v of versions) byPartnership.set(v.partnershipCode, [...(byPartnership.get(v.partnershipCode) ?? []), v]);
  const current = [...byPartnership.values()].map((own) => versionOn(own, today)!);
  const stages = current.length ? Math.max(...current.map((v) => v.stages.length)) : DEFAULT_TEMPLATE_STAGES;
  const partnerships = [...byPartnership.keys()].sort();

  const columns = COLUMNS[kind]
    .map((c) => c.name)
    .filter((name) => {
      const stage = /^stage(\d+)_on$/.exec(name);
      return !stage || Number(stage[1]) <= stages;
    });
  const example: Record<string, string> = { ...TEMPLATE_EXAMPLES[kind] };
  // The example names a partnership of the template's (and its agencies) where there is one, so that it would load.
  const named = scope.codes === "all" ? partnerships[0] : [...scope.codes].sort()[0];
  if (named) {
    example.partnership = named;
    const members = (
      await queryRows<{ code: string }>(
        db,
        sql`select a.code from agencies a join agency_partnerships m on m.agency_id = a.id join partnerships p on p.id = m.partnership_id
            where p.code = ${named} order by a.code`,
      )
    ).map((a) => a.code);
    const first = scope.agency ?? members[0];
    if (first) {
      if (kind === "escalations") example.raising_agency = first;
      if (kind === "dissent") example.dissenting_agency = first;
    }
    const other = members.find((m) => m !== first);
    if (kind === "escalations" && other) example.receiving_agency = other;
  }
  return { columns, example: columns.map((c) => example[c] ?? ""), stages, partnerships };
}
