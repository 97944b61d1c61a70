import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { getDb } from "@/db/client";
import { deploymentHasher } from "@/importers/pseudonymise";
import { previewUpload, receiveUpload, uploadRequestSchema } from "@/importers/uploads";
import { errorResponse } from "../respond";

/** Receives a file (the raw body, streamed) and answers with its dry-run preview. */
export async function POST(req: Request): Promise<Response> {
  try {
    const url = new URL(req.url);
    const request = uploadRequestSchema.parse(Object.fromEntries(url.searchParams));
    const token = await receiveUpload(req.body as WebReadableStream<Uint8Array> | null, request);
    const preview = await previewUpload(await getDb(), token, deploymentHasher(), "web");
    return Response.json({ token, preview });
  } catch (error) {
    return errorResponse(error);
  }
}
