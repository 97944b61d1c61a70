import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { principalFrom } from "@/app/lib/session";
import { getDb, getUploadsDb } from "@/db/client";
import { authorize } from "@/server/access/permissions";
import { deploymentHasher } from "@/importers/pseudonymise";
import { previewUpload, receiveUpload, uploadRequestSchema } from "@/importers/uploads";
import { assertSameOrigin, errorResponse } from "../respond";

/** Receives a file (the raw body, streamed) and answers with its dry-run preview. */
export async function POST(req: Request): Promise<Response> {
  try {
    assertSameOrigin(req);
    const url = new URL(req.url);
    const request = uploadRequestSchema.parse(Object.fromEntries(url.searchParams));
    const db = await getDb();
    const principal = await principalFrom(req.headers);
    await authorize(db, principal, "uploads.write", { agency: request.agency });
    const token = await receiveUpload(req.body as WebReadableStream<Uint8Array> | null, request);
    const preview = await previewUpload(await getUploadsDb(), token, deploymentHasher(), principal!.email);
    return Response.json({ token, preview });
  } catch (error) {
    return errorResponse(error);
  }
}
