import { getDb } from "@/db/client";
import { deploymentHasher } from "@/importers/pseudonymise";
import { assertUploadToken, commitUpload, discardUpload } from "@/importers/uploads";
import { errorResponse } from "../../respond";

/** Commits an upload the user has previewed. */
export async function POST(_req: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  try {
    const token = assertUploadToken((await params).token);
    return Response.json({ result: await commitUpload(await getDb(), token, deploymentHasher(), "web") });
  } catch (error) {
    return errorResponse(error);
  }
}

/** Cancels an upload the user decided not to load. */
export async function DELETE(_req: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  try {
    await discardUpload(assertUploadToken((await params).token));
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}
