import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { DATABASE_UNAVAILABLE_MESSAGE, databaseUnavailable, type Db } from "../../db/client";
import type { Auth } from "../../server/access/auth";
import { authorize, ForbiddenError, SignInRequiredError, type Permission, type Principal, type Target } from "../../server/access/permissions";
import { writeAudit } from "../../server/audit";
import { InvalidRequestError, NotFoundError } from "../../server/errors";
import { describeIssues } from "../../server/inputs";
import { UNEXPECTED_MESSAGE } from "../answers";

export interface Context {
  db: Db;
  /** The signed-in person, or null. */
  principal: Principal | null;
  /** Sign-in (for setting passwords). */
  auth: Auth;
}

/**
 * Every procedure declares the permission it needs and, from its input, what it touches.
 * A procedure without a declared permission refuses to run (and the access matrix test fails).
 */
export interface Meta {
  permission: Permission;
  target?: (input: unknown) => Target;
  /** Record-level reads are written to the audit log. */
  audit?: string;
  /**
   * Where an audited read looked, when the permission has no target (a record's partnership: an agency
   * lead's access is decided inside the procedure), so a partnership's admin sees it in the audit log.
   */
  auditScope?: (input: unknown) => Target;
}

const t = initTRPC.context<Context>().meta<Meta>().create({
  transformer: superjson,
  /**
   * What a caller reads of a failure: bad input as one plain-English line naming the value, the
   * domain's own messages, and nothing of an unexpected error (no stack, no SQL, no internal text).
   */
  errorFormatter: ({ shape, error }) => {
    const message =
      error.cause instanceof ZodError ? describeIssues(error.cause) : error.code === "INTERNAL_SERVER_ERROR" ? UNEXPECTED_MESSAGE : shape.message;
    return { ...shape, message, data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path } };
  },
});

/** Domain errors become the API's codes, keeping their plain-English messages. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof NotFoundError) throw new TRPCError({ code: "NOT_FOUND", message: cause.message, cause });
    if (cause instanceof InvalidRequestError) throw new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
    if (cause instanceof ForbiddenError) throw new TRPCError({ code: "FORBIDDEN", message: cause.message, cause });
    if (databaseUnavailable(cause)) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE, cause });
  }
  return result;
});

const permissionCheck = t.middleware(async ({ ctx, meta, path, getRawInput, next }) => {
  if (!meta?.permission) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `Procedure ${path} declares no permission.` });
  const input = await getRawInput();
  const target = meta.target?.(input) ?? {};
  try {
    await authorize(ctx.db, ctx.principal, meta.permission, target);
  } catch (error) {
    if (error instanceof SignInRequiredError) throw new TRPCError({ code: "UNAUTHORIZED", message: error.message });
    if (error instanceof ForbiddenError) throw new TRPCError({ code: "FORBIDDEN", message: error.message });
    throw error;
  }
  const result = await next();
  if (result.ok && meta.audit) {
    // The input names what was read (ids, codes, dates, filters: never a child's identifier).
    await writeAudit(ctx.db, { actor: ctx.principal!.email, action: meta.audit, scope: { ...target, ...(meta.auditScope?.(input) ?? {}) }, details: { procedure: path, input: input ?? null }, outcome: "success" });
  }
  return result;
});

export const router = t.router;
export const procedure = t.procedure.use(permissionCheck).use(domainErrors);
export const createCallerFactory = t.createCallerFactory;

/** Reads partnership codes from a procedure's raw input (validated afterwards by its schema). */
export function partnershipsOf(input: unknown): Target {
  const value = (input as { partnerships?: unknown; partnership?: unknown } | undefined) ?? {};
  const list = Array.isArray(value.partnerships) ? value.partnerships : typeof value.partnership === "string" ? [value.partnership] : [];
  return { partnerships: list.filter((p): p is string => typeof p === "string") };
}

export function agencyOf(input: unknown): Target {
  const agency = (input as { agency?: unknown } | undefined)?.agency;
  return typeof agency === "string" ? { agency } : {};
}
