/**
 * Which users an admin manages (issue 16, finding 2): an admin acts only on people whose every role
 * lies within the admin's own scope, so that nobody can reset, disable or re-scope an account that
 * another partnership looks after (docs/adr/0019-admins-manage-within-their-scope.md).
 */
import type { Db } from "../../db/client";
import { agenciesOfPartnerships, partnershipsFor, type Principal } from "./permissions";

/** A role as user_roles stores it. */
export interface HeldRole {
  role: string;
  partnerships: string[];
  allPartnerships: boolean;
  agencyCode: string | null;
}

/** What an admin's roles cover: every partnership, or some partnerships and the agencies in them. */
export type AdminScope =
  | { all: true }
  | { all: false; partnerships: ReadonlySet<string>; /** lower-cased agency codes of agencies in those partnerships */ agencies: ReadonlySet<string> };

/** The admin's scope under "users.manage", or null when the principal is no admin. */
export async function adminScopeOf(db: Db, principal: Principal): Promise<AdminScope | null> {
  if (!principal.grants.some((g) => g.role === "admin")) return null;
  const partnerships = partnershipsFor(principal, "users.manage");
  if (partnerships === "all") return { all: true };
  // Agency roles only for agencies wholly within the admin's partnerships: an agency shared with
  // another partnership acts there too (its uploader writes into both).
  const agencies = await agenciesOfPartnerships(db, partnerships, true);
  return { all: false, partnerships: new Set(partnerships), agencies: new Set(agencies.map((a) => a.toLowerCase())) };
}

/**
 * The rule: an admin manages a user when every role the user holds lies within the admin's scope.
 * A partnership role: each of its partnerships is one of the admin's ("all" only for an admin for all).
 * An agency role: its agency belongs only to the admin's partnerships.
 * A user with no roles (or a role naming no partnership) belongs to no partnership: only an admin for
 * all manages them, or any admin could claim an account nobody has scoped yet.
 */
export function managesUser(scope: AdminScope | null, roles: readonly HeldRole[]): boolean {
  if (!scope) return false;
  if (scope.all) return true;
  if (roles.length === 0) return false;
  return roles.every((r) =>
    r.agencyCode !== null
      ? scope.agencies.has(r.agencyCode.toLowerCase())
      : !r.allPartnerships && r.partnerships.length > 0 && r.partnerships.every((p) => scope.partnerships.has(p)),
  );
}

/** The audit scope of a user's roles: the partnerships and agencies they touch (an admin who manages them sees the entry). */
export function auditScopeOfRoles(roles: readonly HeldRole[]): Record<string, unknown> {
  if (roles.some((r) => r.allPartnerships)) return { partnerships: "all" };
  const partnerships = [...new Set(roles.flatMap((r) => r.partnerships))].sort();
  const agencies = [...new Set(roles.flatMap((r) => (r.agencyCode ? [r.agencyCode] : [])))].sort();
  return {
    ...(partnerships.length ? { partnerships } : {}),
    ...(agencies.length === 1 ? { agency: agencies[0] } : agencies.length > 1 ? { agencies } : {}),
  };
}
