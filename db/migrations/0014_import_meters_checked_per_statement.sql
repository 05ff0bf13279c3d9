ALTER TABLE "import_meters" DROP CONSTRAINT "import_meters_import_id_imports_id_fk";
--> statement-breakpoint
-- The same rules as the foreign key, once per statement (an import touching 10k meters paid a
-- per-row RI check for each, two thirds of the insert): a row names an import that exists, and
-- goes when its import goes.
CREATE FUNCTION import_meters_check_imports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM (SELECT DISTINCT import_id FROM checked_rows) n
    WHERE NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = n.import_id)
  ) THEN
    RAISE foreign_key_violation USING MESSAGE = 'an import meter row refers to an import that does not exist';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER import_meters_imports_on_insert AFTER INSERT ON import_meters
  REFERENCING NEW TABLE AS checked_rows FOR EACH STATEMENT EXECUTE FUNCTION import_meters_check_imports();
--> statement-breakpoint
CREATE TRIGGER import_meters_imports_on_update AFTER UPDATE ON import_meters
  REFERENCING NEW TABLE AS checked_rows FOR EACH STATEMENT EXECUTE FUNCTION import_meters_check_imports();
--> statement-breakpoint
CREATE FUNCTION imports_cascade_to_import_meters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM import_meters m USING removed_imports o WHERE m.import_id = o.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER imports_cascade_to_import_meters AFTER DELETE ON imports
  REFERENCING OLD TABLE AS removed_imports FOR EACH STATEMENT EXECUTE FUNCTION imports_cascade_to_import_meters();
