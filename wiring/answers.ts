/**
 * What a person is told when a request fails: an HTTP status and a plain-English message. Every
 * door (route handlers and tRPC) explains errors here, so the same failure reads the same way.
 */
import { ZodError } from "zod";
import { DATABASE_UNAVAILABLE_MESSAGE, databaseUnavailable } from "../db/client";
import { FileRefusedError } from "../importers/readCsv";
import { UploadBusyError } from "../importers/uploadJobs";
import { ForbiddenError, SignInRequiredError } from "../server/access/permissions";
import { InvalidRequestError, NotFoundError } from "../server/errors";
import { describeIssues } from "../server/inputs";

export interface ErrorAnswer {
  status: number;
  message: string;
}

/** A request whose body is not what the route reads (a form route sent JSON, say). */
export class UnsupportedBodyError extends Error {
  override name = "UnsupportedBodyError";
}

export const UNEXPECTED_MESSAGE =
  "Something went wrong on our side and nothing was saved. Try again; if it keeps happening, tell the partnership's business manager.";

/** Explains a failure (an unexpected one is logged whole, so none is lost; its message is never shown). */
export function explainError(error: unknown): ErrorAnswer {
  if (error instanceof ZodError) return { status: 400, message: describeIssues(error) };
  if (error instanceof FileRefusedError || error instanceof InvalidRequestError) return { status: 400, message: error.message };
  if (error instanceof UnsupportedBodyError) return { status: 415, message: error.message };
  if (error instanceof NotFoundError) return { status: 404, message: error.message };
  if (error instanceof SignInRequiredError) return { status: 401, message: error.message };
  if (error instanceof ForbiddenError) return { status: 403, message: error.message };
  if (error instanceof UploadBusyError) return { status: 409, message: error.message };
  if (databaseUnavailable(error)) {
    console.error("Request failed: the database was unavailable:", (error as Error).message);
    return { status: 503, message: DATABASE_UNAVAILABLE_MESSAGE };
  }
  console.error("Request failed:", error);
  return { status: 500, message: UNEXPECTED_MESSAGE };
}

/** Headers every answer of the API carries: answers are per person, so never cached or sniffed. */
export const PRIVATE_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

export function errorResponse(error: unknown): Response {
  const { status, message } = explainError(error);
  return Response.json({ error: message }, { status, headers: { ...PRIVATE_HEADERS, ...(status === 503 ? { "retry-after": "30" } : {}) } });
}
