import { getDb } from "@/db/client";
import { ARROW_CONTENT_TYPE } from "@/reports/arrow";
import { scrutinySampleArrow, scrutinySampleCsv } from "@/reports/scrutinyExport";
import { writeAudit } from "@/server/audit";
import { InvalidRequestError } from "@/server/errors";
import { getScrutinySample } from "@/server/scrutiny/samples";
import { csvResponse, errorResponse, pathNumber, signedIn } from "../../respond";

/** A scrutiny sample with its findings, as CSV or Arrow IPC (permission-checked, audit-logged). */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const db = await getDb();
    const principal = await signedIn(req);
    const { id } = await params;
    const format = new URL(req.url).searchParams.get("format") ?? "csv";
    if (format !== "csv" && format !== "arrow") throw new InvalidRequestError(`format must be csv or arrow, not "${format}".`);
    const sample = await getScrutinySample(db, principal, pathNumber(id, "a sample"));
    await writeAudit(db, { actor: principal.email, action: "export.scrutiny_sample", scope: { partnerships: sample.partnerships }, details: { id: sample.id, format, rows: sample.records.length }, outcome: "success" });
    if (format === "csv") return csvResponse(`scrutiny-sample-${sample.id}.csv`, scrutinySampleCsv(sample));
    return new Response(new Uint8Array(scrutinySampleArrow(sample)), {
      headers: { "content-type": ARROW_CONTENT_TYPE, "content-disposition": `attachment; filename="scrutiny-sample-${sample.id}.arrow"`, "cache-control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
