CREATE TABLE "entity_key_attributes" (
	"entity_schema" text NOT NULL,
	"attribute" text NOT NULL,
	CONSTRAINT "entity_key_attributes_pk" PRIMARY KEY("entity_schema","attribute")
);
--> statement-breakpoint
-- What is keyed so far stays keyed: every pair that has keys now.
INSERT INTO "entity_key_attributes" (entity_schema, attribute)
  SELECT DISTINCT entity_schema, attribute FROM "entity_keys";
