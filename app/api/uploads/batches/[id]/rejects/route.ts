import { z } from "zod";
import { getDb } from "@/db/client";
import { rejectsCsv } from "@/importers/downloads";
import { csvResponse, errorResponse } from "../../../../respond";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const id = z.coerce.number().int().positive().parse((await params).id);
    const { fileName, csv } = await rejectsCsv(await getDb(), id);
    return csvResponse(fileName, csv);
  } catch (error) {
    return errorResponse(error);
  }
}
