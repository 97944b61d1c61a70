/**
 * The process's sign-in and the signed-in person behind a request: shared by the tRPC route, the
 * door of every route handler and the pages (app/lib/session.ts adds the page redirect).
 */
import { getDb } from "../db/client";
import { processWide } from "../db/processWide";
import { createAuth, getPrincipal, type Auth } from "../server/access/auth";
import type { Principal } from "../server/access/permissions";

const auth = processWide("auth", () => ({ opening: null as Promise<Auth> | null }));

/** The process's better-auth instance, over the process's warehouse (tried again after a failure: the database may be back). */
export function getAuth(): Promise<Auth> {
  if (!auth.opening) {
    const opening = getDb().then((db) => createAuth(db));
    auth.opening = opening;
    opening.catch(() => {
      if (auth.opening === opening) auth.opening = null;
    });
  }
  return auth.opening;
}

export async function principalFrom(requestHeaders: Headers): Promise<Principal | null> {
  return getPrincipal(await getDb(), await getAuth(), requestHeaders);
}
