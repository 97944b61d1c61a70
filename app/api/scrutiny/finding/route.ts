import { z } from "zod";
import { getDb } from "@/db/client";
import { RATINGS, recordFinding } from "@/server/scrutiny/samples";
import { errorResponse, signedIn } from "../../respond";

const form = z.object({
  sample: z.coerce.number().int().positive(),
  position: z.coerce.number().int().positive(),
  rating: z.enum(RATINGS, { message: "choose a rating" }),
  note: z.string().max(4000, "the note is longer than 4,000 characters").default(""),
});

/** Records a finding on one sampled record (a plain form post), then returns to that record in the sample. */
export async function POST(req: Request): Promise<Response> {
  try {
    const principal = await signedIn(req, { mutation: true });
    const data = await req.formData();
    const params = form.parse({ sample: data.get("sample"), position: data.get("position"), rating: data.get("rating"), note: data.get("note") ?? "" });
    await recordFinding(await getDb(), principal, { sampleId: params.sample, position: params.position, rating: params.rating, note: params.note });
    return new Response(null, { status: 303, headers: { location: `/scrutiny/${params.sample}#record-${params.position}` } });
  } catch (error) {
    return errorResponse(error);
  }
}
