DROP INDEX "entity_keys_value_idx";--> statement-breakpoint
ALTER TABLE "entity_keys" DROP CONSTRAINT "entity_keys_pk";
--> statement-breakpoint
ALTER TABLE "entity_keys" ADD CONSTRAINT "entity_keys_pk" PRIMARY KEY("entity_schema","value","attribute","entity_id");