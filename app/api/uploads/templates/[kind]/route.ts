import { z } from "zod";
import { templateCsv } from "@/importers/downloads";
import { UPLOAD_KINDS } from "@/importers/formats";
import { csvResponse, errorResponse } from "../../../respond";

export async function GET(_req: Request, { params }: { params: Promise<{ kind: string }> }): Promise<Response> {
  try {
    const kind = z.enum(UPLOAD_KINDS).parse((await params).kind.replace(/\.csv$/, ""));
    return csvResponse(`${kind}-template.csv`, templateCsv(kind));
  } catch (error) {
    return errorResponse(error);
  }
}
