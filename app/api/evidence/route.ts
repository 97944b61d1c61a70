import { z } from "zod";
import { getDb } from "@/db/client";
import { createEvidenceReturn, EVIDENCE_PROMPTS } from "@/reports/evidence";
import { quarterSchema } from "@/server/calendar/quarters";
import { errorResponse, signedIn } from "../respond";

const form = z.object({ agency: z.string().min(1).max(40), from: quarterSchema, to: quarterSchema });

/** Stores an agency's evidence return with its answers (a plain form post), then returns to the agency's page. */
export async function POST(req: Request): Promise<Response> {
  try {
    const principal = await signedIn(req, { mutation: true });
    const data = await req.formData();
    const params = form.parse({ agency: data.get("agency"), from: data.get("from"), to: data.get("to") });
    const answers = Object.fromEntries(EVIDENCE_PROMPTS.map((p) => [p.key, String(data.get(p.key) ?? "")]));
    await createEvidenceReturn(await getDb(), principal, { agency: params.agency, from: params.from, to: params.to, answers });
    return new Response(null, { status: 303, headers: { location: `/agencies/${encodeURIComponent(params.agency)}#evidence` } });
  } catch (error) {
    return errorResponse(error);
  }
}
