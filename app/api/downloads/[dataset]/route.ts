import { z } from "zod";
import { principalFrom } from "@/app/lib/session";
import { getDb } from "@/db/client";
import { ARROW_CONTENT_TYPE } from "@/reports/arrow";
import { DATASETS, datasetArrow, datasetCsv } from "@/reports/datasets";
import { recordScopeFor } from "@/server/access/recordScope";
import { authorize, SignInRequiredError } from "@/server/access/permissions";
import { writeAudit } from "@/server/audit";
import { isoDateSchema } from "@/server/calendar/dates";
import { quarterSchema } from "@/server/calendar/quarters";
import { NotFoundError } from "@/server/errors";
import { csvResponse, errorResponse } from "../../respond";

const query = z.object({
  partnership: z.array(z.string().min(1).max(60)).min(1, "choose at least one partnership"),
  quarter: quarterSchema,
  from: quarterSchema,
  asOf: isoDateSchema.optional(),
  agency: z.string().min(1).max(40).optional(),
  theme: z.string().min(1).max(60).optional(),
  format: z.enum(["csv", "arrow"]).default("csv"),
});

/** A dataset the person may see, as CSV or Arrow IPC, for the filters of the page it came from; audit-logged. */
export async function GET(req: Request, { params }: { params: Promise<{ dataset: string }> }): Promise<Response> {
  try {
    const db = await getDb();
    const principal = await principalFrom(req.headers);
    if (!principal) throw new SignInRequiredError();
    const { dataset } = await params;
    const definition = DATASETS[dataset];
    if (!definition) throw new NotFoundError(`There is no dataset "${dataset}" to download.`);
    const url = new URL(req.url).searchParams;
    const f = query.parse({
      partnership: url.getAll("partnership"),
      quarter: url.get("quarter") ?? undefined,
      from: url.get("from") ?? url.get("quarter") ?? undefined,
      asOf: url.get("asOf") || undefined,
      agency: url.get("agency") || undefined,
      theme: url.get("theme") || undefined,
      format: url.get("format") ?? undefined,
    });
    // Record-level datasets follow the records' rules (an agency lead: its own agency's); figures need figures.read.
    const involvingAgency = definition.permission === "records.read" ? (await recordScopeFor(db, principal, f.partnership)).involvingAgency : null;
    if (definition.permission !== "records.read") await authorize(db, principal, definition.permission, { partnerships: f.partnership });
    if (involvingAgency && dataset !== "records") await authorize(db, principal, "figures.read", { partnerships: f.partnership });
    const data = await definition.read(db, { partnerships: f.partnership, from: f.from, to: f.quarter, asOf: f.asOf, agency: f.agency, theme: f.theme, involvingAgency });
    await writeAudit(db, {
      actor: principal.email,
      action: `export.${dataset}`,
      scope: { partnerships: f.partnership, ...(involvingAgency ? { agency: involvingAgency } : {}) },
      details: { format: f.format, from: f.from, to: f.quarter, agency: f.agency ?? null, theme: f.theme ?? null, rows: data.rows.length },
      outcome: "success",
    });
    const name = `${dataset}-${f.partnership.join("+")}-${f.from}-${f.quarter}`.replace(/[^\w.+-]/g, "_");
    if (f.format === "csv") return csvResponse(`${name}.csv`, datasetCsv(data));
    return new Response(new Uint8Array(datasetArrow(data)), {
      headers: { "content-type": ARROW_CONTENT_TYPE, "content-disposition": `attachment; filename="${name}.arrow"`, "cache-control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
