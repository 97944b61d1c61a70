/**
 * Where a deployment's set-up stands, in the admin's scope: partnership → procedure → agencies →
 * users → upload templates (issue 17). The overview shows it until every step is done.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import type { Principal } from "../../access/permissions";
import { listUsersAs } from "../../access/users";
import { managedPartnerships } from "./common";

export type SetupStepKey = "partnership" | "procedure" | "agencies" | "users" | "templates";

export interface SetupStep {
  key: SetupStepKey;
  done: boolean;
  /** The page that does the step. */
  href: string;
  label: string;
}

export interface SetupState {
  /** Partnerships in the admin's scope. */
  partnerships: number;
  /** Procedure versions of those partnerships. */
  procedures: number;
  /** Agencies belonging to at least one of them. */
  agencies: number;
  /** Users the admin manages. */
  users: number;
  steps: SetupStep[];
  complete: boolean;
}

/** Where the pages for each step are (app/admin/**, app/setup/templates). */
export const SETUP_PAGES: Record<SetupStepKey, string> = {
  partnership: "/admin/partnerships",
  procedure: "/admin/procedures",
  agencies: "/admin/agencies",
  users: "/admin/users",
  templates: "/setup/templates",
};

/**
 * The set-up steps and whether each is done for every partnership in scope: a partnership exists;
 * each has a procedure version; each has at least two agencies (an escalation is between two);
 * someone holds an uploader role for one of their agencies; and an upload has been made for one.
 */
export async function getSetup(db: Db, principal: Principal): Promise<SetupState> {
  const scope = managedPartnerships(principal);
  const only = scope === "all" ? sql`true` : scope.length ? sql`p.code in (${sql.join(scope.map((c) => sql`${c}`), sql`, `)})` : sql`false`;
  const [row] = await queryRows<{ partnerships: number; procedures: number; without_procedure: number; without_agencies: number; agencies: number; uploads: number; agency_codes: string[] | null }>(
    db,
    sql`with p as (select id, code from partnerships p where ${only}),
             member as (select distinct m.agency_id, m.partnership_id from agency_partnerships m join p on p.id = m.partnership_id)
        select (select count(*)::int from p) as partnerships,
               (select count(*)::int from procedure_versions v join p on p.id = v.partnership_id) as procedures,
               (select count(*)::int from p where not exists (select 1 from procedure_versions v where v.partnership_id = p.id)) as without_procedure,
               (select count(*)::int from p where (select count(*) from member m where m.partnership_id = p.id) < 2) as without_agencies,
               (select count(distinct agency_id)::int from member) as agencies,
               (select count(*)::int from import_batches b where b.agency_id in (select agency_id from member)) as uploads,
               (select array_agg(distinct lower(a.code)) from agencies a where a.id in (select agency_id from member)) as agency_codes`,
  );
  const r = row!;
  const users = await listUsersAs(db, principal);
  const theirAgencies = new Set(r.agency_codes ?? []);
  const uploader = users.some((u) => u.roles.some((role) => role.role === "uploader" && theirAgencies.has(role.scope.toLowerCase())));
  const some = r.partnerships > 0;
  const steps: SetupStep[] = [
    { key: "partnership", done: some, href: SETUP_PAGES.partnership, label: "Set up the partnership: its name, quarters, closure days and targets" },
    { key: "procedure", done: some && r.without_procedure === 0, href: SETUP_PAGES.procedure, label: "Describe the procedure: its stages, their limits, and when each version took effect" },
    { key: "agencies", done: some && r.without_agencies === 0, href: SETUP_PAGES.agencies, label: "Add the agencies that raise and receive escalations" },
    { key: "users", done: uploader, href: SETUP_PAGES.users, label: "Add the people who upload each agency's log" },
    { key: "templates", done: r.uploads > 0, href: SETUP_PAGES.templates, label: "Download the upload templates, and upload a first file" },
  ];
  return { partnerships: r.partnerships, procedures: r.procedures, agencies: r.agencies, users: users.length, steps, complete: steps.every((s) => s.done) };
}
