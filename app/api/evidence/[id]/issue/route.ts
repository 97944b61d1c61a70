import { z } from "zod";
import { issueEvidenceReturn } from "@/reports/issuing";
import { writtenIdSchema } from "@/server/inputs";
import { door } from "@/wiring/door";

/** Issues an evidence return (admins of the agency's partnerships; a plain form post), then shows it as issued. */
export const POST = door({
  // Which partnerships the return belongs to is the return's own: the service checks reports.issue over them.
  permission: "reports.issue",
  from: "none",
  input: z.object({ id: writtenIdSchema("an evidence return") }),
  handle: async ({ db, principal, input }) => {
    const issued = await issueEvidenceReturn(db, principal, input.id);
    return new Response(null, { status: 303, headers: { location: `/reports/issued/${issued.id}` } });
  },
});
