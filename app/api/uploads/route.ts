import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { principalFrom } from "@/app/lib/session";
import { getDb, getUploadsDb } from "@/db/client";
import { authorize } from "@/server/access/permissions";
import { deploymentHasher } from "@/importers/pseudonymise";
import { receiveUpload, startCheck, uploadRequestSchema } from "@/importers/uploads";
import { assertSameOrigin, errorResponse, explainError } from "../respond";

/**
 * Receives a file (the raw body, streamed) and starts its dry run; the answer (202) names the
 * upload, and GET /api/uploads/{token} tells how the check is going and then shows the preview.
 */
export async function POST(req: Request): Promise<Response> {
  try {
    assertSameOrigin(req);
    const url = new URL(req.url);
    const request = uploadRequestSchema.parse(Object.fromEntries(url.searchParams));
    const db = await getDb();
    const principal = await principalFrom(req.headers);
    await authorize(db, principal, "uploads.write", { agency: request.agency });
    const token = await receiveUpload(req.body as WebReadableStream<Uint8Array> | null, request);
    const worker = { db: await getUploadsDb(), hasher: deploymentHasher(), actor: principal!.email, explain: explainError };
    return Response.json({ token, progress: await startCheck(worker, token) }, { status: 202 });
  } catch (error) {
    return errorResponse(error);
  }
}
