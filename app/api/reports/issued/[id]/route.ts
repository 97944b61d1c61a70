import { getDb } from "@/db/client";
import { issuedReportFile } from "@/reports/issuing";
import { InvalidRequestError } from "@/server/errors";
import { errorResponse, pathNumber, signedIn } from "../../../respond";

const TYPES = { pdf: "application/pdf", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" } as const;

/** An issued report's frozen PDF or Word file, exactly as issued (the download is audit-logged). */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const principal = await signedIn(req);
    const { id } = await params;
    const format = new URL(req.url).searchParams.get("format") ?? "pdf";
    if (format !== "pdf" && format !== "docx") throw new InvalidRequestError(`format must be pdf or docx, not "${format}".`);
    const file = await issuedReportFile(await getDb(), principal, pathNumber(id, "an issued report"), format);
    return new Response(new Uint8Array(file.bytes), {
      headers: { "content-type": TYPES[format], "content-disposition": `attachment; filename="${file.name.replace(/[^\w.+-]/g, "_")}"`, "cache-control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
