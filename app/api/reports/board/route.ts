import { z } from "zod";
import { principalFrom } from "@/app/lib/session";
import { getDb } from "@/db/client";
import { getBoardDocument } from "@/reports/boardDocument";
import { boardDocumentHtml } from "@/reports/html";
import { boardDocumentPdf } from "@/reports/pdf";
import { boardDocumentDocx } from "@/reports/docx";
import { authorize } from "@/server/access/permissions";
import { writeAudit } from "@/server/audit";
import { isoDateSchema } from "@/server/calendar/dates";
import { quarterSchema } from "@/server/calendar/quarters";
import { errorResponse } from "../../respond";

const query = z.object({
  partnership: z.array(z.string().min(1).max(60)).min(1, "choose at least one partnership"),
  quarter: quarterSchema,
  asOf: isoDateSchema.optional(),
  format: z.enum(["html", "pdf", "docx"]).default("pdf"),
  exact: z.enum(["1"]).optional(),
});

/**
 * The quarterly board report as a document to file: published (disclosure-controlled) unless exact
 * figures are asked for, which the document then marks "not for publication" on every page. Each
 * download is written to the audit log.
 */
export async function GET(req: Request): Promise<Response> {
  try {
    const db = await getDb();
    const principal = await principalFrom(req.headers);
    const url = new URL(req.url).searchParams;
    const params = query.parse({
      partnership: url.getAll("partnership"),
      quarter: url.get("quarter") ?? undefined,
      asOf: url.get("asOf") || undefined,
      format: url.get("format") ?? undefined,
      exact: url.get("exact") || undefined,
    });
    await authorize(db, principal, "figures.read", { partnerships: params.partnership });
    const document = await getBoardDocument(db, { partnerships: params.partnership, quarter: params.quarter, asOf: params.asOf, published: !params.exact });
    await writeAudit(db, {
      actor: principal!.email,
      action: "export.board_report",
      scope: { partnerships: params.partnership },
      details: { quarter: params.quarter, asOf: document.asOf, format: params.format, exact: !document.published },
      outcome: "success",
    });
    const name = `board-report-${params.partnership.join("+")}-${params.quarter}${document.published ? "" : "-NOT-FOR-PUBLICATION"}`.replace(/[^\w.+-]/g, "_");
    if (params.format === "html") {
      return new Response(boardDocumentHtml(document), { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
    }
    if (params.format === "docx") {
      return new Response(new Uint8Array(await boardDocumentDocx(document)), {
        headers: {
          "content-type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "content-disposition": `attachment; filename="${name}.docx"`,
          "cache-control": "no-store",
        },
      });
    }
    return new Response(new Uint8Array(await boardDocumentPdf(document)), {
      headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="${name}.pdf"`, "cache-control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
