import { z } from "zod";
import { getBoardDocument } from "@/reports/boardDocument";
import { boardDocumentDocx } from "@/reports/docx";
import { boardDocumentHtml } from "@/reports/html";
import { boardDocumentPdf } from "@/reports/pdf";
import { asOfSchema, quarterInputSchema } from "@/server/inputs";
import { door, one } from "@/wiring/door";
import { DOCUMENT_TYPES, fileResponse } from "@/wiring/responses";
import { formatSchema, partnershipsField } from "@/wiring/routeInputs";

const query = z.object({
  partnership: partnershipsField,
  quarter: one(quarterInputSchema),
  asOf: one(asOfSchema).optional(),
  format: formatSchema(["html", "pdf", "docx"], "pdf"),
  exact: one(z.enum(["1"], { error: "exact must be 1 or left out" })).optional(),
});

/**
 * The quarterly board report as a document to file: published (disclosure-controlled) unless exact
 * figures are asked for, which the document then marks "not for publication" on every page. Each
 * download is written to the audit log.
 */
export const GET = door({
  permission: "figures.read",
  input: query,
  target: (i) => ({ partnerships: i.partnership }),
  audit: "export.board_report",
  handle: async ({ db, input, note }) => {
    const document = await getBoardDocument(db, { partnerships: input.partnership, quarter: input.quarter, asOf: input.asOf, published: !input.exact });
    note({ details: { quarter: input.quarter, asOf: document.asOf, format: input.format, exact: !document.published } });
    if (input.format === "html") return fileResponse(boardDocumentHtml(document), DOCUMENT_TYPES.html);
    const name = `board-report-${input.partnership.join("+")}-${input.quarter}${document.published ? "" : "-NOT-FOR-PUBLICATION"}.${input.format}`;
    const bytes = input.format === "docx" ? await boardDocumentDocx(document) : await boardDocumentPdf(document);
    return fileResponse(bytes, DOCUMENT_TYPES[input.format], name);
  },
});
