import { getDb } from "@/db/client";
import { handleTrpcRequest } from "@/server/trpc/http";

function handler(req: Request) {
  return handleTrpcRequest(req, async () => ({ db: await getDb(), actor: "web" }));
}

export { handler as GET, handler as POST };
