/** Adding users, giving them roles, disabling them and resetting passwords: each with its audit entry. */
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { withTransaction, type Db } from "../../db/client";
import { agencies, authAccounts, authSessions, authUsers, partnerships, userRoles } from "../../db/schema";
import { writeAudit } from "../audit";
import { InvalidRequestError, NotFoundError } from "../errors";
import type { Auth } from "./auth";
import { authorize, ROLES, type Principal, type Role } from "./permissions";

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

/**
 * Adds a user (or a role to an existing user) with a password; returns the password when it was
 * generated here, to be shown once.
 */
export async function addUser(db: Db, auth: Auth, spec: UserSpec, actor: string, password?: string): Promise<{ userId: string; generatedPassword: string | null }> {
  const parsed = userSpecSchema.safeParse(spec);
  if (!parsed.success) throw new InvalidRequestError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; "));
  const { email, name, role, scope } = parsed.data;
  const grant = PARTNERSHIP_ROLES.includes(role)
    ? await partnershipScope(db, scope)
    : { partnerships: [] as string[], allPartnerships: false, agencyCode: await agencyScope(db, scope) };
  const generated = password ? null : generatePassword();
  const hash = await hashPassword(auth, password ?? generated!);
  return withTransaction(db, async (tx) => {
    let [user] = await tx.select().from(authUsers).where(eq(authUsers.email, email));
    if (!user) {
      [user] = await tx.insert(authUsers).values({ id: randomUUID(), email, name: name ?? email, emailVerified: true }).returning();
      await tx.insert(authAccounts).values({ id: randomUUID(), accountId: user!.id, providerId: "credential", userId: user!.id, password: hash });
    } else {
      await tx.update(authAccounts).set({ password: hash, updatedAt: new Date() }).where(and(eq(authAccounts.userId, user.id), eq(authAccounts.providerId, "credential")));
    }
    await tx
      .insert(userRoles)
      .values({ userId: user!.id, role, ...grant })
      .onConflictDoUpdate({ target: [userRoles.userId, userRoles.role], set: { partnerships: grant.partnerships, allPartnerships: grant.allPartnerships, agencyCode: grant.agencyCode } });
    await writeAudit(tx, { actor, action: "users.add", scope: { role, scope }, details: { email }, outcome: "success" });
    return { userId: user!.id, generatedPassword: generated };
  });
}

async function partnershipScope(db: Db, scope: string) {
  if (scope.toLowerCase() === "all") return { partnerships: [] as string[], allPartnerships: true, agencyCode: null };
  const codes = [...new Set(scope.split(",").map((c) => c.trim()).filter(Boolean))];
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

async function findUser(db: Db, email: string) {
  const [user] = await db.select().from(authUsers).where(eq(authUsers.email, email.trim().toLowerCase()));
  if (!user) throw new NotFoundError(`There is no user with the email ${email}.`);
  return user;
}

/** Stops a user signing in and ends their sessions. */
export async function disableUser(db: Db, email: string, actor: string): Promise<void> {
  const user = await findUser(db, email);
  await withTransaction(db, async (tx) => {
    await tx.update(authUsers).set({ disabled: true, updatedAt: new Date() }).where(eq(authUsers.id, user.id));
    await tx.delete(authSessions).where(eq(authSessions.userId, user.id));
    await writeAudit(tx, { actor, action: "users.disable", details: { email: user.email }, outcome: "success" });
  });
}

/** Sets a new password (generated unless given), re-enables the user and ends their sessions. */
export async function resetPassword(db: Db, auth: Auth, email: string, actor: string, password?: string): Promise<string | null> {
  const user = await findUser(db, email);
  const generated = password ? null : generatePassword();
  const hash = await hashPassword(auth, password ?? generated!);
  await withTransaction(db, async (tx) => {
    await tx.update(authAccounts).set({ password: hash, updatedAt: new Date() }).where(and(eq(authAccounts.userId, user.id), eq(authAccounts.providerId, "credential")));
    await tx.update(authUsers).set({ disabled: false, updatedAt: new Date() }).where(eq(authUsers.id, user.id));
    await tx.delete(authSessions).where(eq(authSessions.userId, user.id));
    await writeAudit(tx, { actor, action: "users.reset", details: { email: user.email }, outcome: "success" });
  });
  return generated;
}

export interface UserSummary {
  email: string;
  name: string;
  disabled: boolean;
  roles: Array<{ role: string; scope: string }>;
}

/** Users and their roles, for the admin page. */
export async function listUsers(db: Db): Promise<UserSummary[]> {
  const users = await db.select().from(authUsers).orderBy(authUsers.email);
  const roles = await db.select().from(userRoles);
  return users.map((u) => ({
    email: u.email,
    name: u.name,
    disabled: u.disabled,
    roles: roles
      .filter((r) => r.userId === u.id)
      .map((r) => ({ role: r.role, scope: r.agencyCode ?? (r.allPartnerships ? "all" : r.partnerships.join(",")) })),
  }));
}

/**
 * What an admin may grant: partnership roles only over partnerships in their own scope ("all" only
 * by an admin for all), agency roles only for agencies in their partnerships.
 */
async function authorizeGrant(db: Db, principal: Principal, spec: UserSpec): Promise<void> {
  const role = spec.role as Role;
  if (["agency_lead", "uploader"].includes(role)) {
    await authorize(db, principal, "uploads.write", { agency: spec.scope });
    return;
  }
  const partnershipsAsked = spec.scope.trim().toLowerCase() === "all" ? ["*all*"] : spec.scope.split(",").map((c) => c.trim()).filter(Boolean);
  const adminForAll = principal.grants.some((g) => g.role === "admin" && g.partnerships === "all");
  if (partnershipsAsked[0] === "*all*" && !adminForAll) throw new InvalidRequestError("Only an admin for all partnerships may give a role over all partnerships.");
  if (partnershipsAsked[0] !== "*all*") await authorize(db, principal, "users.manage", { partnerships: partnershipsAsked });
}

export async function addUserAs(db: Db, auth: Auth, principal: Principal, spec: UserSpec): Promise<{ generatedPassword: string | null }> {
  await authorizeGrant(db, principal, spec);
  const { generatedPassword } = await addUser(db, auth, spec, principal.email);
  return { generatedPassword };
}
