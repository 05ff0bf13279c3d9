-- Readings are updated in bulk (re-sent ERP batches): leave room on each page so updates that
-- touch no indexed column stay heap-only (HOT) and skip every index. The (meter_id, counter_id)
-- index served no query: lookups go by (meter_id, external_id) and (meter_id, berlin_day).
DROP INDEX "readings_meter_counter_idx";--> statement-breakpoint
ALTER TABLE "readings" SET (fillfactor = 70);
