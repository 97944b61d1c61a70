import { z } from "zod";
import { issueBoardReport } from "@/reports/issuing";
import { quarterInputSchema } from "@/server/inputs";
import { door, one } from "@/wiring/door";
import { partnershipsField } from "@/wiring/routeInputs";

const form = z.object({
  partnership: partnershipsField,
  quarter: one(quarterInputSchema),
  exact: one(z.enum(["1"], { error: "exact must be 1 or left out" })).optional(),
});

/** Issues the chosen board report (a plain form post, so it works without JavaScript), then shows it. */
export const POST = door({
  permission: "reports.issue",
  input: form,
  target: (i) => ({ partnerships: i.partnership }),
  handle: async ({ db, principal, input }) => {
    const issued = await issueBoardReport(db, principal, { partnerships: input.partnership, quarter: input.quarter, published: !input.exact });
    // A relative Location: behind a proxy, req.url may not carry the host the browser used.
    return new Response(null, { status: 303, headers: { location: `/reports/issued/${issued.id}` } });
  },
});
