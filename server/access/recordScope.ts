/**
 * Record-level and per-agency reading: which partnerships' records a person may read in full, or,
 * for an agency lead, which of its agency's. Refusals are audited through authorize().
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { authorize, isAllowed, partnershipsFor, type Principal } from "./permissions";

export interface RecordScope {
  partnerships: string[];
  /** An agency lead reads only the escalations its agency uploaded, raised or received. */
  involvingAgency: string | null;
}

async function partnershipsOfAgency(db: Db, agency: string): Promise<string[]> {
  const rows = await queryRows<{ code: string }>(
    db,
    sql`select p.code from agency_partnerships m join partnerships p on p.id = m.partnership_id join agencies a on a.id = m.agency_id
        where lower(a.code) = lower(${agency}) order by p.code`,
  );
  return rows.map((r) => r.code);
}

/** The record scope for the partnerships asked for; throws (and audits) when there is none. */
export async function recordScopeFor(db: Db, principal: Principal, partnerships: string[]): Promise<RecordScope> {
  if (await isAllowed(db, principal, "records.read", { partnerships })) return { partnerships, involvingAgency: null };
  for (const grant of principal.grants.filter((g) => g.role === "agency_lead" && g.agency)) {
    const own = await partnershipsOfAgency(db, grant.agency!);
    if (partnerships.every((p) => own.includes(p))) return { partnerships, involvingAgency: grant.agency! };
  }
  await authorize(db, principal, "records.read", { partnerships });
  throw new Error("unreachable: authorize refused");
}

/**
 * The partnerships in which a person may see an agency's figures beside its partnership's: the
 * agency's partnerships within their scope (an agency lead: all of its own agency's), narrowed to
 * those asked for. Throws (and audits) when none is left.
 */
export async function profilePartnershipsFor(db: Db, principal: Principal, agency: string, requested?: string[]): Promise<string[]> {
  await authorize(db, principal, "agency.read", { agency });
  const own = await partnershipsOfAgency(db, agency);
  const lead = principal.grants.some((g) => g.role === "agency_lead" && g.agency?.toLowerCase() === agency.toLowerCase());
  const visible = lead ? "all" : partnershipsFor(principal, "figures.read");
  const allowed = own.filter((p) => (visible === "all" || visible.includes(p)) && (!requested || requested.includes(p)));
  if (allowed.length === 0) await authorize(db, principal, "figures.read", { partnerships: requested ?? own });
  return allowed.length ? allowed : own;
}

/** The partnerships whose records a person may open at all (in full, or as an agency lead for its agency). */
export async function recordPartnershipsFor(db: Db, principal: Principal): Promise<string[] | "all"> {
  const full = partnershipsFor(principal, "records.read");
  if (full === "all") return "all";
  const codes = new Set(full);
  for (const grant of principal.grants.filter((g) => g.role === "agency_lead" && g.agency)) {
    for (const p of await partnershipsOfAgency(db, grant.agency!)) codes.add(p);
  }
  return [...codes].sort();
}
