CREATE TABLE "evidence_returns" (
	"id" serial PRIMARY KEY NOT NULL,
	"agency_code" text NOT NULL,
	"standard" text NOT NULL,
	"from_quarter" text NOT NULL,
	"to_quarter" text NOT NULL,
	"as_of" date NOT NULL,
	"answers" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
