import { z } from "zod";
import { issuedReportFile } from "@/reports/issuing";
import { writtenIdSchema } from "@/server/inputs";
import { door } from "@/wiring/door";
import { DOCUMENT_TYPES, fileResponse } from "@/wiring/responses";
import { formatSchema } from "@/wiring/routeInputs";

/** An issued report's frozen PDF or Word file, exactly as issued (the service checks its partnerships and audits the download). */
export const GET = door({
  permission: "figures.read",
  input: z.object({ id: writtenIdSchema("an issued report"), format: formatSchema(["pdf", "docx"], "pdf") }),
  handle: async ({ db, principal, input }) => {
    const file = await issuedReportFile(db, principal, input.id, input.format);
    return fileResponse(file.bytes, DOCUMENT_TYPES[input.format], file.name);
  },
});
