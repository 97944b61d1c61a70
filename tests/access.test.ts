/** Sign-in (password), roles and scope, disabling, rate limiting, and the audit of each. */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../db/client";
import { createAuth, getPrincipal, type Auth } from "../server/access/auth";
import { authorize, isAllowed, type Principal } from "../server/access/permissions";
import { addUser, disableUser, resetPassword } from "../server/access/users";
import { useTestWarehouse } from "./support/db";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();
const BASE = "http://127.0.0.1:3999";
let auth: Auth;

beforeAll(async () => {
  await loadSmallWorld(ctx.db);
  auth = createAuth(ctx.db, { baseURL: BASE, secret: "test-auth-secret-test-auth-secret-0123456789" });
});

async function signIn(email: string, password: string, ip = "10.0.0.1"): Promise<Response> {
  return auth.handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "x-forwarded-for": ip },
      body: JSON.stringify({ email, password }),
    }),
  );
}

function cookieOf(response: Response): Headers {
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return new Headers({ cookie: cookies });
}

describe("signing in with a password", () => {
  it("lets an added user sign in and knows their roles and scope", async () => {
    const { generatedPassword } = await addUser(ctx.db, auth, { email: "Manager@North.example", role: "admin", scope: "north" }, "test");
    expect(generatedPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    // A second role for the same account leaves its password as it was (issue 16: adding never re-hashes).
    await addUser(ctx.db, auth, { email: "manager@north.example", role: "uploader", scope: "csc" }, "test", "a-chosen-password-123");
    const response = await signIn("manager@north.example", generatedPassword!);
    expect(response.status).toBe(200);
    const principal = await getPrincipal(ctx.db, auth, cookieOf(response));
    expect(principal).toMatchObject({
      email: "manager@north.example",
      grants: [
        { role: "admin", partnerships: ["north"], agency: null },
        { role: "uploader", partnerships: [], agency: "CSC" },
      ],
    });
  });

  it("refuses a wrong password and records both attempts", async () => {
    expect((await signIn("manager@north.example", "not-the-password-at-all", "10.0.0.2")).status).toBe(401);
    const audit = await queryRows<{ action: string; outcome: string; n: number }>(
      ctx.db,
      sql`select action, outcome, count(*)::int as n from audit_log where action = 'sign_in' group by action, outcome order by outcome`,
    );
    expect(audit).toEqual([
      { action: "sign_in", outcome: "failure", n: 1 },
      { action: "sign_in", outcome: "success", n: 1 },
    ]);
  });

  it("limits sign-in attempts from one address to five a minute", async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn("nobody@north.example", "wrong-password-123", "10.0.0.9")).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("refuses a disabled user, and a reset password re-enables them", async () => {
    await addUser(ctx.db, auth, { email: "leaver@north.example", role: "board", scope: "north" }, "test", "leaver-password-123");
    const signedIn = cookieOf(await signIn("leaver@north.example", "leaver-password-123", "10.0.0.3"));
    await disableUser(ctx.db, "leaver@north.example", "test");
    expect(await getPrincipal(ctx.db, auth, signedIn)).toBeNull();
    expect((await signIn("leaver@north.example", "leaver-password-123", "10.0.0.4")).status).not.toBe(200);
    const fresh = await resetPassword(ctx.db, auth, "leaver@north.example", "test");
    expect((await signIn("leaver@north.example", fresh!, "10.0.0.5")).status).toBe(200);
  });

  it("refuses roles with the wrong kind of scope", async () => {
    await expect(addUser(ctx.db, auth, { email: "x@north.example", role: "uploader", scope: "north" }, "test")).rejects.toThrow('there is no agency "north"');
    await expect(addUser(ctx.db, auth, { email: "x@north.example", role: "board", scope: "east" }, "test")).rejects.toThrow('there is no partnership "east"');
    await expect(addUser(ctx.db, auth, { email: "x@north.example", role: "chair" as never, scope: "all" }, "test")).rejects.toThrow(/role: must be one of/);
  });
});

describe("permissions", () => {
  const person = (grants: Principal["grants"]): Principal => ({ userId: "u", email: "p@example", name: "P", grants });
  const admin = person([{ role: "admin", partnerships: ["north"], agency: null }]);
  const board = person([{ role: "board", partnerships: "all", agency: null }]);
  const uploader = person([{ role: "uploader", partnerships: [], agency: "CSC" }]);
  const lead = person([{ role: "agency_lead", partnerships: [], agency: "HLT" }]);

  it("scopes figures to partnerships, uploads to agencies", async () => {
    expect(await isAllowed(ctx.db, admin, "figures.read", { partnerships: ["north"] })).toBe(true);
    expect(await isAllowed(ctx.db, admin, "figures.read", { partnerships: ["north", "south"] })).toBe(false);
    expect(await isAllowed(ctx.db, board, "figures.read", { partnerships: ["south"] })).toBe(true);
    expect(await isAllowed(ctx.db, board, "records.read", { partnerships: ["south"] })).toBe(false);
    // Admin for north may upload for CSC (a north agency) and SCH? SCH belongs to south only.
    expect(await isAllowed(ctx.db, admin, "uploads.write", { agency: "CSC" })).toBe(true);
    expect(await isAllowed(ctx.db, admin, "uploads.write", { agency: "SCH" })).toBe(false);
    expect(await isAllowed(ctx.db, uploader, "uploads.write", { agency: "CSC" })).toBe(true);
    expect(await isAllowed(ctx.db, uploader, "uploads.write", { agency: "HLT" })).toBe(false);
    expect(await isAllowed(ctx.db, lead, "uploads.read", { agency: "HLT" })).toBe(true);
    expect(await isAllowed(ctx.db, lead, "figures.read", { partnerships: ["north"] })).toBe(false);
  });

  it("refuses another agency's data with a message, and records the attempt", async () => {
    await expect(authorize(ctx.db, uploader, "uploads.read", { agency: "HLT" })).rejects.toThrow("Your account may not see or change agency HLT.");
    await expect(authorize(ctx.db, null, "figures.read", { partnerships: ["north"] })).rejects.toThrow("Sign in to see this.");
    const [attempt] = await queryRows<{ actor: string; outcome: string; scope: unknown }>(
      ctx.db,
      sql`select actor, outcome, scope from audit_log where action = 'access.uploads.read' order by id desc limit 1`,
    );
    expect(attempt).toEqual({ actor: "p@example", outcome: "refused", scope: { agency: "HLT" } });
  });
});
