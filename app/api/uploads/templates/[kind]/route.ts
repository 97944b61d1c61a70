import { z } from "zod";
import { principalFrom } from "@/app/lib/session";
import { getDb } from "@/db/client";
import { templateCsv } from "@/reports/uploadDownloads";
import { authorize } from "@/server/access/permissions";
import { UPLOAD_KINDS } from "@/importers/formats";
import { csvResponse, errorResponse } from "../../../respond";

export async function GET(req: Request, { params }: { params: Promise<{ kind: string }> }): Promise<Response> {
  try {
    await authorize(await getDb(), await principalFrom(req.headers), "reference.read");
    const kind = z.enum(UPLOAD_KINDS).parse((await params).kind.replace(/\.csv$/, ""));
    return csvResponse(`${kind}-template.csv`, templateCsv(kind));
  } catch (error) {
    return errorResponse(error);
  }
}
