import { z } from "zod";
import { boardDocumentDocx } from "@/reports/docx";
import { getEvidenceDocument } from "@/reports/evidence";
import { boardDocumentPdf } from "@/reports/pdf";
import { writtenIdSchema } from "@/server/inputs";
import { door } from "@/wiring/door";
import { DOCUMENT_TYPES, fileResponse } from "@/wiring/responses";
import { formatSchema } from "@/wiring/routeInputs";

/** An evidence return as PDF or Word (its agency's readers only: the service checks; audit-logged). */
export const GET = door({
  permission: "agency.read",
  input: z.object({ id: writtenIdSchema("an evidence return"), format: formatSchema(["pdf", "docx"], "pdf") }),
  audit: "export.evidence_return",
  handle: async ({ db, principal, input, note }) => {
    const document = await getEvidenceDocument(db, principal, input.id);
    note({ details: { id: input.id, format: input.format } });
    const bytes = input.format === "pdf" ? await boardDocumentPdf(document) : await boardDocumentDocx(document);
    return fileResponse(bytes, DOCUMENT_TYPES[input.format], `evidence-return-${input.id}.${input.format}`);
  },
});
