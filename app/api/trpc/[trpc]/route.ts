import { z } from "zod";
import { handleTrpcRequest } from "@/wiring/trpc/http";
import { openDoor } from "@/wiring/door";

/**
 * tRPC over HTTP. Every procedure declares its permission and target (wiring/trpc/init.ts), so the
 * door here only reads the person, refuses cross-site mutations and keeps answers private.
 */
const handler = openDoor({
  open: "each procedure checks its own permission",
  from: "none",
  input: z.object({ trpc: z.string().max(200) }),
  handle: async ({ req, db, principal, services }) => handleTrpcRequest(req, async () => ({ db, principal, auth: await services.auth() })),
});

export { handler as GET, handler as POST };
