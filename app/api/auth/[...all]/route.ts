import { z } from "zod";
import { writeAudit } from "@/server/audit";
import { openDoor } from "@/wiring/door";

/**
 * Sign-in and sign-out (better-auth), open before sign-in by their nature; better-auth reads the
 * body itself. A sign-in refused for too many tries (429) is audited here, where it is seen.
 */
const handler = openDoor({
  open: "signing in",
  from: "none",
  input: z.object({ all: z.array(z.string().max(100)).max(6) }),
  handle: async ({ req, db, services }) => {
    const response = await (await services.auth()).handler(req);
    if (response.status === 429) {
      await writeAudit(db, { actor: "signed out", action: "sign_in", details: { path: new URL(req.url).pathname, reason: "too many attempts" }, outcome: "refused" });
    }
    return response;
  },
});

export { handler as GET, handler as POST };
