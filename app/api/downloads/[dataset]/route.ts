import { z } from "zod";
import { DATASETS, datasetArrow, datasetCsv } from "@/reports/datasets";
import { recordScopeFor } from "@/server/access/recordScope";
import { authorize, type Permission } from "@/server/access/permissions";
import { NotFoundError } from "@/server/errors";
import { door } from "@/wiring/door";
import { arrowResponse, csvResponse } from "@/wiring/responses";
import { formatSchema, pageFiltersSchema } from "@/wiring/routeInputs";

const datasetName = z.string().transform((name) => {
  // An own property only: "__proto__", "constructor" or "toString" is no dataset.
  if (!Object.hasOwn(DATASETS, name)) throw new NotFoundError(`There is no dataset "${name.slice(0, 60)}" to download.`);
  return name;
});
const input = z.intersection(z.object({ dataset: datasetName, format: formatSchema(["csv", "arrow"], "csv") }), pageFiltersSchema);

/** A dataset the person may see, as CSV or Arrow IPC, for the filters of the page it came from; audit-logged. */
export const GET = door({
  // Record-level datasets follow the records' rules (an agency lead: its own agency's, checked below); figures need figures.read.
  permission: { of: (i) => DATASETS[i.dataset]!.permission, among: [...new Set<Permission>(Object.values(DATASETS).map((d) => d.permission))] },
  input,
  target: (i) => (DATASETS[i.dataset]!.permission === "records.read" ? {} : { partnerships: i.partnership }),
  audit: (i) => `export.${i.dataset}`,
  handle: async ({ db, principal, input: f, note }) => {
    const dataset = f.dataset;
    const definition = DATASETS[dataset]!;
    const involvingAgency = definition.permission === "records.read" ? (await recordScopeFor(db, principal, f.partnership)).involvingAgency : null;
    // An agency lead's record-level lists that are not its own records (the overdue list) also need the figures of the partnership.
    if (involvingAgency && dataset !== "records") await authorize(db, principal, "figures.read", { partnerships: f.partnership });
    const data = await definition.read(db, { partnerships: f.partnership, from: f.from, to: f.quarter, asOf: f.asOf, agency: f.agency, theme: f.theme, involvingAgency });
    note({
      scope: { partnerships: f.partnership, ...(involvingAgency ? { agency: involvingAgency } : {}) },
      details: { dataset, format: f.format, from: f.from, to: f.quarter, agency: f.agency ?? null, theme: f.theme ?? null, rows: data.rows.length },
    });
    const name = `${dataset}-${f.partnership.join("+")}-${f.from}-${f.quarter}`;
    return f.format === "csv" ? csvResponse(`${name}.csv`, datasetCsv(data)) : arrowResponse(datasetArrow(data), `${name}.arrow`);
  },
});
