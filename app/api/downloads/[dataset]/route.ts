import { z } from "zod";
import { getDb } from "@/db/client";
import { ARROW_CONTENT_TYPE } from "@/reports/arrow";
import { DATASETS, datasetArrow, datasetCsv } from "@/reports/datasets";
import { recordScopeFor } from "@/server/access/recordScope";
import { authorize } from "@/server/access/permissions";
import { writeAudit } from "@/server/audit";
import { NotFoundError } from "@/server/errors";
import { csvResponse, errorResponse, readFilters, signedIn } from "../../respond";


/** A dataset the person may see, as CSV or Arrow IPC, for the filters of the page it came from; audit-logged. */
export async function GET(req: Request, { params }: { params: Promise<{ dataset: string }> }): Promise<Response> {
  try {
    const db = await getDb();
    const principal = await signedIn(req);
    const { dataset } = await params;
    const definition = DATASETS[dataset];
    if (!definition) throw new NotFoundError(`There is no dataset "${dataset}" to download.`);
    const url = new URL(req.url).searchParams;
    const f = readFilters(url);
    const format = z.enum(["csv", "arrow"], { message: "format must be csv or arrow" }).parse(url.get("format") ?? "csv");
    // Record-level datasets follow the records' rules (an agency lead: its own agency's); figures need figures.read.
    const involvingAgency = definition.permission === "records.read" ? (await recordScopeFor(db, principal, f.partnership)).involvingAgency : null;
    if (definition.permission !== "records.read") await authorize(db, principal, definition.permission, { partnerships: f.partnership });
    if (involvingAgency && dataset !== "records") await authorize(db, principal, "figures.read", { partnerships: f.partnership });
    const data = await definition.read(db, { partnerships: f.partnership, from: f.from, to: f.quarter, asOf: f.asOf, agency: f.agency, theme: f.theme, involvingAgency });
    await writeAudit(db, {
      actor: principal.email,
      action: `export.${dataset}`,
      scope: { partnerships: f.partnership, ...(involvingAgency ? { agency: involvingAgency } : {}) },
      details: { format: format, from: f.from, to: f.quarter, agency: f.agency ?? null, theme: f.theme ?? null, rows: data.rows.length },
      outcome: "success",
    });
    const name = `${dataset}-${f.partnership.join("+")}-${f.from}-${f.quarter}`.replace(/[^\w.+-]/g, "_");
    if (format === "csv") return csvResponse(`${name}.csv`, datasetCsv(data));
    return new Response(new Uint8Array(datasetArrow(data)), {
      headers: { "content-type": ARROW_CONTENT_TYPE, "content-disposition": `attachment; filename="${name}.arrow"`, "cache-control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
