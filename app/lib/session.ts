/** The signed-in person for pages and route handlers (Next-specific glue around server/access). */
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { createAuth, getPrincipal, type Auth } from "@/server/access/auth";
import type { Principal } from "@/server/access/permissions";

const AUTH_KEY = Symbol.for("escalation-warehouse.auth");
type GlobalWithAuth = typeof globalThis & { [AUTH_KEY]?: Promise<Auth> };

/** The process's better-auth instance, over the process's warehouse. */
export function getAuth(): Promise<Auth> {
  const g = globalThis as GlobalWithAuth;
  g[AUTH_KEY] ??= getDb().then((db) => createAuth(db));
  return g[AUTH_KEY];
}

export async function principalFrom(requestHeaders: Headers): Promise<Principal | null> {
  return getPrincipal(await getDb(), await getAuth(), requestHeaders);
}

/** The signed-in person in a page, or a redirect to the sign-in page that comes back here. */
export async function requirePrincipal(returnTo: string): Promise<Principal> {
  const principal = await principalFrom(await headers());
  if (!principal) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return principal;
}
