CREATE TABLE "procedure_version_stages" (
	"version_id" integer NOT NULL,
	"number" integer NOT NULL,
	"name" text NOT NULL,
	"level" text,
	"limit_days" integer NOT NULL,
	"limit_unit" text DEFAULT 'working' NOT NULL,
	CONSTRAINT "procedure_version_stages_version_id_number_pk" PRIMARY KEY("version_id","number"),
	CONSTRAINT "procedure_version_stages_number_range" CHECK ("procedure_version_stages"."number" between 1 and 10),
	CONSTRAINT "procedure_version_stages_limit" CHECK ("procedure_version_stages"."limit_days" >= 0),
	CONSTRAINT "procedure_version_stages_unit" CHECK ("procedure_version_stages"."limit_unit" in ('working','calendar'))
);
--> statement-breakpoint
CREATE TABLE "procedure_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"effective_from" date NOT NULL,
	"name" text NOT NULL,
	"stage_word" text DEFAULT 'stage' NOT NULL,
	"learning_within_months" integer DEFAULT 1 NOT NULL,
	"total_limit_working_days" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "procedure_versions_total_limit" CHECK ("procedure_versions"."total_limit_working_days" is null or "procedure_versions"."total_limit_working_days" >= 0),
	CONSTRAINT "procedure_versions_learning" CHECK ("procedure_versions"."learning_within_months" between 1 and 12)
);
--> statement-breakpoint
ALTER TABLE "escalation_versions" ADD COLUMN "stage6_on" date;--> statement-breakpoint
ALTER TABLE "escalation_versions" ADD COLUMN "stage7_on" date;--> statement-breakpoint
ALTER TABLE "escalation_versions" ADD COLUMN "stage8_on" date;--> statement-breakpoint
ALTER TABLE "escalation_versions" ADD COLUMN "stage9_on" date;--> statement-breakpoint
ALTER TABLE "escalation_versions" ADD COLUMN "stage10_on" date;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "stage6_on" date;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "stage7_on" date;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "stage8_on" date;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "stage9_on" date;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "stage10_on" date;--> statement-breakpoint
ALTER TABLE "partnerships" ADD COLUMN "targets" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "procedure_version_stages" ADD CONSTRAINT "procedure_version_stages_version_id_procedure_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."procedure_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedure_versions" ADD CONSTRAINT "procedure_versions_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "procedure_versions_partnership_from" ON "procedure_versions" USING btree ("partnership_id","effective_from");--> statement-breakpoint
-- Each partnership's one procedure becomes its first version, in force from the calendar's first day.
INSERT INTO "procedure_versions" ("partnership_id", "effective_from", "name", "stage_word", "learning_within_months")
SELECT p."id", DATE '2015-01-01', pr."name", pr."stage_word", pr."learning_within_months"
FROM "partnerships" p JOIN "procedures" pr ON pr."id" = p."procedure_id";--> statement-breakpoint
INSERT INTO "procedure_version_stages" ("version_id", "number", "name", "level", "limit_days", "limit_unit")
SELECT v."id", s."number", s."name", s."level", s."limit_working_days", 'working'
FROM "procedure_versions" v JOIN "partnerships" p ON p."id" = v."partnership_id"
JOIN "procedure_stages" s ON s."procedure_id" = p."procedure_id";
