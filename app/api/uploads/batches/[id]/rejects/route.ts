import { z } from "zod";
import { principalFrom } from "@/app/lib/session";
import { getDb } from "@/db/client";
import { getBatch } from "@/importers/batches";
import { rejectsCsv } from "@/reports/uploadDownloads";
import { authorize } from "@/server/access/permissions";
import { writeAudit } from "@/server/audit";
import { csvResponse, errorResponse } from "../../../../respond";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const id = z.coerce.number().int().positive().parse((await params).id);
    const db = await getDb();
    const principal = await principalFrom(req.headers);
    // Nothing about a batch, not even whether it exists, before the person is known to hold a role that reads uploads.
    await authorize(db, principal, "uploads.read");
    const batch = await getBatch(db, id);
    await authorize(db, principal, "uploads.read", { agency: batch.agency ?? "" });
    const { fileName, csv } = await rejectsCsv(db, id);
    await writeAudit(db, { actor: principal!.email, action: "export.rejects_csv", scope: { agency: batch.agency }, details: { batchId: id }, outcome: "success" });
    return csvResponse(fileName, csv);
  } catch (error) {
    return errorResponse(error);
  }
}
