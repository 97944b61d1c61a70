import { z } from "zod";
import { UPLOAD_KINDS } from "@/importers/formats";
import { templateCsv } from "@/reports/uploadDownloads";
import { door } from "@/wiring/door";
import { csvResponse } from "@/wiring/responses";

const kind = z
  .string()
  .transform((k) => k.replace(/\.csv$/, ""))
  .pipe(z.enum(UPLOAD_KINDS, { error: (issue) => `There is no upload template "${String(issue.input).slice(0, 40)}": choose ${UPLOAD_KINDS.join(", ")}.` }));

/** The header and an example row of an upload kind (anyone signed in). */
export const GET = door({
  permission: "reference.read",
  input: z.object({ kind }),
  handle: async ({ input }) => csvResponse(`${input.kind}-template.csv`, templateCsv(input.kind)),
});
