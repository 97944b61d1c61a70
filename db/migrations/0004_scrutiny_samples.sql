CREATE TABLE "scrutiny_findings" (
	"sample_id" integer NOT NULL,
	"position" integer NOT NULL,
	"partnership_id" integer NOT NULL,
	"escalation_id" bigint NOT NULL,
	"rating" text,
	"note" text,
	"rated_by" text,
	"rated_at" timestamp with time zone,
	CONSTRAINT "scrutiny_findings_sample_id_position_pk" PRIMARY KEY("sample_id","position"),
	CONSTRAINT "scrutiny_findings_rating" CHECK ("scrutiny_findings"."rating" is null or "scrutiny_findings"."rating" in ('good','adequate','requires_improvement','inadequate'))
);
--> statement-breakpoint
CREATE TABLE "scrutiny_samples" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnerships" text[] NOT NULL,
	"from_quarter" text NOT NULL,
	"to_quarter" text NOT NULL,
	"themes" text[] NOT NULL,
	"seed" bigint NOT NULL,
	"size" integer NOT NULL,
	"eligible" integer NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
