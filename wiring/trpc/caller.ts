/** The server-side caller that server components read through (no HTTP round trip), as the given person. */
import { getDb } from "../../db/client";
import type { Auth } from "../../server/access/auth";
import type { Principal } from "../../server/access/permissions";
import { createCaller } from "./router";

export async function serverCaller(principal: Principal, auth: Auth) {
  return createCaller({ db: await getDb(), principal, auth });
}
