import { z } from "zod";
import { getDb } from "@/db/client";
import { quarterSchema } from "@/server/calendar/quarters";
import { drawScrutinySample } from "@/server/scrutiny/samples";
import { errorResponse, signedIn } from "../../respond";

const form = z.object({
  partnership: z.array(z.string().min(1).max(60)).min(1, "choose at least one partnership"),
  from: quarterSchema,
  quarter: quarterSchema,
  theme: z.array(z.string().min(1).max(60)).max(20),
  size: z.coerce.number().int("the sample size must be a whole number").min(1).max(500),
  seed: z.union([z.literal(""), z.coerce.number().int("the seed must be a whole number").min(0).max(4294967295)]).optional(),
});

/** Draws a scrutiny sample (a plain form post), then shows it. */
export async function POST(req: Request): Promise<Response> {
  try {
    const principal = await signedIn(req, { mutation: true });
    const data = await req.formData();
    const params = form.parse({
      partnership: data.getAll("partnership"),
      from: data.get("from") ?? undefined,
      quarter: data.get("quarter") ?? undefined,
      theme: data.getAll("theme").filter((t) => t !== ""),
      size: data.get("size") ?? undefined,
      seed: data.get("seed") ?? undefined,
    });
    const sample = await drawScrutinySample(await getDb(), principal, {
      partnerships: params.partnership,
      from: params.from,
      to: params.quarter,
      themes: params.theme as string[],
      size: params.size,
      seed: params.seed === "" || params.seed === undefined ? undefined : params.seed,
    });
    return new Response(null, { status: 303, headers: { location: `/scrutiny/${sample.id}` } });
  } catch (error) {
    return errorResponse(error);
  }
}
