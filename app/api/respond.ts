/** Turns errors from the domain into HTTP answers a user can act on (plain-English messages). */
import { z, ZodError } from "zod";
import { principalFrom } from "@/app/lib/session";
import { isoDateSchema } from "@/server/calendar/dates";
import { quarterSchema } from "@/server/calendar/quarters";
import { DATABASE_UNAVAILABLE_MESSAGE, databaseUnavailable } from "@/db/client";
import { FileRefusedError } from "@/importers/importFile";
import { ForbiddenError, SignInRequiredError, type Principal } from "@/server/access/permissions";
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
  if (databaseUnavailable(error)) {
    console.error("Request failed: the database was unavailable:", (error as Error).message);
    return Response.json({ error: DATABASE_UNAVAILABLE_MESSAGE }, { status: 503, headers: { "retry-after": "30" } });
  }
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
