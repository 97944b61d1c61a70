-- The single procedure per partnership gave way to procedure versions (0006 copied each into its first version).
ALTER TABLE "partnerships" DROP CONSTRAINT "partnerships_procedure_id_procedures_id_fk";--> statement-breakpoint
ALTER TABLE "partnerships" DROP COLUMN "procedure_id";--> statement-breakpoint
DROP TABLE "procedure_stages";--> statement-breakpoint
DROP TABLE "procedures";
