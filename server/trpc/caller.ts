/** The server-side caller that server components read through (no HTTP round trip). */
import { getDb } from "../../db/client";
import { createCaller } from "./router";

export async function serverCaller() {
  return createCaller({ db: await getDb(), actor: "web" });
}
