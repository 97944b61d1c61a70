/** tRPC over HTTP (fetch API), used by the Next route handler at /api/trpc. */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Context } from "./init";
import { appRouter } from "./router";

export function handleTrpcRequest(req: Request, createContext: () => Promise<Context>): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext,
    onError: ({ error, path }) => {
      // Users' mistakes come back as messages; anything else is the server's fault and is logged.
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
      if (error.code === "SERVICE_UNAVAILABLE") console.error(`tRPC ${path ?? "?"} failed: the database was unavailable: ${error.cause?.message ?? ""}`);
    },
  });
}
