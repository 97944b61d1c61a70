import { getDb } from "@/db/client";
import { boardDocumentDocx } from "@/reports/docx";
import { getEvidenceDocument } from "@/reports/evidence";
import { boardDocumentPdf } from "@/reports/pdf";
import { writeAudit } from "@/server/audit";
import { InvalidRequestError } from "@/server/errors";
import { errorResponse, pathNumber, signedIn } from "../../respond";

const TYPES = { pdf: "application/pdf", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" } as const;

/** An evidence return as PDF or Word (permission-checked, audit-logged). */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const db = await getDb();
    const principal = await signedIn(req);
    const { id } = await params;
    const format = new URL(req.url).searchParams.get("format") ?? "pdf";
    if (format !== "pdf" && format !== "docx") throw new InvalidRequestError(`format must be pdf or docx, not "${format}".`);
    const returnId = pathNumber(id, "an evidence return");
    const document = await getEvidenceDocument(db, principal, returnId);
    await writeAudit(db, { actor: principal.email, action: "export.evidence_return", scope: {}, details: { id: returnId, format }, outcome: "success" });
    const bytes = format === "pdf" ? await boardDocumentPdf(document) : await boardDocumentDocx(document);
    return new Response(new Uint8Array(bytes), {
      headers: { "content-type": TYPES[format], "content-disposition": `attachment; filename="evidence-return-${id}.${format}"`, "cache-control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
