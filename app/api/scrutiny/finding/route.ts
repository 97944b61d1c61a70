import { z } from "zod";
import { idSchema } from "@/server/inputs";
import { RATINGS, recordFinding } from "@/server/scrutiny/samples";
import { door, one } from "@/wiring/door";

const form = z.object({
  sample: one(z.coerce.number().pipe(idSchema("a sample"))),
  position: one(z.coerce.number().pipe(idSchema("a record's position in the sample"))),
  rating: one(z.enum(RATINGS, { error: "choose a rating" })),
  note: one(z.string().max(4000, "the note is longer than 4,000 characters")).default(""),
});

/** Records a finding on one sampled record (a plain form post; the service checks the sample's partnerships), then returns to it. */
export const POST = door({
  permission: "records.read",
  input: form,
  handle: async ({ db, principal, input }) => {
    await recordFinding(db, principal, { sampleId: input.sample, position: input.position, rating: input.rating, note: input.note });
    return new Response(null, { status: 303, headers: { location: `/scrutiny/${input.sample}#record-${input.position}` } });
  },
});
