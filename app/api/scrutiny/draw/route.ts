import { z } from "zod";
import { quarterInputSchema, themeCodeSchema, withQuarterRun } from "@/server/inputs";
import { drawScrutinySample } from "@/server/scrutiny/samples";
import { door, many, one } from "@/wiring/door";
import { partnershipsField } from "@/wiring/routeInputs";

const form = withQuarterRun(
  z.object({
    partnership: partnershipsField,
    from: one(quarterInputSchema),
    quarter: one(quarterInputSchema),
    theme: many(themeCodeSchema).pipe(z.array(z.string()).max(20, "choose at most 20 themes")),
    size: one(z.coerce.number().int("the sample size must be a whole number").min(1, "the sample size must be at least 1").max(500, "the sample size must be at most 500")),
    seed: one(z.coerce.number().int("the seed must be a whole number").min(0, "the seed must be 0 or more").max(4294967295, "the seed must be at most 4294967295")).optional(),
  }),
);

/** Draws a scrutiny sample (a plain form post), then shows it. */
export const POST = door({
  permission: "records.read",
  input: form,
  target: (i) => ({ partnerships: i.partnership }),
  handle: async ({ db, principal, input }) => {
    const sample = await drawScrutinySample(db, principal, { partnerships: input.partnership, from: input.from, to: input.quarter, themes: input.theme, size: input.size, seed: input.seed });
    return new Response(null, { status: 303, headers: { location: `/scrutiny/${sample.id}` } });
  },
});
