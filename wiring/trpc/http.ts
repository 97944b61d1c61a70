/** tRPC over HTTP (fetch API), used by the Next route handler at /api/trpc. */
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { DATABASE_UNAVAILABLE_MESSAGE, databaseUnavailable } from "../../db/client";
import type { Context } from "./init";
import { appRouter } from "./router";

export function handleTrpcRequest(req: Request, createContext: () => Promise<Context>): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    // Reading the session is the first thing to reach the database: when it cannot, say so plainly.
    createContext: async () => {
      try {
        return await createContext();
      } catch (error) {
        if (databaseUnavailable(error)) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE, cause: error });
        throw error;
      }
    },
    onError: ({ error, path }) => {
      // Users' mistakes come back as messages; anything else is the server's fault and is logged.
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
      if (error.code === "SERVICE_UNAVAILABLE") console.error(`tRPC ${path ?? "?"} failed: the database was unavailable: ${error.cause?.message ?? ""}`);
    },
  });
}
