/**
 * Who may do what, and where: the one permission check every tRPC procedure and route handler uses.
 *
 * Roles (IMPORT-FORMAT/issue 5): admin (a business manager for given partnerships), board (figures and
 * reports), scrutineer (figures and pseudonymised records), agency_lead (its own agency), uploader
 * (uploads and rejects for its own agency). A user may hold several roles.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { writeAudit } from "../audit";
import { NotFoundError } from "../errors";

export const ROLES = ["admin", "board", "scrutineer", "agency_lead", "uploader"] as const;
export type Role = (typeof ROLES)[number];

export interface RoleGrant {
  role: Role;
  /** Partnership codes, or "all" (admin, board, scrutineer). */
  partnerships: string[] | "all";
  /** The agency (agency_lead, uploader). */
  agency: string | null;
}

export interface Principal {
  userId: string;
  email: string;
  name: string;
  grants: RoleGrant[];
}

export type Permission =
  /** Partnership and agency names: anyone signed in. */
  | "reference.read"
  /** Aggregated figures and reports of partnerships. */
  | "figures.read"
  /** Pseudonymised record-level data of partnerships (the overdue list, records); an agency lead, its own agency's. */
  | "records.read"
  /** One agency's figures as raiser and receiver, beside its partnership's (an agency lead: its own). */
  | "agency.read"
  /** Upload a file as an agency, and undo its uploads. */
  | "uploads.write"
  /** An agency's upload history and rejects. */
  | "uploads.read"
  /** Write an agency's self-assessment evidence return (its lead, or an admin of its partnership). */
  | "evidence.write"
  /** Issue a board report: freeze it as what the board saw. */
  | "reports.issue"
  /** The audit log. */
  | "audit.read"
  /** Add users, give roles, disable, reset passwords (within the admin's own scope). */
  | "users.manage"
  /** Change a partnership's reference data: its settings, procedure versions, agencies and themes (bank holidays: an admin for all). */
  | "reference.manage";

export interface Target {
  partnerships?: string[];
  agency?: string;
}

/** Which roles grant a permission, and over what: partnerships in their scope, or their own agency. */
/**
 * Over what a role grants a permission: any target; partnerships in its scope; its own agency; an
 * agency that belongs to one of its partnerships (reading, where each figure is then narrowed to
 * the partnerships in scope); or an agency ALL of whose partnerships are in its scope (acting for
 * the agency: its uploads, rejects and returns span every partnership it belongs to, so an admin of
 * one partnership may not act for an agency shared with another).
 */
type Over = "any" | "partnerships" | "agency" | "agency-in-partnerships" | "agency-within-partnerships";

const RULES: Record<Permission, Array<{ role: Role; over: Over }>> = {
  "reference.read": ROLES.map((role) => ({ role, over: "any" as const })),
  "figures.read": [
    { role: "admin", over: "partnerships" },
    { role: "board", over: "partnerships" },
    { role: "scrutineer", over: "partnerships" },
  ],
  "agency.read": [
    { role: "admin", over: "agency-in-partnerships" },
    { role: "board", over: "agency-in-partnerships" },
    { role: "scrutineer", over: "agency-in-partnerships" },
    { role: "agency_lead", over: "agency" },
  ],
  "records.read": [
    { role: "agency_lead", over: "agency" },
    { role: "admin", over: "partnerships" },
    { role: "scrutineer", over: "partnerships" },
  ],
  "uploads.write": [
    { role: "admin", over: "agency-within-partnerships" },
    { role: "uploader", over: "agency" },
  ],
  "uploads.read": [
    { role: "admin", over: "agency-within-partnerships" },
    { role: "uploader", over: "agency" },
    { role: "agency_lead", over: "agency" },
  ],
  "reports.issue": [{ role: "admin", over: "partnerships" }],
  "evidence.write": [
    { role: "admin", over: "agency-within-partnerships" },
    { role: "agency_lead", over: "agency" },
  ],
  "audit.read": [{ role: "admin", over: "any" }],
  "users.manage": [{ role: "admin", over: "partnerships" }],
  "reference.manage": [{ role: "admin", over: "partnerships" }],
};

export class ForbiddenError extends Error {
  override name = "ForbiddenError";
}

export class SignInRequiredError extends Error {
  override name = "SignInRequiredError";
  constructor() {
    super("Sign in to see this.");
  }
}

const covers = (grant: RoleGrant, partnerships: string[]) =>
  grant.partnerships === "all" || partnerships.every((p) => (grant.partnerships as string[]).includes(p));

async function agencyPartnerships(db: Db, agency: string): Promise<string[]> {
  const rows = await queryRows<{ code: string }>(
    db,
    sql`select p.code from agency_partnerships m join partnerships p on p.id = m.partnership_id join agencies a on a.id = m.agency_id
        where lower(a.code) = lower(${agency})`,
  );
  return rows.map((r) => r.code);
}

/**
 * True when the principal may use `permission` on `target`. With no target (a list of "what I may
 * see"), true when any of their roles grants the permission: the list is then filtered by scope.
 */
export async function isAllowed(db: Db, principal: Principal, permission: Permission, target: Target = {}): Promise<boolean> {
  const untargeted = !target.agency && !(target.partnerships?.length ?? 0);
  for (const rule of RULES[permission]) {
    if (untargeted && principal.grants.some((g) => g.role === rule.role)) return true;
    for (const grant of principal.grants.filter((g) => g.role === rule.role)) {
      if (rule.over === "any") return true;
      if (rule.over === "partnerships" && (target.partnerships?.length ?? 0) > 0 && covers(grant, target.partnerships!)) return true;
      if (rule.over === "agency" && target.agency && grant.agency?.toLowerCase() === target.agency.toLowerCase()) return true;
      if (rule.over === "agency-within-partnerships" && target.agency) {
        const memberOf = await agencyPartnerships(db, target.agency);
        if (memberOf.length > 0 && (grant.partnerships === "all" || memberOf.every((p) => (grant.partnerships as string[]).includes(p)))) return true;
      }
      if (rule.over === "agency-in-partnerships" && target.agency) {
        const memberOf = await agencyPartnerships(db, target.agency);
        if (memberOf.length > 0 && (grant.partnerships === "all" || memberOf.some((p) => (grant.partnerships as string[]).includes(p)))) return true;
      }
    }
  }
  return false;
}

/**
 * Throws unless the principal may use `permission` on `target`. A refusal is written to the audit
 * log (who, what, where): attempts on another agency's or partnership's data are traceable.
 */
export async function authorize(db: Db, principal: Principal | null, permission: Permission, target: Target = {}): Promise<void> {
  if (!principal) throw new SignInRequiredError();
  if (await isAllowed(db, principal, permission, target)) return;
  await writeAudit(db, { actor: principal.email, action: `access.${permission}`, scope: { ...target }, details: {}, outcome: "refused" });
  const where = target.agency ? `agency ${target.agency}` : target.partnerships?.length ? `partnership(s) ${target.partnerships.join(", ")}` : "this";
  throw new ForbiddenError(`Your account may not see or change ${where}. Ask your partnership's business manager if you need access.`);
}

/**
 * As authorize, for a thing asked for by its id: a refusal answers exactly as a missing id does
 * (`missing` is that message), so nobody learns that an id they may not see exists. Still audited.
 */
export async function authorizeOrHide(db: Db, principal: Principal | null, permission: Permission, target: Target, missing: string): Promise<void> {
  try {
    await authorize(db, principal, permission, target);
  } catch (error) {
    if (error instanceof ForbiddenError) throw new NotFoundError(missing);
    throw error;
  }
}

/** The partnerships (codes, or "all") in which the principal may use a partnership-scoped permission. */
export function partnershipsFor(principal: Principal, permission: Permission): string[] | "all" {
  const roles = RULES[permission].filter((r) => r.over === "partnerships" || r.over === "agency-in-partnerships" || r.over === "agency-within-partnerships").map((r) => r.role);
  const grants = principal.grants.filter((g) => roles.includes(g.role));
  if (grants.some((g) => g.partnerships === "all")) return "all";
  return [...new Set(grants.flatMap((g) => g.partnerships as string[]))].sort();
}

/** The agencies (codes, or "all") whose data the principal may use under an agency-scoped permission. */
export async function agenciesFor(db: Db, principal: Principal, permission: Permission): Promise<string[] | "all"> {
  const rules = RULES[permission];
  const own = rules.filter((r) => r.over === "agency").map((r) => r.role);
  const codes = new Set(principal.grants.filter((g) => own.includes(g.role) && g.agency).map((g) => g.agency!));
  for (const [over, wholly] of [["agency-in-partnerships", false], ["agency-within-partnerships", true]] as const) {
    const grants = principal.grants.filter((g) => rules.some((r) => r.over === over && r.role === g.role));
    if (grants.some((g) => g.partnerships === "all")) return "all";
    const partnershipCodes = [...new Set(grants.flatMap((g) => g.partnerships as string[]))];
    for (const code of await agenciesOfPartnerships(db, partnershipCodes, wholly)) codes.add(code);
  }
  return [...codes].sort();
}

/**
 * Agencies belonging to any of the partnerships, or (wholly) belonging to some of them and to no
 * other partnership.
 */
export async function agenciesOfPartnerships(db: Db, partnershipCodes: string[], wholly: boolean): Promise<string[]> {
  if (partnershipCodes.length === 0) return [];
  const listed = sql.join(partnershipCodes.map((c) => sql`${c}`), sql`, `);
  const rows = await queryRows<{ code: string }>(
    db,
    sql`select distinct a.code from agencies a join agency_partnerships m on m.agency_id = a.id join partnerships p on p.id = m.partnership_id
        where p.code in (${listed})
        ${wholly ? sql`and not exists (select 1 from agency_partnerships o join partnerships op on op.id = o.partnership_id where o.agency_id = a.id and op.code not in (${listed}))` : sql``}
        order by a.code`,
  );
  return rows.map((r) => r.code);
}
