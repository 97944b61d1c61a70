import { z } from "zod";
import { isoDateSchema } from "../calendar/dates";
import { getQuarterlyEscalations } from "../escalations/quarterly";
import { listPartnerships } from "../partnerships/list";
import { createCallerFactory, procedure, router } from "./init";

export const appRouter = router({
  partnerships: router({
    list: procedure.query(({ ctx }) => listPartnerships(ctx.db)),
  }),
  escalations: router({
    quarterly: procedure
      .input(
        z.object({
          partnership: z.string().min(1),
          quarters: z.number().int().min(1).max(40).default(8),
          asOf: isoDateSchema.optional(),
        }),
      )
      .query(({ ctx, input }) => getQuarterlyEscalations(ctx.db, input)),
  }),
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
