/** The signed-in person for pages (Next-specific glue around wiring/session.ts). */
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth, principalFrom } from "@/wiring/session";
import type { Principal } from "@/server/access/permissions";

export { getAuth, principalFrom };

/** The signed-in person in a page, or a redirect to the sign-in page that comes back here. */
export async function requirePrincipal(returnTo: string): Promise<Principal> {
  const principal = await principalFrom(await headers());
  if (!principal) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return principal;
}
