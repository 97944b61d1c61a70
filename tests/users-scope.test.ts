/**
 * Issue 16, finding 2: an admin of one partnership took over any account (reset the password of a
 * user of another partnership and signed in as them). An admin now manages only users whose every
 * role lies within their own scope; through the real router and real sign-in.
 *
 * The world (tests/support/reference.ts): partnerships north and south; agencies CSC (north),
 * SCH (south), POL and HLT (both).
 */
import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../db/client";
import { authUsers } from "../db/schema";
import { createAuth, loadPrincipal, type Auth } from "../server/access/auth";
import type { Principal } from "../server/access/permissions";
import { addUser } from "../server/access/users";
import { createCaller } from "../wiring/trpc/router";
import { useTestWarehouse } from "./support/db";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();
const BASE = "http://127.0.0.1:3998";
let auth: Auth;
let ip = 0;

/** Each person and the password they were given; every account is made by the operator (the CLI's door). */
const PASSWORDS: Record<string, string> = {};
const PEOPLE: Array<{ email: string; role: "admin" | "board" | "scrutineer" | "agency_lead" | "uploader"; scope: string }> = [
  { email: "admin@north.example", role: "admin", scope: "north" },
  { email: "admin@all.example", role: "admin", scope: "all" },
  { email: "board@north.example", role: "board", scope: "north" },
  { email: "board@south.example", role: "board", scope: "south" },
  { email: "board@both.example", role: "board", scope: "north,south" },
  { email: "scrutineer@all.example", role: "scrutineer", scope: "all" },
  { email: "uploader@csc.example", role: "uploader", scope: "CSC" },
  { email: "uploader@sch.example", role: "uploader", scope: "SCH" },
  { email: "lead@pol.example", role: "agency_lead", scope: "POL" },
  // Two roles: one in north, one in south.
  { email: "mixed@north.example", role: "board", scope: "north" },
  { email: "mixed@north.example", role: "uploader", scope: "SCH" },
];

let northAdmin: Principal;
let allAdmin: Principal;

beforeAll(async () => {
  await loadSmallWorld(ctx.db);
  auth = createAuth(ctx.db, { baseURL: BASE, secret: "users-scope-secret-users-scope-secret-01" });
  for (const person of PEOPLE) {
    const { generatedPassword } = await addUser(ctx.db, auth, person, "test");
    if (generatedPassword) PASSWORDS[person.email] = generatedPassword;
  }
  // An account with no role yet (as a half-finished setup leaves one).
  await ctx.db.insert(authUsers).values({ id: "roleless", email: "roleless@example.org", name: "Nobody yet", emailVerified: true });
  northAdmin = (await loadPrincipal(ctx.db, (await userId("admin@north.example"))))!;
  allAdmin = (await loadPrincipal(ctx.db, (await userId("admin@all.example"))))!;
});

async function userId(email: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(ctx.db, sql`select id from auth_users where email = ${email}`);
  return row!.id;
}

const callerAs = (principal: Principal) => createCaller({ db: ctx.db, auth, principal });

async function signIn(email: string, password: string): Promise<number> {
  ip += 1;
  const response = await auth.handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "x-forwarded-for": `10.1.0.${ip}` },
      body: JSON.stringify({ email, password }),
    }),
  );
  return response.status;
}

async function refusalError(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message.replace(/\S+@\S+/, "EMAIL") };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("the users an admin sees", () => {
  it("lists for an admin of north only the people whose every role lies in north", async () => {
    const listed = (await callerAs(northAdmin).users.list()).map((u) => u.email);
    // admin@north (admin north), board@north (north), uploader@csc (CSC is north's only).
    // Not: admin@all and scrutineer@all ("all"), board@south, board@both (south), uploader@sch (SCH is south's only),
    // lead@pol (POL is south's too: its lead reads south's records), mixed (its SCH role), roleless (no partnership at all).
    expect(listed).toEqual(["admin@north.example", "board@north.example", "uploader@csc.example"]);
  });

  it("lists everyone, the account with no role included, for an admin for all partnerships", async () => {
    const listed = (await callerAs(allAdmin).users.list()).map((u) => u.email);
    // 10 distinct emails among PEOPLE (mixed twice) plus the roleless account: 11.
    expect(listed).toHaveLength(11);
    expect(listed).toContain("roleless@example.org");
  });
});

describe("resetting and disabling outside one's scope", () => {
  it("refuses north's admin a reset of a south user, who keeps their password, and cannot be signed in as", async () => {
    const caller = callerAs(northAdmin);
    await expect(caller.users.reset({ email: "board@south.example" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // The finding's attack: nothing came back to sign in with, and the owner's own password still works.
    expect(await signIn("board@south.example", PASSWORDS["board@south.example"]!)).toBe(200);
  });

  it("answers a user outside one's scope exactly as an email with no account", async () => {
    const caller = callerAs(northAdmin);
    for (const action of ["reset", "disable"] as const) {
      const outside = await refusalError(() => caller.users[action]({ email: "mixed@north.example" }));
      const nobody = await refusalError(() => caller.users[action]({ email: "nobody@north.example" }));
      expect(outside).toEqual(nobody);
      expect(outside.code).toBe("NOT_FOUND");
    }
  });

  it("writes each refusal to the audit log, the same row whether or not the account exists", async () => {
    const caller = callerAs(northAdmin);
    await expect(caller.users.disable({ email: "uploader@sch.example" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.users.disable({ email: "ghost@south.example" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const rows = await queryRows<{ action: string; scope: unknown; details: { email: string }; outcome: string }>(
      ctx.db,
      sql`select action, scope, details, outcome from audit_log where actor = 'admin@north.example' and action = 'users.disable' order by id desc limit 2`,
    );
    expect(rows).toEqual([
      { action: "users.disable", scope: {}, details: { email: "ghost@south.example" }, outcome: "refused" },
      { action: "users.disable", scope: {}, details: { email: "uploader@sch.example" }, outcome: "refused" },
    ]);
    // And the south uploader was not disabled: they still sign in.
    expect(await signIn("uploader@sch.example", PASSWORDS["uploader@sch.example"]!)).toBe(200);
  });

  it("refuses north's admin an account with no role, which only an admin for all manages", async () => {
    await expect(callerAs(northAdmin).users.reset({ email: "roleless@example.org" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const { generatedPassword } = await callerAs(allAdmin).users.reset({ email: "roleless@example.org" });
    expect(generatedPassword).toMatch(/^[A-Za-z0-9]{20}$/);
  });

  it("lets north's admin reset a north user, who then signs in with the new password only", async () => {
    const { generatedPassword } = await callerAs(northAdmin).users.reset({ email: "uploader@csc.example" });
    expect(await signIn("uploader@csc.example", generatedPassword!)).toBe(200);
    expect(await signIn("uploader@csc.example", PASSWORDS["uploader@csc.example"]!)).toBe(401);
    PASSWORDS["uploader@csc.example"] = generatedPassword!;
    const [row] = await queryRows<{ scope: unknown; outcome: string }>(
      ctx.db,
      sql`select scope, outcome from audit_log where action = 'users.reset' and details->>'email' = 'uploader@csc.example' order by id desc limit 1`,
    );
    // Written with the change, in the scope of the user's role, so that CSC's partnership's admins see it.
    expect(row).toEqual({ scope: { agency: "CSC" }, outcome: "success" });
  });

  it("refuses north's admin resetting the lead of POL, an agency south shares, as if there were no such user", async () => {
    await expect(callerAs(northAdmin).users.reset({ email: "lead@pol.example" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await signIn("lead@pol.example", PASSWORDS["lead@pol.example"]!)).toBe(200);
  });
});

describe("giving a role to an account that exists", () => {
  it("adds the role and leaves the password as it was (no new password is shown)", async () => {
    const added = await callerAs(northAdmin).users.add({ email: "board@north.example", role: "uploader", scope: "CSC" });
    expect(added).toEqual({ created: false, generatedPassword: null });
    expect(await signIn("board@north.example", PASSWORDS["board@north.example"]!)).toBe(200);
    const roles = await queryRows<{ role: string }>(ctx.db, sql`select role from user_roles where user_id = ${await userId("board@north.example")} order by role`);
    expect(roles.map((r) => r.role)).toEqual(["board", "uploader"]);
  });

  it("refuses a role, even one within north, on an account that also holds roles elsewhere, and records the attempt", async () => {
    // board@south holds board over south: "board north" would replace it and hand north's admin the account.
    await expect(callerAs(northAdmin).users.add({ email: "board@south.example", role: "board", scope: "north" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerAs(northAdmin).users.add({ email: "mixed@north.example", role: "scrutineer", scope: "north" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerAs(northAdmin).users.add({ email: "roleless@example.org", role: "board", scope: "north" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const southRoles = await queryRows<{ role: string; partnerships: string[] }>(ctx.db, sql`select role, partnerships from user_roles where user_id = ${await userId("board@south.example")}`);
    expect(southRoles).toEqual([{ role: "board", partnerships: ["south"] }]);
    const [refused] = await queryRows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from audit_log where actor = 'admin@north.example' and action = 'users.add' and outcome = 'refused'`,
    );
    expect(refused!.n).toBe(3);
    expect(await signIn("board@south.example", PASSWORDS["board@south.example"]!)).toBe(200);
  });

  it("refuses a role that would take a managed account outside the admin's scope", async () => {
    // SCH is south's only: north's admin may not grant it at all (the grant rule), to anyone.
    await expect(callerAs(northAdmin).users.add({ email: "uploader@csc.example", role: "agency_lead", scope: "SCH" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await callerAs(northAdmin).users.list()).map((u) => u.email)).toContain("uploader@csc.example");
  });

  it("at the command line (the operator), adds the role without re-hashing, even when a password is given", async () => {
    const result = await addUser(ctx.db, auth, { email: "board@both.example", role: "scrutineer", scope: "south" }, "cli:test", "an-operator-chosen-password");
    expect(result).toMatchObject({ created: false, generatedPassword: null });
    expect(await signIn("board@both.example", "an-operator-chosen-password")).toBe(401);
    expect(await signIn("board@both.example", PASSWORDS["board@both.example"]!)).toBe(200);
  });
});
