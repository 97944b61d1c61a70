import { z } from "zod";
import { scrutinySampleArrow, scrutinySampleCsv } from "@/reports/scrutinyExport";
import { writtenIdSchema } from "@/server/inputs";
import { getScrutinySample } from "@/server/scrutiny/samples";
import { door } from "@/wiring/door";
import { arrowResponse, csvResponse } from "@/wiring/responses";
import { formatSchema } from "@/wiring/routeInputs";

/** A scrutiny sample with its findings, as CSV or Arrow IPC (the sample's partnerships' record readers; audit-logged). */
export const GET = door({
  permission: "records.read",
  input: z.object({ id: writtenIdSchema("a sample"), format: formatSchema(["csv", "arrow"], "csv") }),
  audit: "export.scrutiny_sample",
  handle: async ({ db, principal, input, note }) => {
    const sample = await getScrutinySample(db, principal, input.id);
    note({ scope: { partnerships: sample.partnerships }, details: { id: sample.id, format: input.format, rows: sample.records.length } });
    const name = `scrutiny-sample-${sample.id}`;
    return input.format === "csv" ? csvResponse(`${name}.csv`, scrutinySampleCsv(sample)) : arrowResponse(scrutinySampleArrow(sample), `${name}.arrow`);
  },
});
