CREATE TABLE "issued_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"partnerships" text[] NOT NULL,
	"quarter" text NOT NULL,
	"as_of" date NOT NULL,
	"published" boolean NOT NULL,
	"document" jsonb NOT NULL,
	"pdf" "bytea" NOT NULL,
	"docx" "bytea" NOT NULL,
	"issued_by" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "issued_reports_quarter" ON "issued_reports" USING btree ("quarter","issued_at");--> statement-breakpoint
-- An issued report is what the board saw: the database refuses to change or remove it.
CREATE FUNCTION issued_reports_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'an issued report is kept as issued: % is not allowed', TG_OP;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER issued_reports_frozen BEFORE UPDATE OR DELETE ON "issued_reports"
  FOR EACH ROW EXECUTE FUNCTION issued_reports_refuse_change();
