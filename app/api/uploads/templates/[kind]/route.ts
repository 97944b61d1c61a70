import { z } from "zod";
import { UPLOAD_KINDS } from "@/importers/formats";
import { uploadTemplate } from "@/importers/templates";
import { csvLine } from "@/reports/csv";
import { agencyCodeSchema, partnershipCodeSchema } from "@/server/inputs";
import { door, one } from "@/wiring/door";
import { csvResponse } from "@/wiring/responses";

const kind = z
  .string()
  .transform((k) => k.replace(/\.csv$/, ""))
  .pipe(z.enum(UPLOAD_KINDS, { error: (issue) => `There is no upload template "${String(issue.input).slice(0, 40)}": choose ${UPLOAD_KINDS.join(", ")}.` }));

/**
 * The header and an example row of an upload kind (anyone signed in: reference data). An escalations
 * template carries the stage columns of the current procedure version of the partnership asked for
 * (?partnership=), of the agency's partnerships (?agency=), or else of the asker's own.
 */
export const GET = door({
  permission: "reference.read",
  input: z.object({ kind, partnership: one(partnershipCodeSchema).optional(), agency: one(agencyCodeSchema).optional() }),
  handle: async ({ db, principal, input }) => {
    const template = await uploadTemplate(db, input.kind, { partnership: input.partnership, agency: input.agency, grants: principal.grants });
    return csvResponse(`${input.kind}-template.csv`, csvLine(template.columns) + csvLine(template.example));
  },
});
