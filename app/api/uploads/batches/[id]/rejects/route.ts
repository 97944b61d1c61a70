import { z } from "zod";
import { getBatch } from "@/importers/batches";
import { rejectsCsv } from "@/reports/uploadDownloads";
import { NotFoundError } from "@/server/errors";
import { writtenIdSchema } from "@/server/inputs";
import { door } from "@/wiring/door";
import { csvResponse } from "@/wiring/responses";

const missing = (id: number) => `There is no upload batch ${id}.`;

/** A batch's rejects as CSV (formula-safe), for its agency's uploads readers; another agency's batch reads as no batch. */
export const GET = door({
  permission: "uploads.read",
  input: z.object({ id: writtenIdSchema("an upload batch") }),
  target: async (i, db) => {
    // A batch without an agency is nobody's to read here (an empty target would mean "any").
    const { agency } = await getBatch(db, i.id);
    if (!agency) throw new NotFoundError(missing(i.id));
    return { agency };
  },
  hidden: (i) => missing(i.id),
  audit: "export.rejects_csv",
  handle: async ({ db, input, note }) => {
    const { fileName, csv } = await rejectsCsv(db, input.id);
    note({ details: { batchId: input.id } });
    return csvResponse(fileName, csv);
  },
});
