import { principalFrom } from "@/app/lib/session";
import { getDb } from "@/db/client";
import { issueEvidenceReturn } from "@/reports/issuing";
import { SignInRequiredError } from "@/server/access/permissions";
import { InvalidRequestError } from "@/server/errors";
import { assertSameOrigin, errorResponse } from "../../../respond";

/** Issues an evidence return (admins of the agency's partnerships; a plain form post), then shows it as issued. */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    assertSameOrigin(req);
    const principal = await principalFrom(req.headers);
    if (!principal) throw new SignInRequiredError();
    const { id } = await params;
    if (!/^\d{1,9}$/.test(id)) throw new InvalidRequestError(`"${id}" is not an evidence return's number.`);
    const issued = await issueEvidenceReturn(await getDb(), principal, Number(id));
    return new Response(null, { status: 303, headers: { location: `/reports/issued/${issued.id}` } });
  } catch (error) {
    return errorResponse(error);
  }
}
