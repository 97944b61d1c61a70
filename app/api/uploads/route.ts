import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { deploymentHasher } from "@/importers/pseudonymise";
import { receiveUpload, startCheck, uploadRequestSchema } from "@/importers/uploads";
import { door } from "@/wiring/door";
import { explainError } from "@/wiring/answers";

/**
 * Receives a file (the raw body, streamed) and starts its dry run; the answer (202) names the
 * upload, and GET /api/uploads/{token} tells how the check is going and then shows the preview.
 */
export const POST = door({
  permission: "uploads.write",
  // The file is the body; what it is (kind, agency, file name) is in the query string.
  from: "query",
  input: uploadRequestSchema,
  target: (i) => ({ agency: i.agency }),
  handle: async ({ req, principal, input, services }) => {
    const token = await receiveUpload(req.body as WebReadableStream<Uint8Array> | null, input);
    const worker = { db: await services.uploadsDb(), hasher: deploymentHasher(), actor: principal.email, explain: explainError };
    return Response.json({ token, progress: await startCheck(worker, token) }, { status: 202 });
  },
});
