import { principalFrom } from "@/app/lib/session";
import { getDb, getUploadsDb } from "@/db/client";
import { deploymentHasher } from "@/importers/pseudonymise";
import { assertUploadToken, commitUpload, discardUpload, storedUploadAgency } from "@/importers/uploads";
import { authorize, type Principal } from "@/server/access/permissions";
import { assertSameOrigin, errorResponse } from "../../respond";

/** The person may load (or cancel) this upload only if they may upload for its agency. */
async function permitted(req: Request, token: string): Promise<Principal> {
  assertSameOrigin(req);
  const principal = await principalFrom(req.headers);
  await authorize(await getDb(), principal, "uploads.write", { agency: await storedUploadAgency(token) });
  return principal!;
}

/** Commits an upload the user has previewed. */
export async function POST(req: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  try {
    const token = assertUploadToken((await params).token);
    const principal = await permitted(req, token);
    return Response.json({ result: await commitUpload(await getUploadsDb(), token, deploymentHasher(), principal.email) });
  } catch (error) {
    return errorResponse(error);
  }
}

/** Cancels an upload the user decided not to load. */
export async function DELETE(req: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  try {
    const token = assertUploadToken((await params).token);
    await permitted(req, token);
    await discardUpload(token);
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}
