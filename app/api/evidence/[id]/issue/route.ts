import { getDb } from "@/db/client";
import { issueEvidenceReturn } from "@/reports/issuing";
import { errorResponse, pathNumber, signedIn } from "../../../respond";

/** Issues an evidence return (admins of the agency's partnerships; a plain form post), then shows it as issued. */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const principal = await signedIn(req, { mutation: true });
    const { id } = await params;
    const issued = await issueEvidenceReturn(await getDb(), principal, pathNumber(id, "an evidence return"));
    return new Response(null, { status: 303, headers: { location: `/reports/issued/${issued.id}` } });
  } catch (error) {
    return errorResponse(error);
  }
}
