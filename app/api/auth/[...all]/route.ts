import { z } from "zod";
import { tooManyFailedSignIns, TOO_MANY_SIGN_INS_MESSAGE } from "@/server/access/signInLimit";
import { writeAudit } from "@/server/audit";
import { openDoor } from "@/wiring/door";

/**
 * Sign-in and sign-out (better-auth), open before sign-in by their nature; better-auth reads the
 * body itself. Sign-in is limited per address by better-auth and per account here (the address is
 * the client's word without a proxy); a sign-in refused for too many tries (429) is audited.
 */
const handler = openDoor({
  open: "signing in",
  from: "none",
  input: z.object({ all: z.array(z.string().max(100)).max(6) }),
  handle: async ({ req, db, services }) => {
    const path = new URL(req.url).pathname;
    const email = path.endsWith("/sign-in/email") && req.method === "POST" ? await emailOf(req) : null;
    const refuse = async (actor: string) => {
      await writeAudit(db, { actor, action: "sign_in", details: { path, reason: "too many attempts" }, outcome: "refused" });
      return Response.json({ message: TOO_MANY_SIGN_INS_MESSAGE, error: TOO_MANY_SIGN_INS_MESSAGE }, { status: 429, headers: { "retry-after": "60" } });
    };
    if (email && (await tooManyFailedSignIns(db, email))) return refuse(email);
    const response = await (await services.auth()).handler(req);
    if (response.status === 429) return refuse(email ?? "signed out");
    return response;
  },
});

/** The account a sign-in names (read from a copy: better-auth reads the body itself), or null. */
async function emailOf(req: Request): Promise<string | null> {
  try {
    const body = (await req.clone().json()) as { email?: unknown };
    return typeof body.email === "string" ? body.email.trim().toLowerCase().slice(0, 200) : null;
  } catch {
    return null;
  }
}

export { handler as GET, handler as POST };
