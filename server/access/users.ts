/**
 * Adding users, giving them roles, disabling them and resetting passwords: each with its audit entry.
 *
 * Two doors: the command line runs as the server's operator and may act on anyone (addUser,
 * disableUser, resetPassword); an admin acts only on the users they manage (…As, server/access/manages.ts).
 * Giving a role to an existing account never changes its password: that is what a reset is for.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { withTransaction, type Db } from "../../db/client";
import { agencies, authAccounts, authSessions, authUsers, partnerships, userRoles } from "../../db/schema";
import { writeAudit } from "../audit";
import { InvalidRequestError, NotFoundError } from "../errors";
import type { Auth } from "./auth";
import { adminScopeOf, auditScopeOfRoles, managesUser, type AdminScope, type HeldRole } from "./manages";
import { authorize, ForbiddenError, ROLES, type Principal, type Role } from "./permissions";

const PARTNERSHIP_ROLES: Role[] = ["admin", "board", "scrutineer"];

export const userSpecSchema = z.object({
  email: z.string().trim().toLowerCase().email({ message: "must be an email address" }),
  name: z.string().trim().min(1).max(120).optional(),
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(", ")}` }),
  /** Comma-separated partnership codes or "all" (admin, board, scrutineer); one agency code (agency_lead, uploader). */
  scope: z.string().trim().min(1, { message: "is required: partnership codes (or all), or an agency code" }),
});
export type UserSpec = z.input<typeof userSpecSchema>;

/** A password people can type: 20 characters from a 56-letter alphabet (about 116 bits). */
export function generatePassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  return [...randomBytes(20)].map((b) => alphabet[b % alphabet.length]).join("");
}

async function hashPassword(auth: Auth, password: string): Promise<string> {
  if (password.length < 12) throw new InvalidRequestError("A password must be at least 12 characters long.");
  return (await auth.$context).password.hash(password);
}

/** Who is acting: the operator at the command line (anyone), or an admin (only the users they manage). */
type Acting = { actor: string; scope: "operator" } | { actor: string; scope: AdminScope | null };
const mayManage = (acting: Acting, roles: readonly HeldRole[]) => acting.scope === "operator" || managesUser(acting.scope, roles);

export interface AddedUser {
  userId: string;
  /** False when the email already had an account: the role was added and its password left as it was. */
  created: boolean;
  /** The new account's password when it was generated here, to be shown once; null otherwise. */
  generatedPassword: string | null;
}

/**
 * Adds a user with a password (generated unless given), or gives an existing user a role. An
 * existing user's password is never changed here (use resetPassword); `created` says which happened.
 */
export async function addUser(db: Db, auth: Auth, spec: UserSpec, actor: string, password?: string): Promise<AddedUser> {
  const outcome = await addRole(db, auth, spec, { actor, scope: "operator" }, password);
  if (outcome === "refused") throw new Error("unreachable: the operator may change any user");
  return outcome;
}

async function addRole(db: Db, auth: Auth, spec: UserSpec, acting: Acting, password?: string): Promise<AddedUser | "refused"> {
  const parsed = userSpecSchema.safeParse(spec);
  if (!parsed.success) throw new InvalidRequestError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; "));
  const { email, name, role, scope } = parsed.data;
  const grant = PARTNERSHIP_ROLES.includes(role)
    ? await partnershipScope(db, scope)
    : { partnerships: [] as string[], allPartnerships: false, agencyCode: await agencyScope(db, scope) };
  const added: HeldRole = { role, ...grant };
  // Hashed before the transaction (it takes a moment), and only used if the account is new.
  const generated = password ? null : generatePassword();
  const hash = await hashPassword(auth, password ?? generated!);
  return withTransaction(db, async (tx): Promise<AddedUser | "refused"> => {
    let [user] = await tx.select().from(authUsers).where(eq(authUsers.email, email));
    const created = !user;
    if (user) {
      const before = await rolesOf(tx, user.id);
      // Both: the admin manages the account now, and still will with the role added (a role replaces one of the same kind).
      if (!mayManage(acting, before) || !mayManage(acting, [...before.filter((r) => r.role !== role), added])) {
        await writeAudit(tx, { actor: acting.actor, action: "users.add", details: { email, role, scope }, outcome: "refused" });
        return "refused";
      }
    } else {
      [user] = await tx.insert(authUsers).values({ id: randomUUID(), email, name: name ?? email, emailVerified: true }).returning();
      await tx.insert(authAccounts).values({ id: randomUUID(), accountId: user!.id, providerId: "credential", userId: user!.id, password: hash });
    }
    await tx
      .insert(userRoles)
      .values({ userId: user!.id, ...added })
      .onConflictDoUpdate({ target: [userRoles.userId, userRoles.role], set: { partnerships: grant.partnerships, allPartnerships: grant.allPartnerships, agencyCode: grant.agencyCode } });
    await writeAudit(tx, {
      actor: acting.actor,
      action: "users.add",
      scope: auditScopeOfRoles([added]),
      details: { email, role, scope, account: created ? "created" : "existing; password unchanged" },
      outcome: "success",
    });
    return { userId: user!.id, created, generatedPassword: created ? generated : null };
  });
}

async function partnershipScope(db: Db, scope: string) {
  if (scope.toLowerCase() === "all") return { partnerships: [] as string[], allPartnerships: true, agencyCode: null };
  const codes = [...new Set(scope.split(",").map((c) => c.trim()).filter(Boolean))];
  if (codes.length === 0) throw new InvalidRequestError(`scope: "${scope}" names no partnership: give partnership codes separated by commas, or all`);
  const found = await db.select({ code: partnerships.code }).from(partnerships).where(inArray(partnerships.code, codes));
  const missing = codes.filter((c) => !found.some((f) => f.code === c));
  if (missing.length) throw new InvalidRequestError(`scope: there is no partnership ${missing.map((m) => `"${m}"`).join(", ")}`);
  return { partnerships: codes, allPartnerships: false, agencyCode: null };
}

async function agencyScope(db: Db, scope: string): Promise<string> {
  const [agency] = await db.select({ code: agencies.code }).from(agencies).where(sql`lower(${agencies.code}) = lower(${scope})`);
  if (!agency) throw new InvalidRequestError(`scope: there is no agency "${scope}" (agency_lead and uploader are scoped to one agency code)`);
  return agency.code;
}

async function rolesOf(db: Db, userId: string): Promise<HeldRole[]> {
  return db
    .select({ role: userRoles.role, partnerships: userRoles.partnerships, allPartnerships: userRoles.allPartnerships, agencyCode: userRoles.agencyCode })
    .from(userRoles)
    .where(eq(userRoles.userId, userId));
}

/**
 * The one answer for an email with no account and for an account the admin does not manage, so
 * that the API never confirms who exists outside one's scope.
 */
const noSuchUser = (email: string) => new NotFoundError(`There is no user with the email ${email} among the people you manage.`);

/**
 * Runs `change` on the user with `email` in one transaction with its audit row, if the acting
 * person may manage them; otherwise writes the refusal (the same row whether or not the email
 * exists) in that transaction and answers "no such user".
 */
async function changeManagedUser(db: Db, email: string, acting: Acting, action: string, change: (tx: Db, userId: string) => Promise<void>): Promise<void> {
  const asked = email.trim().toLowerCase();
  const outcome = await withTransaction(db, async (tx) => {
    const [user] = await tx.select({ id: authUsers.id, email: authUsers.email }).from(authUsers).where(eq(authUsers.email, asked));
    const roles = user ? await rolesOf(tx, user.id) : [];
    if (!user || !mayManage(acting, roles)) {
      await writeAudit(tx, { actor: acting.actor, action, details: { email: asked }, outcome: "refused" });
      return "refused" as const;
    }
    await change(tx, user.id);
    await writeAudit(tx, { actor: acting.actor, action, scope: auditScopeOfRoles(roles), details: { email: user.email }, outcome: "success" });
    return "done" as const;
  });
  if (outcome === "refused") throw noSuchUser(email);
}

async function disable(db: Db, email: string, acting: Acting): Promise<void> {
  await changeManagedUser(db, email, acting, "users.disable", async (tx, userId) => {
    await tx.update(authUsers).set({ disabled: true, updatedAt: new Date() }).where(eq(authUsers.id, userId));
    await tx.delete(authSessions).where(eq(authSessions.userId, userId));
  });
}

async function reset(db: Db, auth: Auth, email: string, acting: Acting, password?: string): Promise<string | null> {
  const generated = password ? null : generatePassword();
  // Hashed before looking the user up, so a refusal takes as long as a reset (and says nothing by its timing).
  const hash = await hashPassword(auth, password ?? generated!);
  await changeManagedUser(db, email, acting, "users.reset", async (tx, userId) => {
    await tx.update(authAccounts).set({ password: hash, updatedAt: new Date() }).where(and(eq(authAccounts.userId, userId), eq(authAccounts.providerId, "credential")));
    await tx.update(authUsers).set({ disabled: false, updatedAt: new Date() }).where(eq(authUsers.id, userId));
    await tx.delete(authSessions).where(eq(authSessions.userId, userId));
  });
  return generated;
}

/** Stops a user signing in and ends their sessions (the operator, at the command line). */
export async function disableUser(db: Db, email: string, actor: string): Promise<void> {
  try {
    await disable(db, email, { actor, scope: "operator" });
  } catch (error) {
    throw error instanceof NotFoundError ? new NotFoundError(`There is no user with the email ${email}.`) : error;
  }
}

/** Sets a new password (generated unless given), re-enables the user and ends their sessions (the operator). */
export async function resetPassword(db: Db, auth: Auth, email: string, actor: string, password?: string): Promise<string | null> {
  try {
    return await reset(db, auth, email, { actor, scope: "operator" }, password);
  } catch (error) {
    throw error instanceof NotFoundError ? new NotFoundError(`There is no user with the email ${email}.`) : error;
  }
}

export interface UserSummary {
  email: string;
  name: string;
  disabled: boolean;
  roles: Array<{ role: string; scope: string }>;
}

/** The users an admin manages and their roles, for the admin page. */
export async function listUsersAs(db: Db, principal: Principal): Promise<UserSummary[]> {
  const scope = await adminScopeOf(db, principal);
  const users = await db.select().from(authUsers).orderBy(authUsers.email);
  const roles = await db.select().from(userRoles);
  return users
    .map((u) => ({ user: u, held: roles.filter((r) => r.userId === u.id) }))
    .filter(({ held }) => managesUser(scope, held))
    .map(({ user, held }) => ({
      email: user.email,
      name: user.name,
      disabled: user.disabled,
      roles: held.map((r) => ({ role: r.role, scope: r.agencyCode ?? (r.allPartnerships ? "all" : r.partnerships.join(",")) })),
    }));
}

/**
 * What an admin may grant: partnership roles only over partnerships in their own scope ("all" only
 * by an admin for all), agency roles only for agencies in their partnerships. Each refusal is audited.
 */
async function authorizeGrant(db: Db, principal: Principal, spec: UserSpec): Promise<void> {
  const role = spec.role as Role;
  if (["agency_lead", "uploader"].includes(role)) {
    await authorize(db, principal, "uploads.write", { agency: spec.scope });
    return;
  }
  const partnershipsAsked = spec.scope.trim().toLowerCase() === "all" ? ["*all*"] : spec.scope.split(",").map((c) => c.trim()).filter(Boolean);
  const adminForAll = principal.grants.some((g) => g.role === "admin" && g.partnerships === "all");
  if (partnershipsAsked[0] === "*all*" && !adminForAll) {
    await writeAudit(db, { actor: principal.email, action: "access.users.manage", scope: { partnerships: "all" }, details: { role }, outcome: "refused" });
    throw new ForbiddenError("Only an admin for all partnerships may give a role over all partnerships.");
  }
  if (partnershipsAsked[0] !== "*all*") await authorize(db, principal, "users.manage", { partnerships: partnershipsAsked });
}

/**
 * An admin adds a user, or gives a role to a user they manage (and will still manage with it).
 * An existing account keeps its password: generatedPassword is null and created false.
 */
export async function addUserAs(db: Db, auth: Auth, principal: Principal, spec: UserSpec): Promise<{ created: boolean; generatedPassword: string | null }> {
  await authorizeGrant(db, principal, spec);
  const outcome = await addRole(db, auth, spec, { actor: principal.email, scope: await adminScopeOf(db, principal) });
  if (outcome === "refused") {
    throw new ForbiddenError(
      `${spec.email.trim().toLowerCase()} cannot be given this role by you: the account holds roles outside your partnerships. Ask a business manager for all partnerships.`,
    );
  }
  return { created: outcome.created, generatedPassword: outcome.generatedPassword };
}

/** An admin disables a user they manage; anyone else is answered as if the email had no account. */
export async function disableUserAs(db: Db, principal: Principal, email: string): Promise<void> {
  await disable(db, email, { actor: principal.email, scope: await adminScopeOf(db, principal) });
}

/** An admin gives a user they manage a new generated password; anyone else is answered as if the email had no account. */
export async function resetPasswordAs(db: Db, auth: Auth, principal: Principal, email: string): Promise<string | null> {
  return reset(db, auth, email, { actor: principal.email, scope: await adminScopeOf(db, principal) });
}
