DROP INDEX "entities_deleted_at_idx";--> statement-breakpoint
CREATE INDEX "entities_deleted_at_idx" ON "entities" USING btree ("deleted_at","id") WHERE "entities"."deleted_at" IS NOT NULL;