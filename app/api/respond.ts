/** Turns errors from the domain into HTTP answers a user can act on (plain-English messages). */
import { ZodError } from "zod";
import { ConnectionLostError } from "@/db/client";
import { FileRefusedError } from "@/importers/importFile";
import { ForbiddenError, SignInRequiredError } from "@/server/access/permissions";
import { InvalidRequestError, NotFoundError } from "@/server/errors";

export function errorResponse(error: unknown): Response {
  if (error instanceof ZodError) {
    const message = error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; ");
    return Response.json({ error: message }, { status: 400 });
  }
  if (error instanceof FileRefusedError || error instanceof InvalidRequestError) return Response.json({ error: error.message }, { status: 400 });
  if (error instanceof NotFoundError) return Response.json({ error: error.message }, { status: 404 });
  if (error instanceof SignInRequiredError) return Response.json({ error: error.message }, { status: 401 });
  if (error instanceof ForbiddenError) return Response.json({ error: error.message }, { status: 403 });
  if (error instanceof ConnectionLostError) return Response.json({ error: error.message }, { status: 503 });
  console.error("Request failed:", error);
  return Response.json({ error: "Something went wrong on our side and nothing was saved. Try again; if it keeps happening, tell the partnership's business manager." }, { status: 500 });
}

/** A CSV download with a safe file name. */
export function csvResponse(fileName: string, csv: string): Response {
  const safe = fileName.replace(/[^\w.-]/g, "_");
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${safe}"`,
      "cache-control": "no-store",
    },
  });
}

/**
 * Mutations only from this site's own pages: a request whose Origin names another site is refused
 * (cookies are SameSite=Lax as well, and uploads are not a content type a cross-site form can send).
 */
export function assertSameOrigin(req: Request): void {
  const origin = req.headers.get("origin");
  if (!origin) return;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (!host || new URL(origin).host !== host) throw new ForbiddenError("This request did not come from this site's own pages.");
}
