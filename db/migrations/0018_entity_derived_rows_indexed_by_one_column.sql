DROP INDEX "entity_keys_entity_id_idx";--> statement-breakpoint
ALTER TABLE "entity_keys" DROP CONSTRAINT "entity_keys_pk";--> statement-breakpoint
ALTER TABLE "entity_relations" DROP CONSTRAINT "entity_relations_pk";--> statement-breakpoint
CREATE INDEX "entity_keys_value_idx" ON "entity_keys" USING btree ("value");--> statement-breakpoint
CREATE INDEX "entity_relations_from_id_idx" ON "entity_relations" USING btree ("from_id");--> statement-breakpoint
CREATE INDEX "entity_keys_entity_id_idx" ON "entity_keys" USING hash ("entity_id");