ALTER TABLE "imports" DROP CONSTRAINT "imports_trigger_check";--> statement-breakpoint
CREATE INDEX "imports_undone_by_idx" ON "imports" USING btree ("undone_by") WHERE "imports"."undone_by" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_trigger_check" CHECK ("imports"."trigger" in ('api', 'studio', 'replay', 'undo', 'cli'));