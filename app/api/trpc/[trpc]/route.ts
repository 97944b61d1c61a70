import { getDb } from "@/db/client";
import { getAuth, principalFrom } from "@/app/lib/session";
import { handleTrpcRequest } from "@/wiring/trpc/http";
import { assertSameOrigin, errorResponse } from "../../respond";

function handler(req: Request) {
  if (req.method === "POST") {
    try {
      assertSameOrigin(req);
    } catch (error) {
      return errorResponse(error);
    }
  }
  return handleTrpcRequest(req, async () => ({ db: await getDb(), principal: await principalFrom(req.headers), auth: await getAuth() }));
}

export { handler as GET, handler as POST };
