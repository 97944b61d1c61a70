import { z } from "zod";
import { createEvidenceReturn, EVIDENCE_PROMPTS } from "@/reports/evidence";
import { agencyCodeSchema, quarterInputSchema } from "@/server/inputs";
import { door, one } from "@/wiring/door";

const answer = one(z.string().max(20_000, "an answer is longer than 20,000 characters")).default("");
const form = z.object({
  agency: one(agencyCodeSchema),
  from: one(quarterInputSchema),
  to: one(quarterInputSchema),
  ...Object.fromEntries(EVIDENCE_PROMPTS.map((p) => [p.key, answer])),
}) as unknown as z.ZodType<{ agency: string; from: string; to: string } & Record<(typeof EVIDENCE_PROMPTS)[number]["key"], string>>;

/** Stores an agency's evidence return with its answers (a plain form post), then returns to the agency's page. */
export const POST = door({
  permission: "evidence.write",
  input: form,
  target: (i) => ({ agency: i.agency }),
  handle: async ({ db, principal, input }) => {
    const answers = Object.fromEntries(EVIDENCE_PROMPTS.map((p) => [p.key, input[p.key]]));
    await createEvidenceReturn(db, principal, { agency: input.agency, from: input.from, to: input.to, answers });
    return new Response(null, { status: 303, headers: { location: `/agencies/${encodeURIComponent(input.agency)}#evidence` } });
  },
});
