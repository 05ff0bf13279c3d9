ALTER TABLE "entities" DROP CONSTRAINT "entities_meter_id_entities_id_fk";
--> statement-breakpoint
-- The same rules as the foreign key, once per statement: a counter's meter exists, and a meter
-- that goes leaves its counters without one (ON DELETE SET NULL).
CREATE FUNCTION entities_check_meter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM checked_rows n
    WHERE n.meter_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.id = n.meter_id)
  ) THEN
    RAISE foreign_key_violation USING MESSAGE = 'an entity refers to a meter that does not exist';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER entities_meter_on_insert AFTER INSERT ON entities
  REFERENCING NEW TABLE AS checked_rows FOR EACH STATEMENT EXECUTE FUNCTION entities_check_meter();
--> statement-breakpoint
CREATE TRIGGER entities_meter_on_update AFTER UPDATE ON entities
  REFERENCING NEW TABLE AS checked_rows FOR EACH STATEMENT EXECUTE FUNCTION entities_check_meter();
--> statement-breakpoint
CREATE FUNCTION entities_unset_removed_meters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE entities e SET meter_id = NULL FROM removed_entities o WHERE e.meter_id = o.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER entities_unset_removed_meters AFTER DELETE ON entities
  REFERENCING OLD TABLE AS removed_entities FOR EACH STATEMENT EXECUTE FUNCTION entities_unset_removed_meters();
