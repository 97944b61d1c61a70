import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { Db } from "../../db/client";
import { InvalidRequestError, NotFoundError } from "../errors";

export interface Context {
  db: Db;
  /** Who is acting, for the audit log (until sign-in exists: "web"). */
  actor: string;
}

const t = initTRPC.context<Context>().create({ transformer: superjson });

/** Domain errors become the API's codes, keeping their plain-English messages. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof NotFoundError) throw new TRPCError({ code: "NOT_FOUND", message: cause.message, cause });
    if (cause instanceof InvalidRequestError) throw new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const procedure = t.procedure.use(domainErrors);
export const createCallerFactory = t.createCallerFactory;
