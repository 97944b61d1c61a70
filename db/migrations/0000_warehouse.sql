CREATE TABLE "agencies" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"sector" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agencies_code_unique" UNIQUE("code"),
	CONSTRAINT "agencies_sector" CHECK ("agencies"."sector" in ('police','health','social_care','education','probation','youth_justice','vcf','other'))
);
--> statement-breakpoint
CREATE TABLE "agency_aliases" (
	"agency_id" integer NOT NULL,
	"alias" text NOT NULL,
	"normalised_alias" text NOT NULL,
	CONSTRAINT "agency_aliases_agency_id_normalised_alias_pk" PRIMARY KEY("agency_id","normalised_alias")
);
--> statement-breakpoint
CREATE TABLE "agency_partnerships" (
	"agency_id" integer NOT NULL,
	"partnership_id" integer NOT NULL,
	CONSTRAINT "agency_partnerships_partnership_id_agency_id_pk" PRIMARY KEY("partnership_id","agency_id")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"outcome" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bank_holidays" (
	"date" date PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"partnership_id" integer NOT NULL,
	"date" date NOT NULL,
	"is_working_day" boolean NOT NULL,
	"working_day_number" integer NOT NULL,
	CONSTRAINT "calendar_days_partnership_id_date_pk" PRIMARY KEY("partnership_id","date")
);
--> statement-breakpoint
CREATE TABLE "closure_days" (
	"partnership_id" integer NOT NULL,
	"date" date NOT NULL,
	CONSTRAINT "closure_days_partnership_id_date_pk" PRIMARY KEY("partnership_id","date")
);
--> statement-breakpoint
CREATE TABLE "conference_activity" (
	"partnership_id" integer NOT NULL,
	"month" date NOT NULL,
	"initial_conferences" integer NOT NULL,
	"review_conferences" integer NOT NULL,
	"agency_id" integer NOT NULL,
	"batch_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conference_activity_partnership_id_month_pk" PRIMARY KEY("partnership_id","month"),
	CONSTRAINT "conference_activity_first_of_month" CHECK (extract(day from "conference_activity"."month") = 1),
	CONSTRAINT "conference_activity_counts" CHECK ("conference_activity"."initial_conferences" >= 0 and "conference_activity"."review_conferences" >= 0)
);
--> statement-breakpoint
CREATE TABLE "conference_activity_versions" (
	"version_id" bigserial NOT NULL,
	"partnership_id" integer NOT NULL,
	"month" date NOT NULL,
	"initial_conferences" integer NOT NULL,
	"review_conferences" integer NOT NULL,
	"agency_id" integer NOT NULL,
	"batch_id" bigint NOT NULL,
	"superseded_by_batch_id" bigint NOT NULL,
	"superseded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conference_activity_versions_partnership_id_version_id_pk" PRIMARY KEY("partnership_id","version_id")
);
--> statement-breakpoint
CREATE TABLE "dissent_versions" (
	"version_id" bigserial NOT NULL,
	"dissent_id" bigint NOT NULL,
	"partnership_id" integer NOT NULL,
	"agency_id" integer NOT NULL,
	"record_ref" text NOT NULL,
	"record_ref_as_uploaded" text NOT NULL,
	"batch_id" bigint NOT NULL,
	"conference_date" date NOT NULL,
	"conference_type" text NOT NULL,
	"dissenting_agency_id" integer NOT NULL,
	"dissenting_role" text,
	"decision" text NOT NULL,
	"themes" text[] NOT NULL,
	"chair_followup_on" date,
	"status" text NOT NULL,
	"escalation_ref" text,
	"child_ref_hash" text,
	"content_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"superseded_by_batch_id" bigint NOT NULL,
	"superseded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dissent_versions_partnership_id_version_id_pk" PRIMARY KEY("partnership_id","version_id")
);
--> statement-breakpoint
CREATE TABLE "dissents" (
	"id" bigserial NOT NULL,
	"partnership_id" integer NOT NULL,
	"agency_id" integer NOT NULL,
	"record_ref" text NOT NULL,
	"record_ref_as_uploaded" text NOT NULL,
	"batch_id" bigint NOT NULL,
	"conference_date" date NOT NULL,
	"conference_type" text NOT NULL,
	"dissenting_agency_id" integer NOT NULL,
	"dissenting_role" text,
	"decision" text NOT NULL,
	"themes" text[] NOT NULL,
	"chair_followup_on" date,
	"status" text NOT NULL,
	"escalation_ref" text,
	"child_ref_hash" text,
	"content_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dissents_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "dissents_conference_type" CHECK ("dissents"."conference_type" in ('initial','review','transfer_in')),
	CONSTRAINT "dissents_decision" CHECK ("dissents"."decision" in ('cp_plan','no_cp_plan','plan_category','conference_not_convened')),
	CONSTRAINT "dissents_status" CHECK ("dissents"."status" in ('open','resolved','escalated'))
);
--> statement-breakpoint
CREATE TABLE "escalation_versions" (
	"version_id" bigserial NOT NULL,
	"escalation_id" bigint NOT NULL,
	"partnership_id" integer NOT NULL,
	"agency_id" integer NOT NULL,
	"record_ref" text NOT NULL,
	"record_ref_as_uploaded" text NOT NULL,
	"batch_id" bigint NOT NULL,
	"raising_agency_id" integer NOT NULL,
	"receiving_agency_id" integer NOT NULL,
	"child_ref_hash" text,
	"concern_arose_on" date NOT NULL,
	"themes" text[] NOT NULL,
	"stage1_on" date,
	"stage2_on" date,
	"stage3_on" date,
	"stage4_on" date,
	"stage5_on" date,
	"status" text NOT NULL,
	"closed_on" date,
	"learning_disseminated_on" date,
	"content_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"superseded_by_batch_id" bigint NOT NULL,
	"superseded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "escalation_versions_partnership_id_version_id_pk" PRIMARY KEY("partnership_id","version_id")
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" bigserial NOT NULL,
	"partnership_id" integer NOT NULL,
	"agency_id" integer NOT NULL,
	"record_ref" text NOT NULL,
	"record_ref_as_uploaded" text NOT NULL,
	"batch_id" bigint NOT NULL,
	"raising_agency_id" integer NOT NULL,
	"receiving_agency_id" integer NOT NULL,
	"child_ref_hash" text,
	"concern_arose_on" date NOT NULL,
	"themes" text[] NOT NULL,
	"stage1_on" date,
	"stage2_on" date,
	"stage3_on" date,
	"stage4_on" date,
	"stage5_on" date,
	"status" text NOT NULL,
	"closed_on" date,
	"learning_disseminated_on" date,
	"content_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "escalations_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "escalations_status" CHECK ("escalations"."status" in ('open','resolved','withdrawn')),
	CONSTRAINT "escalations_agencies_differ" CHECK ("escalations"."raising_agency_id" <> "escalations"."receiving_agency_id")
);
--> statement-breakpoint
CREATE TABLE "import_batches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"agency_id" integer,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'in_force' NOT NULL,
	"undone_at" timestamp with time zone,
	"undone_by" text,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"loaded" integer DEFAULT 0 NOT NULL,
	"replaced" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"notes" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_rejects" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"batch_id" bigint NOT NULL,
	"row_number" integer NOT NULL,
	"record_ref" text,
	"faults" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partnerships" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"procedure_id" integer NOT NULL,
	"chair_follow_up_limit_working_days" integer DEFAULT 5 NOT NULL,
	"quarter_labels" text DEFAULT 'calendar' NOT NULL,
	"disclosure_profile" text DEFAULT 'dfe' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partnerships_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "procedure_stages" (
	"procedure_id" integer NOT NULL,
	"number" integer NOT NULL,
	"name" text NOT NULL,
	"level" text,
	"limit_working_days" integer NOT NULL,
	CONSTRAINT "procedure_stages_procedure_id_number_pk" PRIMARY KEY("procedure_id","number"),
	CONSTRAINT "procedure_stages_number_range" CHECK ("procedure_stages"."number" between 1 and 5),
	CONSTRAINT "procedure_stages_limit_positive" CHECK ("procedure_stages"."limit_working_days" >= 0)
);
--> statement-breakpoint
CREATE TABLE "procedures" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"stage_word" text DEFAULT 'stage' NOT NULL,
	"learning_within_months" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "procedures_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "themes" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"synonyms" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agency_aliases" ADD CONSTRAINT "agency_aliases_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_partnerships" ADD CONSTRAINT "agency_partnerships_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_partnerships" ADD CONSTRAINT "agency_partnerships_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "closure_days" ADD CONSTRAINT "closure_days_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_batches" ADD CONSTRAINT "import_batches_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_rejects" ADD CONSTRAINT "import_rejects_batch_id_import_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnerships" ADD CONSTRAINT "partnerships_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedure_stages" ADD CONSTRAINT "procedure_stages_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "themes" ADD CONSTRAINT "themes_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agency_aliases_normalised" ON "agency_aliases" USING btree ("normalised_alias");--> statement-breakpoint
CREATE INDEX "agency_partnerships_agency" ON "agency_partnerships" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "audit_log_at" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_action" ON "audit_log" USING btree ("action","at");--> statement-breakpoint
CREATE INDEX "conference_activity_batch" ON "conference_activity" USING btree ("partnership_id","batch_id");--> statement-breakpoint
CREATE INDEX "conference_activity_versions_superseded_by" ON "conference_activity_versions" USING btree ("partnership_id","superseded_by_batch_id");--> statement-breakpoint
CREATE INDEX "dissent_versions_superseded_by" ON "dissent_versions" USING btree ("partnership_id","superseded_by_batch_id");--> statement-breakpoint
CREATE INDEX "dissent_versions_dissent" ON "dissent_versions" USING btree ("partnership_id","dissent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dissents_identity" ON "dissents" USING btree ("partnership_id","agency_id","record_ref");--> statement-breakpoint
CREATE INDEX "dissents_identity_lookup" ON "dissents" USING btree ("agency_id","record_ref");--> statement-breakpoint
CREATE INDEX "dissents_conference" ON "dissents" USING btree ("partnership_id","conference_date");--> statement-breakpoint
CREATE INDEX "dissents_batch" ON "dissents" USING btree ("partnership_id","batch_id");--> statement-breakpoint
CREATE INDEX "escalation_versions_superseded_by" ON "escalation_versions" USING btree ("partnership_id","superseded_by_batch_id");--> statement-breakpoint
CREATE INDEX "escalation_versions_escalation" ON "escalation_versions" USING btree ("partnership_id","escalation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "escalations_identity" ON "escalations" USING btree ("partnership_id","agency_id","record_ref");--> statement-breakpoint
CREATE INDEX "escalations_identity_lookup" ON "escalations" USING btree ("agency_id","record_ref");--> statement-breakpoint
CREATE INDEX "escalations_arose" ON "escalations" USING btree ("partnership_id","concern_arose_on");--> statement-breakpoint
CREATE INDEX "escalations_closed" ON "escalations" USING btree ("partnership_id","closed_on");--> statement-breakpoint
CREATE INDEX "escalations_open" ON "escalations" USING btree ("partnership_id","concern_arose_on") WHERE "escalations"."closed_on" is null;--> statement-breakpoint
CREATE INDEX "escalations_batch" ON "escalations" USING btree ("partnership_id","batch_id");--> statement-breakpoint
CREATE INDEX "import_batches_agency_kind" ON "import_batches" USING btree ("agency_id","kind","uploaded_at");--> statement-breakpoint
CREATE INDEX "import_batches_sha" ON "import_batches" USING btree ("file_sha256");--> statement-breakpoint
CREATE INDEX "import_rejects_batch" ON "import_rejects" USING btree ("batch_id","row_number");--> statement-breakpoint
CREATE UNIQUE INDEX "themes_standard_code" ON "themes" USING btree ("code") WHERE "themes"."partnership_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "themes_partnership_code" ON "themes" USING btree ("partnership_id","code") WHERE "themes"."partnership_id" is not null;