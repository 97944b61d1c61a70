/**
 * Signed-in people for the benchmarks: users added through the product's own service and sessions
 * opened through the sign-in API in this process (the HTTP sign-in is limited to 5 a minute per
 * address, which a load of many readers from 127.0.0.1 would hit at once).
 */
import type { Db } from "../db/client";
import { createAuth } from "../server/access/auth";
import type { Role } from "../server/access/permissions";
import { addUser } from "../server/access/users";

export const BENCH_AUTH_SECRET = "bench-auth-secret-bench-auth-secret-0123";

export interface BenchUser {
  email: string;
  role: Role;
  /** Partnership codes (or "all"), or an agency code for agency roles. */
  scope: string;
}

const PASSWORD = "bench-password-0123456789";

/** Adds the users (again, harmlessly, when they exist) and returns a session cookie for each, by email. */
export async function signedInCookies(db: Db, appUrl: string, users: BenchUser[]): Promise<Map<string, string>> {
  const auth = createAuth(db, { secret: BENCH_AUTH_SECRET, baseURL: appUrl });
  const cookies = new Map<string, string>();
  for (const user of users) {
    await addUser(db, auth, { email: user.email, role: user.role, scope: user.scope }, "bench", PASSWORD);
    const response = await auth.api.signInEmail({ body: { email: user.email, password: PASSWORD }, asResponse: true });
    if (!response.ok) throw new Error(`sign-in for ${user.email} failed: ${response.status} ${await response.text()}`);
    cookies.set(user.email, response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; "));
  }
  return cookies;
}
