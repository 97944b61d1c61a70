import { z } from "zod";
import { isoDateSchema } from "../calendar/dates";
import { getQuarterlyEscalations } from "../escalations/quarterly";
import { listPartnerships } from "../partnerships/list";
import { listAgencies } from "../reference/agencies";
import { listBatches, undoBatch } from "../../importers/batches";
import { createCallerFactory, procedure, router } from "./init";
import { quarterSchema } from "../calendar/quarters";
import { getBoardReportFor } from "../../reports/boardReport";
import { getAgencyMatrix, getOverdueEscalations, getTrends } from "../metrics/operational";
import { getDataQuality } from "../metrics/dataQuality";

export const appRouter = router({
  partnerships: router({
    list: procedure.query(({ ctx }) => listPartnerships(ctx.db)),
  }),
  agencies: router({
    list: procedure.query(({ ctx }) => listAgencies(ctx.db)),
  }),
  uploads: router({
    batches: procedure
      .input(z.object({ agency: z.string().min(1).optional(), limit: z.number().int().min(1).max(500).default(50) }))
      .query(({ ctx, input }) => listBatches(ctx.db, input)),
    undo: procedure.input(z.object({ batchId: z.number().int().positive() })).mutation(({ ctx, input }) => undoBatch(ctx.db, input.batchId, ctx.actor)),
  }),
  metrics: router({
    trends: procedure
      .input(z.object({ partnerships: z.array(z.string().min(1)).min(1), quarters: z.number().int().min(1).max(20).default(8), asOf: isoDateSchema.optional() }))
      .query(({ ctx, input }) => getTrends(ctx.db, input)),
    agencyMatrix: procedure
      .input(z.object({ partnerships: z.array(z.string().min(1)).min(1), quarter: quarterSchema, asOf: isoDateSchema.optional() }))
      .query(({ ctx, input }) => getAgencyMatrix(ctx.db, input)),
    // Record-level (pseudonymised): to be limited to permitted roles with sign-in.
    overdue: procedure
      .input(z.object({ partnerships: z.array(z.string().min(1)).min(1), asOf: isoDateSchema.optional() }))
      .query(({ ctx, input }) => getOverdueEscalations(ctx.db, input)),
    dataQuality: procedure
      .input(z.object({ partnerships: z.array(z.string().min(1)).min(1), from: quarterSchema, to: quarterSchema }))
      .query(({ ctx, input }) => getDataQuality(ctx.db, input)),
  }),
  reports: router({
    board: procedure
      .input(
        z.object({
          partnerships: z.array(z.string().min(1)).min(1),
          quarter: quarterSchema,
          asOf: isoDateSchema.optional(),
          published: z.boolean().default(false),
          profile: z.enum(["dfe", "nhs"]).optional(),
        }),
      )
      .query(({ ctx, input }) => getBoardReportFor(ctx.db, input)),
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
