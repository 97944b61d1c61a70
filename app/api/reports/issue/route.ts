import { z } from "zod";
import { getDb } from "@/db/client";
import { issueBoardReport } from "@/reports/issuing";
import { quarterSchema } from "@/server/calendar/quarters";
import { errorResponse, signedIn } from "../../respond";

const form = z.object({
  partnership: z.array(z.string().min(1).max(60)).min(1, "choose at least one partnership"),
  quarter: quarterSchema,
  exact: z.enum(["1"]).optional(),
});

/** Issues the chosen board report (a plain form post, so it works without JavaScript), then shows it. */
export async function POST(req: Request): Promise<Response> {
  try {
    const principal = await signedIn(req, { mutation: true });
    const data = await req.formData();
    const params = form.parse({ partnership: data.getAll("partnership"), quarter: data.get("quarter") ?? undefined, exact: data.get("exact") || undefined });
    const issued = await issueBoardReport(await getDb(), principal, { partnerships: params.partnership, quarter: params.quarter, published: !params.exact });
    // A relative Location: behind a proxy, req.url may not carry the host the browser used.
    return new Response(null, { status: 303, headers: { location: `/reports/issued/${issued.id}` } });
  } catch (error) {
    return errorResponse(error);
  }
}
