/**
 * The one object a page reads about the signed-in person: who they are, the tRPC caller to read
 * through, and what they may do (server/access/capabilities.ts). Pages never ask the permission
 * rules or open the database themselves. Worked out once per request: the layout's navigation and
 * the page share it (React's cache lasts one server render).
 */
import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getDb } from "@/db/client";
import { listEvidenceReturns } from "@/reports/evidence";
import { capabilitiesOf, type Capabilities } from "@/server/access/capabilities";
import type { Principal } from "@/server/access/permissions";
import { getAuth, principalFrom } from "@/wiring/session";
import { serverCaller } from "@/wiring/trpc/caller";
import { safeReturnPath } from "./returnPath";

export type Caller = Awaited<ReturnType<typeof serverCaller>>;

export interface PageCapabilities extends Capabilities {
  principal: Principal;
  caller: Caller;
  /** The agency's self-assessment evidence returns the person may see (none when they may not). */
  evidenceReturns(agency: string): ReturnType<typeof listEvidenceReturns>;
}

export { holds, noneIn, type Codes } from "@/server/access/capabilities";

/** The signed-in person's capabilities, or null when nobody is signed in (the layout, the sign-in page). */
export const signedInCapabilities = cache(async (): Promise<PageCapabilities | null> => {
  const principal = await principalFrom(await headers());
  if (!principal) return null;
  const db = await getDb();
  const [capabilities, caller] = [await capabilitiesOf(db, principal), await serverCaller(principal, await getAuth())];
  return { ...capabilities, principal, caller, evidenceReturns: (agency) => caller.evidence.returns({ agency }) };
});

/**
 * The capabilities of the person a page is for, or a redirect to the sign-in page that comes back
 * to `returnTo`. Also marks the page as read at request time, never at build time.
 */
export async function capabilitiesFor(returnTo: string): Promise<PageCapabilities> {
  await connection();
  const capabilities = await signedInCapabilities();
  if (!capabilities) redirect(`/sign-in?next=${encodeURIComponent(safeReturnPath(returnTo))}`);
  return capabilities;
}
