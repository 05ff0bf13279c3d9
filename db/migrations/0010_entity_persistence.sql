CREATE TABLE "entity_relations" (
	"from_id" uuid NOT NULL,
	"attribute" text NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"to_id" uuid NOT NULL,
	"to_schema" text,
	"tags" jsonb,
	"path" text,
	"item_id" text,
	CONSTRAINT "entity_relations_pk" PRIMARY KEY("from_id","attribute","position"),
	CONSTRAINT "entity_relations_kind_check" CHECK ("entity_relations"."kind" in ('relation', 'ref'))
);
--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "import_id" uuid;--> statement-breakpoint
ALTER TABLE "entity_relations" ADD CONSTRAINT "entity_relations_from_id_entities_id_fk" FOREIGN KEY ("from_id") REFERENCES "public"."entities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entity_relations_to_id_idx" ON "entity_relations" USING btree ("to_id");--> statement-breakpoint
CREATE INDEX "entities_deleted_at_idx" ON "entities" USING btree ("deleted_at") WHERE "entities"."deleted_at" IS NOT NULL;