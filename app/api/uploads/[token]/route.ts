import { principalFrom } from "@/app/lib/session";
import { getDb, getUploadsDb } from "@/db/client";
import { deploymentHasher } from "@/importers/pseudonymise";
import { assertUploadToken, discardUpload, followUpload, startLoad, uploadAgency } from "@/importers/uploads";
import { authorize, SignInRequiredError, type Principal } from "@/server/access/permissions";
import { assertSameOrigin, errorResponse, explainError } from "../../respond";

/** The person may follow, load or cancel this upload only if they may upload for its agency. */
async function permitted(req: Request, token: string, options: { mutation: boolean }): Promise<Principal> {
  if (options.mutation) assertSameOrigin(req);
  const principal = await principalFrom(req.headers);
  // Signed out, nothing is said about the upload, not even whether it exists.
  if (!principal) throw new SignInRequiredError();
  await authorize(await getDb(), principal, "uploads.write", { agency: await uploadAgency(token) });
  return principal;
}

/** How the upload's check or load is going: its step, rows read, and the preview or result once done. */
export async function GET(req: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  try {
    const token = assertUploadToken((await params).token);
    await permitted(req, token, { mutation: false });
    return Response.json({ progress: await followUpload(token) }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}

/** Starts loading an upload the person has checked (202); GET follows it. */
export async function POST(req: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  try {
    const token = assertUploadToken((await params).token);
    const principal = await permitted(req, token, { mutation: true });
    const worker = { db: await getUploadsDb(), hasher: deploymentHasher(), actor: principal.email, explain: explainError };
    return Response.json({ progress: await startLoad(worker, token) }, { status: 202 });
  } catch (error) {
    return errorResponse(error);
  }
}

/** Cancels an upload the person decided not to load. */
export async function DELETE(req: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  try {
    const token = assertUploadToken((await params).token);
    await permitted(req, token, { mutation: true });
    await discardUpload(token);
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}
