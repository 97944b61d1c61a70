/**
 * Sign-in with better-auth (ADR 0007): email and password for small deployments, and single
 * sign-on by OpenID Connect when OIDC_* is set. Sessions live in the warehouse. Nobody signs
 * themselves up: users are added by an admin (or the command line).
 */
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins";
import { eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { authAccounts, authRateLimits, authSessions, authUsers, authVerifications } from "../../db/schema";
import { deploymentSecret } from "../../db/secrets";
import { writeAudit } from "../audit";
import type { Principal, Role, RoleGrant } from "./permissions";

export interface AuthOptions {
  /** The address people reach the dashboard at (BETTER_AUTH_URL; default http://localhost:3000). */
  baseURL?: string;
  secret?: string;
}

function ssoPlugins() {
  const { OIDC_DISCOVERY_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = process.env;
  if (!OIDC_DISCOVERY_URL || !OIDC_CLIENT_ID) return [];
  return [
    genericOAuth({
      config: [
        {
          providerId: "sso",
          discoveryUrl: OIDC_DISCOVERY_URL,
          clientId: OIDC_CLIENT_ID,
          clientSecret: OIDC_CLIENT_SECRET,
          scopes: ["openid", "email", "profile"],
          pkce: true,
          // Only people an admin has added may sign in: single sign-on never creates accounts.
          disableImplicitSignUp: true,
        },
      ],
    }),
  ];
}

/**
 * The address sign-in accepts requests from (BETTER_AUTH_URL, default http://localhost:3000). A
 * browser on any other address is refused by better-auth as an untrusted origin (INVALID_ORIGIN):
 * the sign-in form says so and names this address.
 */
export function signInAddress(): string {
  return process.env.BETTER_AUTH_URL || "http://localhost:3000";
}

export function createAuth(db: Db, options: AuthOptions = {}) {
  const baseURL = options.baseURL ?? signInAddress();
  return betterAuth({
    appName: "Escalation warehouse",
    baseURL,
    secret: options.secret ?? deploymentSecret("BETTER_AUTH_SECRET", "sign-in-secret"),
    // A local dashboard is reached as localhost or 127.0.0.1 alike.
    trustedOrigins: [baseURL, baseURL.replace("//localhost", "//127.0.0.1"), baseURL.replace("//127.0.0.1", "//localhost")],
    telemetry: { enabled: false },
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user: authUsers, session: authSessions, account: authAccounts, verification: authVerifications, rateLimit: authRateLimits },
    }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12 },
    account: { accountLinking: { enabled: true, trustedProviders: ["sso"] } },
    session: { expiresIn: 60 * 60 * 8, updateAge: 60 * 60 },
    user: { additionalFields: { disabled: { type: "boolean", required: false, defaultValue: false, input: false } } },
    // Five tries a minute per address at signing in; stored in the warehouse so it holds across processes.
    rateLimit: { enabled: true, storage: "database", window: 60, max: 200, customRules: { "/sign-in/email": { window: 60, max: 5 } } },
    advanced: { useSecureCookies: baseURL.startsWith("https://"), cookiePrefix: "ew" },
    databaseHooks: {
      session: {
        create: {
          // A disabled user gets no session.
          before: async (session) => {
            const [user] = await db.select({ disabled: authUsers.disabled }).from(authUsers).where(eq(authUsers.id, session.userId));
            if (!user || user.disabled) throw new APIError("FORBIDDEN", { message: "This account is disabled." });
          },
        },
      },
    },
    hooks: {
      after: createAuthMiddleware(async (ctx) => {
        if (!ctx.path.startsWith("/sign-in/email") && !ctx.path.startsWith("/callback/") && ctx.path !== "/sign-out") return;
        const typed = (ctx.body as { email?: unknown } | undefined)?.email;
        // As the account is named (lower case), so failures count per account (server/access/signInLimit.ts).
        const email = (typeof typed === "string" ? typed.trim().toLowerCase().slice(0, 200) : undefined) ?? ctx.context.newSession?.user.email ?? "unknown";
        const failed = ctx.context.returned instanceof APIError;
        await writeAudit(db, {
          actor: ctx.context.newSession?.user.email ?? email,
          action: ctx.path === "/sign-out" ? "sign_out" : "sign_in",
          details: { method: ctx.path },
          outcome: failed ? "failure" : "success",
        });
      }),
    },
    plugins: ssoPlugins(),
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** The signed-in person behind a request, with their roles; null when nobody (or a disabled user) is signed in. */
export async function getPrincipal(db: Db, auth: Auth, headers: Headers): Promise<Principal | null> {
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  return loadPrincipal(db, session.user.id);
}

export async function loadPrincipal(db: Db, userId: string): Promise<Principal | null> {
  const [user] = await db.select().from(authUsers).where(eq(authUsers.id, userId));
  if (!user || user.disabled) return null;
  const grants = await queryRows<{ role: Role; partnerships: string[]; all_partnerships: boolean; agency_code: string | null }>(
    db,
    sql`select role, partnerships, all_partnerships, agency_code from user_roles where user_id = ${userId} order by role`,
  );
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    grants: grants.map((g): RoleGrant => ({ role: g.role, partnerships: g.all_partnerships ? "all" : g.partnerships, agency: g.agency_code })),
  };
}
