/** Turns errors from the domain into HTTP answers a user can act on (plain-English messages). */
import { z, ZodError } from "zod";
import { principalFrom } from "@/app/lib/session";
import { isoDateSchema } from "@/server/calendar/dates";
import { quarterSchema } from "@/server/calendar/quarters";
import { DATABASE_UNAVAILABLE_MESSAGE, databaseUnavailable } from "@/db/client";
import { FileRefusedError } from "@/importers/importFile";
import { UploadBusyError } from "@/importers/uploadJobs";
import { ForbiddenError, SignInRequiredError, type Principal } from "@/server/access/permissions";
import { InvalidRequestError, NotFoundError } from "@/server/errors";

/** What a person is told when a request fails: an HTTP status and a plain-English message. */
export interface ErrorAnswer {
  status: number;
  message: string;
}

/** Explains a failure (an unexpected one is logged whole, so none is lost). */
export function explainError(error: unknown): ErrorAnswer {
  if (error instanceof ZodError) return { status: 400, message: error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; ") };
  if (error instanceof FileRefusedError || error instanceof InvalidRequestError) return { status: 400, message: error.message };
  if (error instanceof NotFoundError) return { status: 404, message: error.message };
  if (error instanceof SignInRequiredError) return { status: 401, message: error.message };
  if (error instanceof ForbiddenError) return { status: 403, message: error.message };
  if (error instanceof UploadBusyError) return { status: 409, message: error.message };
  if (databaseUnavailable(error)) {
    console.error("Request failed: the database was unavailable:", (error as Error).message);
    return { status: 503, message: DATABASE_UNAVAILABLE_MESSAGE };
  }
  console.error("Request failed:", error);
  return { status: 500, message: "Something went wrong on our side and nothing was saved. Try again; if it keeps happening, tell the partnership's business manager." };
}

export function errorResponse(error: unknown): Response {
  const { status, message } = explainError(error);
  return Response.json({ error: message }, { status, ...(status === 503 ? { headers: { "retry-after": "30" } } : {}) });
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

/** The signed-in person (or a 401); for a mutation, only from this site's own pages. */
export async function signedIn(req: Request, options: { mutation?: boolean } = {}): Promise<Principal> {
  if (options.mutation) assertSameOrigin(req);
  const principal = await principalFrom(req.headers);
  if (!principal) throw new SignInRequiredError();
  return principal;
}

/** A number in a route's path (a report, sample or return), or a plain message naming what it is not. */
export function pathNumber(id: string, what: string): number {
  if (!/^\d{1,9}$/.test(id)) throw new InvalidRequestError(`"${id}" is not ${what}'s number.`);
  return Number(id);
}

/** The dashboard's filters as a dataset's query string carries them (the page's own URL filters). */
const filterQuery = z.object({
  partnership: z.array(z.string().min(1).max(60)).min(1, "choose at least one partnership"),
  quarter: quarterSchema,
  from: quarterSchema,
  asOf: isoDateSchema.optional(),
  agency: z.string().min(1).max(40).optional(),
  theme: z.string().min(1).max(60).optional(),
});

export function readFilters(url: URLSearchParams): z.infer<typeof filterQuery> {
  return filterQuery.parse({
    partnership: url.getAll("partnership"),
    quarter: url.get("quarter") ?? undefined,
    from: url.get("from") ?? url.get("quarter") ?? undefined,
    asOf: url.get("asOf") || undefined,
    agency: url.get("agency") || undefined,
    theme: url.get("theme") || undefined,
  });
}
