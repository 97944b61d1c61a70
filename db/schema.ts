/**
 * The warehouse schema. Reference data (partnerships, procedures, agencies, themes, calendar) and
 * facts (escalations, dissents, conference activity) with their earlier versions, import batches
 * and rejects, and the audit log.
 *
 * Rules this schema keeps (see docs/adr/0002-warehouse-schema.md):
 * - every fact and fact-history table carries `partnership_id`, and every unique constraint or
 *   index on a fact table includes it, so the facts can be distributed on it (Citus);
 * - child identifiers exist only as keyed hashes (`child_ref_hash`, HMAC-SHA-256 hex);
 * - dates are calendar dates in Europe/London, stored as `date` and read as 'YYYY-MM-DD' strings.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
const day = (name: string) => date(name, { mode: "string" });

// ---------------------------------------------------------------- reference data

/**
 * The most stages a procedure version may have: the upload formats carry stage1_on … stage10_on
 * (docs/adr/0022-procedure-versions.md says why columns and why ten).
 */
export const MAX_STAGES = 10;

/**
 * A partnership's procedure as it stood from `effective_from` until the next version's
 * `effective_from`: each escalation is judged by the version in force on its concern date
 * (METRICS.md, "Procedure versions"). The first version is in force from the calendar's first day,
 * whatever date it names.
 */
export const procedureVersions = pgTable(
  "procedure_versions",
  {
    id: serial("id").primaryKey(),
    partnershipId: integer("partnership_id")
      .notNull()
      .references(() => partnerships.id, { onDelete: "cascade" }),
    effectiveFrom: day("effective_from").notNull(),
    name: text("name").notNull(),
    /** What the procedure calls its levels: HIPS says "stage", Oxfordshire says "step". */
    stageWord: text("stage_word").notNull().default("stage"),
    learningWithinMonths: integer("learning_within_months").notNull().default(1),
    /** The whole procedure's limit from the concern, in working days (an IRO dispute process's 20). */
    totalLimitWorkingDays: integer("total_limit_working_days"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("procedure_versions_partnership_from").on(t.partnershipId, t.effectiveFrom),
    check("procedure_versions_total_limit", sql`${t.totalLimitWorkingDays} is null or ${t.totalLimitWorkingDays} >= 0`),
    check("procedure_versions_learning", sql`${t.learningWithinMonths} between 1 and 12`),
  ],
);

export const procedureVersionStages = pgTable(
  "procedure_version_stages",
  {
    versionId: integer("version_id")
      .notNull()
      .references(() => procedureVersions.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    name: text("name").notNull(),
    level: text("level"),
    limitDays: integer("limit_days").notNull(),
    /** 'working' (wd, METRICS.md) or 'calendar' (b − a). */
    limitUnit: text("limit_unit").notNull().default("working"),
  },
  (t) => [
    primaryKey({ columns: [t.versionId, t.number] }),
    check("procedure_version_stages_number_range", sql`${t.number} between 1 and 10`),
    check("procedure_version_stages_limit", sql`${t.limitDays} >= 0`),
    check("procedure_version_stages_unit", sql`${t.limitUnit} in ('working','calendar')`),
  ],
);

export const partnerships = pgTable("partnerships", {
  id: serial("id").primaryKey(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  chairFollowUpLimitWorkingDays: integer("chair_follow_up_limit_working_days").notNull().default(5),
  /** 'calendar' or 'financial': how the UI labels quarters (the quarters themselves never change). */
  quarterLabels: text("quarter_labels").notNull().default("calendar"),
  /** Disclosure-control profile for published outputs: 'dfe' or 'nhs'. */
  disclosureProfile: text("disclosure_profile").notNull().default("dfe"),
  /** Statistical-process-control targets by measure key (IMPORT-FORMAT.md, `targets`), for assurance. */
  targets: jsonb("targets").$type<Record<string, number>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const agencies = pgTable(
  "agencies",
  {
    id: serial("id").primaryKey(),
    code: text("code").notNull().unique(),
    name: text("name").notNull(),
    sector: text("sector").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "agencies_sector",
      sql`${t.sector} in ('police','health','social_care','education','probation','youth_justice','vcf','other')`,
    ),
  ],
);

export const agencyAliases = pgTable(
  "agency_aliases",
  {
    agencyId: integer("agency_id")
      .notNull()
      .references(() => agencies.id, { onDelete: "cascade" }),
    alias: text("alias").notNull(),
    /** Lower-cased, trimmed, runs of spaces folded: the form import matching compares. */
    normalisedAlias: text("normalised_alias").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.normalisedAlias] }), uniqueIndex("agency_aliases_normalised").on(t.normalisedAlias)],
);

export const agencyPartnerships = pgTable(
  "agency_partnerships",
  {
    agencyId: integer("agency_id")
      .notNull()
      .references(() => agencies.id, { onDelete: "cascade" }),
    partnershipId: integer("partnership_id")
      .notNull()
      .references(() => partnerships.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.agencyId] }), index("agency_partnerships_agency").on(t.agencyId)],
);

/** The theme taxonomy: the standard codes (partnership_id null) and any a partnership adds. */
export const themes = pgTable(
  "themes",
  {
    id: serial("id").primaryKey(),
    partnershipId: integer("partnership_id").references(() => partnerships.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    label: text("label").notNull(),
    synonyms: text("synonyms").array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    uniqueIndex("themes_standard_code").on(t.code).where(sql`${t.partnershipId} is null`),
    uniqueIndex("themes_partnership_code").on(t.partnershipId, t.code).where(sql`${t.partnershipId} is not null`),
  ],
);

/** England and Wales bank holidays, shared by every partnership. */
export const bankHolidays = pgTable("bank_holidays", {
  date: day("date").primaryKey(),
  name: text("name").notNull(),
  /** 'published' (the official list), 'computed' (standard rules, later years) or 'configured'. */
  source: text("source").notNull(),
});

export const closureDays = pgTable(
  "closure_days",
  {
    partnershipId: integer("partnership_id")
      .notNull()
      .references(() => partnerships.id, { onDelete: "cascade" }),
    date: day("date").notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.date] })],
);

/**
 * One row per partnership and date, 2015-01-01 to 2030-12-31. `working_day_number` counts the
 * working days from the start of the calendar up to and including the date, so
 * wd(a, b) = number(b) - number(a): the working days d with a < d <= b.
 */
export const calendarDays = pgTable(
  "calendar_days",
  {
    partnershipId: integer("partnership_id")
      .notNull()
      .references(() => partnerships.id, { onDelete: "cascade" }),
    date: day("date").notNull(),
    isWorkingDay: boolean("is_working_day").notNull(),
    workingDayNumber: integer("working_day_number").notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.date] })],
);

// ---------------------------------------------------------------- imports

export const importBatches = pgTable(
  "import_batches",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** 'escalations', 'dissent', 'conference_activity', or 'demo' for the demo loader. */
    kind: text("kind").notNull(),
    agencyId: integer("agency_id").references(() => agencies.id),
    fileName: text("file_name").notNull(),
    fileSha256: text("file_sha256").notNull(),
    uploadedBy: text("uploaded_by").notNull(),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
    /** 'in_force' or 'undone'. */
    status: text("status").notNull().default("in_force"),
    undoneAt: timestamp("undone_at", { withTimezone: true }),
    undoneBy: text("undone_by"),
    rowsRead: integer("rows_read").notNull().default(0),
    loaded: integer("loaded").notNull().default(0),
    replaced: integer("replaced").notNull().default(0),
    unchanged: integer("unchanged").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    /** File-level notes: unknown columns ignored, two-digit years read as 20yy, skipped stages. */
    notes: jsonb("notes").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  },
  (t) => [
    index("import_batches_agency_kind").on(t.agencyId, t.kind, t.uploadedAt),
    index("import_batches_sha").on(t.fileSha256),
  ],
);

export interface RejectFault {
  column: string;
  /** The cell as uploaded; child identifiers are never kept here. */
  value: string;
  reason: string;
  /** The kind of fault (required, invalid_date, unknown_agency, duplicate_record_ref, …), for data quality. */
  rule: string;
}

/** One reject per rejected row, listing every fault found in it. */
export const importRejects = pgTable(
  "import_rejects",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    batchId: bigint("batch_id", { mode: "number" })
      .notNull()
      .references(() => importBatches.id, { onDelete: "cascade" }),
    /** Row number as a spreadsheet shows it: the header is row 1. */
    rowNumber: integer("row_number").notNull(),
    recordRef: text("record_ref"),
    faults: jsonb("faults").$type<RejectFault[]>().notNull(),
  },
  (t) => [index("import_rejects_batch").on(t.batchId, t.rowNumber)],
);

// ---------------------------------------------------------------- facts
//
// Fact and version tables carry no foreign keys: the importer resolves every id from the reference
// tables in the same transaction, reference rows are never deleted, and per-row foreign-key checks
// made bulk loads several times slower (docs/adr/0005-import-pipeline.md).

const escalationColumns = () => ({
  partnershipId: integer("partnership_id").notNull(),
  /** The agency whose upload the row came from: with record_ref, the row's identity. */
  agencyId: integer("agency_id").notNull(),
  /** record_ref as compared: digits-only references lose their leading zeros. */
  recordRef: text("record_ref").notNull(),
  /** record_ref as uploaded. */
  recordRefAsUploaded: text("record_ref_as_uploaded").notNull(),
  batchId: bigint("batch_id", { mode: "number" }).notNull(),
  raisingAgencyId: integer("raising_agency_id").notNull(),
  receivingAgencyId: integer("receiving_agency_id").notNull(),
  childRefHash: text("child_ref_hash"),
  concernAroseOn: day("concern_arose_on").notNull(),
  themes: text("themes").array().notNull(),
  stage1On: day("stage1_on"),
  stage2On: day("stage2_on"),
  stage3On: day("stage3_on"),
  stage4On: day("stage4_on"),
  stage5On: day("stage5_on"),
  stage6On: day("stage6_on"),
  stage7On: day("stage7_on"),
  stage8On: day("stage8_on"),
  stage9On: day("stage9_on"),
  stage10On: day("stage10_on"),
  /** 'open', 'resolved' or 'withdrawn'. */
  status: text("status").notNull(),
  closedOn: day("closed_on"),
  learningDisseminatedOn: day("learning_disseminated_on"),
  /** SHA-256 of the row's loaded content, so a re-upload of the same content counts as unchanged. */
  contentHash: text("content_hash").notNull(),
  version: integer("version").notNull().default(1),
});

/** Escalations under the procedure: the current version of each row. */
export const escalations = pgTable(
  "escalations",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    ...escalationColumns(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    uniqueIndex("escalations_identity").on(t.partnershipId, t.agencyId, t.recordRef),
    index("escalations_identity_lookup").on(t.agencyId, t.recordRef),
    index("escalations_arose").on(t.partnershipId, t.concernAroseOn),
    index("escalations_closed").on(t.partnershipId, t.closedOn),
    index("escalations_open").on(t.partnershipId, t.concernAroseOn).where(sql`${t.closedOn} is null`),
    index("escalations_batch").on(t.partnershipId, t.batchId),
    check("escalations_status", sql`${t.status} in ('open','resolved','withdrawn')`),
    check("escalations_agencies_differ", sql`${t.raisingAgencyId} <> ${t.receivingAgencyId}`),
  ],
);

/** Earlier versions of escalations, each kept when an upload replaced it. */
export const escalationVersions = pgTable(
  "escalation_versions",
  {
    versionId: bigserial("version_id", { mode: "number" }).notNull(),
    escalationId: bigint("escalation_id", { mode: "number" }).notNull(),
    ...escalationColumns(),
    /** The batch whose upload replaced this version (undoing it restores this version). */
    supersededByBatchId: bigint("superseded_by_batch_id", { mode: "number" }).notNull(),
    supersededAt: timestamp("superseded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.versionId] }),
    index("escalation_versions_superseded_by").on(t.partnershipId, t.supersededByBatchId),
    index("escalation_versions_escalation").on(t.partnershipId, t.escalationId),
  ],
);

const dissentColumns = () => ({
  partnershipId: integer("partnership_id").notNull(),
  agencyId: integer("agency_id").notNull(),
  recordRef: text("record_ref").notNull(),
  recordRefAsUploaded: text("record_ref_as_uploaded").notNull(),
  batchId: bigint("batch_id", { mode: "number" }).notNull(),
  conferenceDate: day("conference_date").notNull(),
  /** 'initial', 'review' or 'transfer_in'. */
  conferenceType: text("conference_type").notNull(),
  dissentingAgencyId: integer("dissenting_agency_id").notNull(),
  dissentingRole: text("dissenting_role"),
  /** 'cp_plan', 'no_cp_plan', 'plan_category' or 'conference_not_convened'. */
  decision: text("decision").notNull(),
  themes: text("themes").array().notNull(),
  chairFollowUpOn: day("chair_followup_on"),
  /** 'open', 'resolved' or 'escalated'. */
  status: text("status").notNull(),
  escalationRef: text("escalation_ref"),
  childRefHash: text("child_ref_hash"),
  contentHash: text("content_hash").notNull(),
  version: integer("version").notNull().default(1),
});

/** Professionals' dissent from child protection conference decisions: current versions. */
export const dissents = pgTable(
  "dissents",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    ...dissentColumns(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    uniqueIndex("dissents_identity").on(t.partnershipId, t.agencyId, t.recordRef),
    index("dissents_identity_lookup").on(t.agencyId, t.recordRef),
    index("dissents_conference").on(t.partnershipId, t.conferenceDate),
    index("dissents_batch").on(t.partnershipId, t.batchId),
    check("dissents_conference_type", sql`${t.conferenceType} in ('initial','review','transfer_in')`),
    check(
      "dissents_decision",
      sql`${t.decision} in ('cp_plan','no_cp_plan','plan_category','conference_not_convened')`,
    ),
    check("dissents_status", sql`${t.status} in ('open','resolved','escalated')`),
  ],
);

export const dissentVersions = pgTable(
  "dissent_versions",
  {
    versionId: bigserial("version_id", { mode: "number" }).notNull(),
    dissentId: bigint("dissent_id", { mode: "number" }).notNull(),
    ...dissentColumns(),
    supersededByBatchId: bigint("superseded_by_batch_id", { mode: "number" }).notNull(),
    supersededAt: timestamp("superseded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.versionId] }),
    index("dissent_versions_superseded_by").on(t.partnershipId, t.supersededByBatchId),
    index("dissent_versions_dissent").on(t.partnershipId, t.dissentId),
  ],
);

const conferenceActivityColumns = () => ({
  partnershipId: integer("partnership_id").notNull(),
  /** First day of the month the figures are for. */
  month: day("month").notNull(),
  initialConferences: integer("initial_conferences").notNull(),
  reviewConferences: integer("review_conferences").notNull(),
  agencyId: integer("agency_id").notNull(),
  batchId: bigint("batch_id", { mode: "number" }).notNull(),
});

/** Conferences held per partnership and month: the denominators of dissent rates. */
export const conferenceActivity = pgTable(
  "conference_activity",
  {
    ...conferenceActivityColumns(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.month] }),
    index("conference_activity_batch").on(t.partnershipId, t.batchId),
    check("conference_activity_first_of_month", sql`extract(day from ${t.month}) = 1`),
    check("conference_activity_counts", sql`${t.initialConferences} >= 0 and ${t.reviewConferences} >= 0`),
  ],
);

export const conferenceActivityVersions = pgTable(
  "conference_activity_versions",
  {
    versionId: bigserial("version_id", { mode: "number" }).notNull(),
    ...conferenceActivityColumns(),
    supersededByBatchId: bigint("superseded_by_batch_id", { mode: "number" }).notNull(),
    supersededAt: timestamp("superseded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.versionId] }),
    index("conference_activity_versions_superseded_by").on(t.partnershipId, t.supersededByBatchId),
  ],
);

// ---------------------------------------------------------------- audit

/** File contents (issued documents). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/**
 * Reports as issued to a board: the document model (every figure and sentence) and its PDF and Word
 * files, frozen, so what the board saw can always be shown again exactly.
 */
export const issuedReports = pgTable(
  "issued_reports",
  {
    id: serial("id").primaryKey(),
    /** 'board' (evidence returns later). */
    kind: text("kind").notNull(),
    partnerships: text("partnerships").array().notNull(),
    quarter: text("quarter").notNull(),
    asOf: day("as_of").notNull(),
    published: boolean("published").notNull(),
    document: jsonb("document").notNull(),
    pdf: bytea("pdf").notNull(),
    docx: bytea("docx").notNull(),
    issuedBy: text("issued_by").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("issued_reports_quarter").on(t.quarter, t.issuedAt)],
);

/**
 * An agency's self-assessment evidence return (Section 11, or Section 175/157 for schools and
 * colleges) for a period: the agency's answers to the prompts, stored with the return; the figures
 * are read from the warehouse when the document is made.
 */
export const evidenceReturns = pgTable("evidence_returns", {
  id: serial("id").primaryKey(),
  agencyCode: text("agency_code").notNull(),
  /** 's11' (Children Act 2004) or 's175' (Education Act 2002, s175/157). */
  standard: text("standard").notNull(),
  fromQuarter: text("from_quarter").notNull(),
  toQuarter: text("to_quarter").notNull(),
  asOf: day("as_of").notNull(),
  /** The agency's answers: awareness of the procedure, training, feedback mechanism. */
  answers: jsonb("answers").$type<Record<string, string>>().notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A scrutineer's audit: a random sample of escalation records, reproducible from its seed, and a
 * finding (rating and note) per record.
 */
export const scrutinySamples = pgTable("scrutiny_samples", {
  id: serial("id").primaryKey(),
  partnerships: text("partnerships").array().notNull(),
  fromQuarter: text("from_quarter").notNull(),
  toQuarter: text("to_quarter").notNull(),
  /** Only records with one of these themes (empty: all). */
  themes: text("themes").array().notNull(),
  seed: bigint("seed", { mode: "number" }).notNull(),
  size: integer("size").notNull(),
  /** How many records were eligible when the sample was drawn. */
  eligible: integer("eligible").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const scrutinyFindings = pgTable(
  "scrutiny_findings",
  {
    sampleId: integer("sample_id").notNull(),
    /** 1 = the first record drawn. */
    position: integer("position").notNull(),
    partnershipId: integer("partnership_id").notNull(),
    escalationId: bigint("escalation_id", { mode: "number" }).notNull(),
    /** 'good', 'adequate', 'requires_improvement', 'inadequate'; null until the scrutineer rates it. */
    rating: text("rating"),
    note: text("note"),
    ratedBy: text("rated_by"),
    ratedAt: timestamp("rated_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.sampleId, t.position] }),
    check("scrutiny_findings_rating", sql`${t.rating} is null or ${t.rating} in ('good','adequate','requires_improvement','inadequate')`),
  ],
);

/** Append-only record of who did what (the database refuses UPDATE and DELETE on it). */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    /** Partnership / agency codes the action touched. */
    scope: jsonb("scope").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** 'success', 'refused' or 'failure'. */
    outcome: text("outcome").notNull(),
  },
  (t) => [index("audit_log_at").on(t.at), index("audit_log_action").on(t.action, t.at)],
);

// ---------------------------------------------------------------- people and access
//
// Sign-in is better-auth's (docs/adr/0007-sign-in-and-access.md): these four tables are its user,
// session, account and verification models, and its sign-in rate limits, kept in the warehouse.
// Property names are better-auth's field names.

export const authUsers = pgTable("auth_users", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: boolean("email_verified").notNull().default(false),
  image: text("image"),
  /** A disabled user cannot sign in, and their sessions stop working. */
  disabled: boolean("disabled").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const authSessions = pgTable(
  "auth_sessions",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    token: text("token").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
  },
  (t) => [index("auth_sessions_user").on(t.userId)],
);

export const authAccounts = pgTable(
  "auth_accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    password: text("password"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("auth_accounts_user").on(t.userId)],
);

export const authVerifications = pgTable(
  "auth_verifications",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("auth_verifications_identifier").on(t.identifier)],
);

export const authRateLimits = pgTable("auth_rate_limits", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  count: integer("count").notNull(),
  lastRequest: bigint("last_request", { mode: "number" }).notNull(),
});

/**
 * What a user may do, and where: one row per role held. Scope is partnership codes (or all) for
 * admin, board and scrutineer; one agency for agency_lead and uploader.
 */
export const userRoles = pgTable(
  "user_roles",
  {
    userId: text("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    /** Partnership codes the role covers; empty with allPartnerships for "all". */
    partnerships: text("partnerships").array().notNull().default(sql`'{}'::text[]`),
    allPartnerships: boolean("all_partnerships").notNull().default(false),
    /** The agency for agency_lead and uploader. */
    agencyCode: text("agency_code"),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.role] }),
    check("user_roles_role", sql`${t.role} in ('admin','board','scrutineer','agency_lead','uploader')`),
    check(
      "user_roles_scope",
      sql`(${t.role} in ('agency_lead','uploader') and ${t.agencyCode} is not null) or (${t.role} in ('admin','board','scrutineer') and ${t.agencyCode} is null)`,
    ),
  ],
);
