import { z } from "zod";
import { listBatches, undoBatchAs } from "../../importers/batches";
import { getRunningUploads } from "../../importers/uploads";
import { getBoardReportFor } from "../../reports/boardReport";
import { listEvidenceReturns } from "../../reports/evidence";
import { getIssuedReport, issueBoardReport, listIssuedReports } from "../../reports/issuing";
import { listAuditAs } from "../../server/audit";
import { agencyCodeSchema, asOfSchema, figureFiltersSchema, filterTextSchema, idSchema, partnershipCodeSchema, partnershipCodesSchema, quarterInputSchema, themeCodeSchema } from "../../server/inputs";
import { addUserAs, disableUserAs, listUsersAs, resetPasswordAs } from "../../server/access/users";
import { ROLES } from "../../server/access/permissions";
import { agenciesFor } from "../../server/access/permissions";
import { isoDateSchema } from "../../server/calendar/dates";
import { getDataQuality } from "../../server/metrics/dataQuality";
import { getAgencyProfile } from "../../server/metrics/agencyProfile";
import { getBreakdowns, getDissentQuarters } from "../../server/metrics/dashboard";
import { getOverview } from "../../server/metrics/overview";
import { getAgencyMatrix, getOverdueEscalations, getTrends } from "../../server/metrics/operational";
import { profilePartnershipsFor } from "../../server/access/recordScope";
import { firstEscalationRecordsAs, getEscalationRecordAs } from "../../server/records/access";
import { listPartnerships } from "../../server/partnerships/list";
import { listAgencies } from "../../server/reference/agencies";
import { listProcedureVersions } from "../../server/reference/procedureVersions";
import { listThemes } from "../../server/reference/themes";
import { listManagedAgencies, saveAgency } from "../../server/reference/manage/agencies";
import { getBankHolidayCorrections, saveBankHolidays } from "../../server/reference/manage/bankHolidays";
import { listManagedPartnerships, savePartnership } from "../../server/reference/manage/partnerships";
import { agencyInput, bankHolidaysInput, deleteVersionInput, partnershipInput, previewVersionInput, saveVersionInput, themesInput } from "../../server/reference/manage/schemas";
import { getSetup } from "../../server/reference/manage/setup";
import { saveThemes } from "../../server/reference/manage/themes";
import { deleteVersion, previewVersion, saveVersion } from "../../server/reference/manage/versions";
import { drawScrutinySample, getScrutinySample, listScrutinySamples, RATINGS, recordFinding } from "../../server/scrutiny/samples";
import { agencyOf, createCallerFactory, partnershipsOf, procedure, router } from "./init";

const partnershipList = partnershipCodesSchema;
/** The dashboard's filters: partnerships, a run of quarters, the as-of date, an agency and a theme. */
const figureFilters = figureFiltersSchema;
const scopeOf = (input: z.infer<typeof figureFilters>) => ({ ...input, quarter: input.to, from: input.from });

/** Every procedure names its permission (and what it touches); tests/access-matrix.test.ts holds the table. */
export const appRouter = router({
  partnerships: router({
    list: procedure.meta({ permission: "reference.read" }).query(({ ctx }) => listPartnerships(ctx.db)),
    /** Their procedure versions (all partnerships' when none are named), oldest first: reference data, as the list is. */
    procedureVersions: procedure
      .meta({ permission: "reference.read" })
      .input(z.object({ partnerships: partnershipList.optional() }).optional())
      .query(({ ctx, input }) => listProcedureVersions(ctx.db, input?.partnerships)),
  }),
  agencies: router({
    list: procedure.meta({ permission: "reference.read" }).query(({ ctx }) => listAgencies(ctx.db)),
    profile: procedure
      .meta({ permission: "agency.read", target: agencyOf })
      .input(z.object({ agency: agencyCodeSchema, partnerships: partnershipList.optional(), quarters: z.number().int().min(1).max(20).default(8), to: quarterInputSchema.optional(), asOf: asOfSchema.optional() }))
      .query(async ({ ctx, input }) => getAgencyProfile(ctx.db, { ...input, partnerships: await profilePartnershipsFor(ctx.db, ctx.principal!, input.agency, input.partnerships) })),
  }),
  evidence: router({
    /** An agency's self-assessment evidence returns, newest first. */
    returns: procedure
      .meta({ permission: "agency.read", target: agencyOf })
      .input(z.object({ agency: agencyCodeSchema }))
      .query(({ ctx, input }) => listEvidenceReturns(ctx.db, ctx.principal!, input.agency)),
  }),
  scrutiny: router({
    samples: procedure.meta({ permission: "records.read" }).query(({ ctx }) => listScrutinySamples(ctx.db, ctx.principal!)),
    sample: procedure
      .meta({ permission: "records.read", audit: "records.scrutiny_sample" })
      .input(z.object({ id: idSchema("a sample") }))
      .query(({ ctx, input }) => getScrutinySample(ctx.db, ctx.principal!, input.id)),
    draw: procedure
      .meta({ permission: "records.read", target: partnershipsOf })
      .input(
        z.object({
          partnerships: partnershipList,
          from: quarterInputSchema,
          to: quarterInputSchema,
          themes: z.array(themeCodeSchema).max(20).default([]),
          size: z.number().int().min(1).max(500),
          seed: z.number().int().min(0).max(4294967295).optional(),
        }),
      )
      .mutation(({ ctx, input }) => drawScrutinySample(ctx.db, ctx.principal!, input)),
    finding: procedure
      .meta({ permission: "records.read" })
      .input(z.object({ sampleId: idSchema("a sample"), position: idSchema("a record's position in the sample"), rating: z.enum(RATINGS), note: z.string().max(4000).default("") }))
      .mutation(({ ctx, input }) => recordFinding(ctx.db, ctx.principal!, input)),
  }),
  themes: router({
    list: procedure.meta({ permission: "reference.read" }).query(({ ctx }) => listThemes(ctx.db)),
  }),
  records: router({
    get: procedure
      .meta({ permission: "records.read", audit: "records.view", auditScope: partnershipsOf })
      .input(z.object({ partnership: partnershipCodeSchema, id: idSchema("an escalation record"), asOf: asOfSchema.optional() }))
      .query(({ ctx, input }) => getEscalationRecordAs(ctx.db, ctx.principal!, input)),
    first: procedure
      .meta({ permission: "records.read", audit: "records.first_page", auditScope: partnershipsOf })
      .input(figureFilters)
      .query(({ ctx, input }) => firstEscalationRecordsAs(ctx.db, ctx.principal!, scopeOf(input), 50)),
  }),
  uploads: router({
    batches: procedure
      .meta({ permission: "uploads.read", target: agencyOf })
      .input(z.object({ agency: agencyCodeSchema.optional(), limit: z.number().int().min(1).max(500).default(50) }))
      .query(async ({ ctx, input }) => listBatches(ctx.db, { ...input, visibleAgencies: await agenciesFor(ctx.db, ctx.principal!, "uploads.read") })),
    running: procedure.meta({ permission: "uploads.read" }).query(({ ctx }) => getRunningUploads(ctx.db, ctx.principal!)),
    undo: procedure
      .meta({ permission: "uploads.write" })
      .input(z.object({ batchId: idSchema("an upload batch") }))
      .mutation(({ ctx, input }) => undoBatchAs(ctx.db, ctx.principal!, input.batchId)),
  }),
  metrics: router({
    trends: procedure
      .meta({ permission: "figures.read", target: partnershipsOf })
      .input(
        z.object({
          partnerships: partnershipList,
          quarters: z.number().int().min(1).max(20).default(8),
          to: quarterInputSchema.optional(),
          asOf: asOfSchema.optional(),
          agency: agencyCodeSchema.optional(),
          theme: themeCodeSchema.optional(),
        }),
      )
      .query(({ ctx, input }) => getTrends(ctx.db, input)),
    overview: procedure
      .meta({ permission: "figures.read", target: partnershipsOf })
      .input(z.object({ partnerships: partnershipList, quarter: quarterInputSchema, asOf: asOfSchema.optional(), agency: agencyCodeSchema.optional(), theme: themeCodeSchema.optional() }))
      .query(({ ctx, input }) => getOverview(ctx.db, input)),
    breakdowns: procedure
      .meta({ permission: "figures.read", target: partnershipsOf })
      .input(figureFilters)
      .query(({ ctx, input }) => getBreakdowns(ctx.db, scopeOf(input))),
    dissent: procedure
      .meta({ permission: "figures.read", target: partnershipsOf })
      .input(figureFilters)
      .query(({ ctx, input }) => getDissentQuarters(ctx.db, scopeOf(input))),
    agencyMatrix: procedure
      .meta({ permission: "figures.read", target: partnershipsOf })
      .input(z.object({ partnerships: partnershipList, quarter: quarterInputSchema, asOf: asOfSchema.optional() }))
      .query(({ ctx, input }) => getAgencyMatrix(ctx.db, input)),
    overdue: procedure
      .meta({ permission: "records.read", target: partnershipsOf, audit: "records.overdue_list" })
      .input(z.object({ partnerships: partnershipList, asOf: asOfSchema.optional(), agency: agencyCodeSchema.optional(), theme: themeCodeSchema.optional() }))
      .query(({ ctx, input }) => getOverdueEscalations(ctx.db, input)),
    dataQuality: procedure
      .meta({ permission: "figures.read", target: partnershipsOf })
      .input(z.object({ partnerships: partnershipList, from: quarterInputSchema, to: quarterInputSchema }))
      .query(({ ctx, input }) => getDataQuality(ctx.db, input)),
  }),
  users: router({
    list: procedure.meta({ permission: "users.manage" }).query(({ ctx }) => listUsersAs(ctx.db, ctx.principal!)),
    add: procedure
      .meta({ permission: "users.manage" })
      .input(z.object({ email: z.string().min(3).max(200), name: z.string().max(120).optional(), role: z.enum(ROLES), scope: z.string().min(1).max(500) }))
      .mutation(({ ctx, input }) => addUserAs(ctx.db, ctx.auth, ctx.principal!, input)),
    disable: procedure
      .meta({ permission: "users.manage" })
      .input(z.object({ email: z.string().min(3).max(200) }))
      .mutation(({ ctx, input }) => disableUserAs(ctx.db, ctx.principal!, input.email)),
    reset: procedure
      .meta({ permission: "users.manage" })
      .input(z.object({ email: z.string().min(3).max(200) }))
      .mutation(async ({ ctx, input }) => ({ generatedPassword: await resetPasswordAs(ctx.db, ctx.auth, ctx.principal!, input.email) })),
  }),
  audit: router({
    list: procedure
      .meta({ permission: "audit.read" })
      .input(
        z.object({
          action: filterTextSchema("action", 60).optional(),
          actor: filterTextSchema("actor", 200).optional(),
          outcome: z.enum(["success", "refused", "failure"]).optional(),
          from: isoDateSchema.optional(),
          to: isoDateSchema.optional(),
          limit: z.number().int().min(1).max(5000).default(200),
        }),
      )
      .query(({ ctx, input }) => listAuditAs(ctx.db, ctx.principal!, input)),
  }),
  /**
   * The business manager's reference data (issue 17). Any admin passes the door; each service then
   * decides on the partnership or agency named (another partnership's answers as a missing one).
   */
  reference: router({
    setup: procedure.meta({ permission: "reference.manage" }).query(({ ctx }) => getSetup(ctx.db, ctx.principal!)),
    partnerships: procedure.meta({ permission: "reference.manage" }).query(({ ctx }) => listManagedPartnerships(ctx.db, ctx.principal!)),
    savePartnership: procedure.meta({ permission: "reference.manage" }).input(partnershipInput).mutation(({ ctx, input }) => savePartnership(ctx.db, ctx.principal!, input)),
    previewVersion: procedure.meta({ permission: "reference.manage" }).input(previewVersionInput).query(({ ctx, input }) => previewVersion(ctx.db, ctx.principal!, input)),
    saveVersion: procedure.meta({ permission: "reference.manage" }).input(saveVersionInput).mutation(({ ctx, input }) => saveVersion(ctx.db, ctx.principal!, input)),
    deleteVersion: procedure.meta({ permission: "reference.manage" }).input(deleteVersionInput).mutation(({ ctx, input }) => deleteVersion(ctx.db, ctx.principal!, input)),
    agencies: procedure.meta({ permission: "reference.manage" }).query(({ ctx }) => listManagedAgencies(ctx.db, ctx.principal!)),
    saveAgency: procedure.meta({ permission: "reference.manage" }).input(agencyInput).mutation(({ ctx, input }) => saveAgency(ctx.db, ctx.principal!, input)),
    saveThemes: procedure.meta({ permission: "reference.manage" }).input(themesInput).mutation(({ ctx, input }) => saveThemes(ctx.db, ctx.principal!, input)),
    bankHolidays: procedure.meta({ permission: "reference.manage" }).query(({ ctx }) => getBankHolidayCorrections(ctx.db)),
    saveBankHolidays: procedure.meta({ permission: "reference.manage" }).input(bankHolidaysInput).mutation(({ ctx, input }) => saveBankHolidays(ctx.db, ctx.principal!, input)),
  }),
  reports: router({
    board: procedure
      .meta({ permission: "figures.read", target: partnershipsOf, audit: "report.board" })
      .input(
        z.object({
          partnerships: partnershipList,
          quarter: quarterInputSchema,
          asOf: asOfSchema.optional(),
          published: z.boolean().default(false),
          profile: z.enum(["dfe", "nhs"]).optional(),
          documentCheck: z.boolean().default(false),
        }),
      )
      .query(({ ctx, input }) => getBoardReportFor(ctx.db, input)),
    issue: procedure
      .meta({ permission: "reports.issue", target: partnershipsOf })
      .input(z.object({ partnerships: partnershipList, quarter: quarterInputSchema, asOf: asOfSchema.optional(), published: z.boolean().default(true) }))
      .mutation(({ ctx, input }) => issueBoardReport(ctx.db, ctx.principal!, input)),
    issued: procedure.meta({ permission: "figures.read" }).query(({ ctx }) => listIssuedReports(ctx.db, ctx.principal!)),
    issuedReport: procedure
      .meta({ permission: "figures.read" })
      .input(z.object({ id: idSchema("an issued report") }))
      .query(({ ctx, input }) => getIssuedReport(ctx.db, ctx.principal!, input.id)),
  }),
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
