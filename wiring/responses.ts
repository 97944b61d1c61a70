/** Answers that carry files: CSV (formula-safe cells are the writer's job), Arrow IPC, documents. */
import { ARROW_CONTENT_TYPE } from "../reports/arrow";

/** A file name safe in a Content-Disposition header. */
export function safeFileName(name: string): string {
  return name.replace(/[^\w.+-]/g, "_").slice(0, 200);
}

export function fileResponse(bytes: Uint8Array | string, contentType: string, fileName?: string, headers: Record<string, string> = {}): Response {
  return new Response(typeof bytes === "string" ? bytes : new Uint8Array(bytes), {
    headers: {
      "content-type": contentType,
      ...(fileName ? { "content-disposition": `attachment; filename="${safeFileName(fileName)}"` } : {}),
      "cache-control": "no-store",
      ...headers,
    },
  });
}

export function csvResponse(fileName: string, csv: string): Response {
  return fileResponse(csv, "text/csv; charset=utf-8", fileName);
}

export function arrowResponse(bytes: Uint8Array, fileName?: string, headers: Record<string, string> = {}): Response {
  return fileResponse(bytes, ARROW_CONTENT_TYPE, fileName, headers);
}

export const DOCUMENT_TYPES = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  html: "text/html; charset=utf-8",
} as const;
