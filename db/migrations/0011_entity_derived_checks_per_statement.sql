ALTER TABLE "entity_keys" DROP CONSTRAINT "entity_keys_entity_id_entities_id_fk";
--> statement-breakpoint
ALTER TABLE "entity_relations" DROP CONSTRAINT "entity_relations_from_id_entities_id_fk";
--> statement-breakpoint
-- The same rules as the two foreign keys, checked once per statement over all its rows (a 40k-
-- entity import's key COPY paid about a third of its time for per-row RI checks): a lookup key and
-- a relation row belong to an existing entity, and go when it goes.
CREATE FUNCTION entity_keys_check_entities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM checked_rows n WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.id = n.entity_id)
  ) THEN
    RAISE foreign_key_violation USING MESSAGE = 'a lookup key refers to an entity that does not exist';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER entity_keys_entities_on_insert AFTER INSERT ON entity_keys
  REFERENCING NEW TABLE AS checked_rows FOR EACH STATEMENT EXECUTE FUNCTION entity_keys_check_entities();
--> statement-breakpoint
CREATE TRIGGER entity_keys_entities_on_update AFTER UPDATE ON entity_keys
  REFERENCING NEW TABLE AS checked_rows FOR EACH STATEMENT EXECUTE FUNCTION entity_keys_check_entities();
--> statement-breakpoint
CREATE FUNCTION entity_relations_check_entities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM checked_rows n WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.id = n.from_id)
  ) THEN
    RAISE foreign_key_violation USING MESSAGE = 'a relation row refers to an entity that does not exist';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER entity_relations_entities_on_insert AFTER INSERT ON entity_relations
  REFERENCING NEW TABLE AS checked_rows FOR EACH STATEMENT EXECUTE FUNCTION entity_relations_check_entities();
--> statement-breakpoint
CREATE TRIGGER entity_relations_entities_on_update AFTER UPDATE ON entity_relations
  REFERENCING NEW TABLE AS checked_rows FOR EACH STATEMENT EXECUTE FUNCTION entity_relations_check_entities();
--> statement-breakpoint
CREATE FUNCTION entities_cascade_to_derived_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM entity_keys k USING removed_entities o WHERE k.entity_id = o.id;
  DELETE FROM entity_relations r USING removed_entities o WHERE r.from_id = o.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER entities_cascade_to_derived_rows AFTER DELETE ON entities
  REFERENCING OLD TABLE AS removed_entities FOR EACH STATEMENT EXECUTE FUNCTION entities_cascade_to_derived_rows();
